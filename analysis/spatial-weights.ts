/**
 * Spatial weights in compressed sparse row (CSR) form: the neighbours of area i are
 * `neighbours[offsets[i] .. offsets[i+1])` with matching `weights`, sorted by index. All loops over
 * neighbours (lags, permutations) read two flat typed arrays, which is what keeps the permutation
 * hot path free of allocation and pointer chasing.
 *
 * Weights are built from neighbour lists (computed in PostGIS, see sql/004_hotspots.sql) for a
 * chosen set of areas: neighbours outside that set are ignored, so dropping an area with a missing
 * value gives the induced sub-graph — the same as spdep's subset.nb. Areas left without any
 * neighbour are islands; they keep an empty row (spdep's zero.policy = TRUE) and are listed.
 */

export type WeightsStyle = 'B' | 'W';

export interface SpatialWeights {
  /** Number of areas (rows). */
  n: number;
  /** Row starts, length n + 1. */
  offsets: Int32Array;
  /** Column indices of the links, sorted ascending within each row. */
  neighbours: Int32Array;
  /** Weight of each link, parallel to `neighbours`. */
  weights: Float64Array;
  /** 'B' binary (1 per link), 'W' row-standardised (each non-empty row sums to 1). */
  style: WeightsStyle;
  /** Indices of areas without neighbours. */
  islands: number[];
}

/**
 * Binary weights for `codes` (their order defines the indices) from neighbour lists keyed by code.
 * Self-links, duplicates and neighbours outside `codes` are dropped.
 */
export function weightsFromLists(
  codes: readonly string[],
  lists: ReadonlyMap<string, readonly string[]> | Record<string, readonly string[]>,
): SpatialWeights {
  const n = codes.length;
  const indexOf = new Map<string, number>();
  codes.forEach((c, i) => {
    if (indexOf.has(c)) throw new Error(`Gebiet ${c} kommt doppelt vor`);
    indexOf.set(c, i);
  });
  const get = (code: string): readonly string[] =>
    (lists instanceof Map ? lists.get(code) : (lists as Record<string, readonly string[]>)[code]) ?? [];
  const rows: number[][] = new Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = new Set<number>();
    for (const c of get(codes[i])) {
      const j = indexOf.get(c);
      if (j !== undefined && j !== i) row.add(j);
    }
    rows[i] = [...row].sort((a, b) => a - b);
    total += rows[i].length;
  }
  const offsets = new Int32Array(n + 1);
  const neighbours = new Int32Array(total);
  let k = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = k;
    for (const j of rows[i]) neighbours[k++] = j;
  }
  offsets[n] = k;
  const weights = new Float64Array(total).fill(1);
  return { n, offsets, neighbours, weights, style: 'B', islands: findIslands(offsets) };
}

/** Binary weights straight from CSR arrays (used by the synthetic bench grids). */
export function weightsFromCsr(offsets: Int32Array, neighbours: Int32Array): SpatialWeights {
  const n = offsets.length - 1;
  return {
    n,
    offsets,
    neighbours,
    weights: new Float64Array(neighbours.length).fill(1),
    style: 'B',
    islands: findIslands(offsets),
  };
}

function findIslands(offsets: Int32Array): number[] {
  const islands: number[] = [];
  for (let i = 0; i + 1 < offsets.length; i++) if (offsets[i + 1] === offsets[i]) islands.push(i);
  return islands;
}

/** Row-standardised copy (style 'W'): w_ij / Σ_j w_ij; island rows stay empty. */
export function rowStandardise(w: SpatialWeights): SpatialWeights {
  const weights = new Float64Array(w.weights.length);
  for (let i = 0; i < w.n; i++) {
    let sum = 0;
    for (let k = w.offsets[i]; k < w.offsets[i + 1]; k++) sum += w.weights[k];
    for (let k = w.offsets[i]; k < w.offsets[i + 1]; k++) weights[k] = w.weights[k] / sum;
  }
  return { ...w, weights, style: 'W' };
}

/** Number of neighbours of each area. */
export function cardinalities(w: SpatialWeights): Int32Array {
  const card = new Int32Array(w.n);
  for (let i = 0; i < w.n; i++) card[i] = w.offsets[i + 1] - w.offsets[i];
  return card;
}

/** Spatial lag Σ_j w_ij · values_j into `out` (islands get 0). */
export function spatialLag(w: SpatialWeights, values: Float64Array, out = new Float64Array(w.n)): Float64Array {
  const { offsets, neighbours, weights } = w;
  for (let i = 0; i < w.n; i++) {
    let s = 0;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) s += weights[k] * values[neighbours[k]];
    out[i] = s;
  }
  return out;
}

/** Weight of the link i → j, 0 when absent (binary search in the sorted row). */
export function weightOf(w: SpatialWeights, i: number, j: number): number {
  let lo = w.offsets[i];
  let hi = w.offsets[i + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = w.neighbours[mid];
    if (c === j) return w.weights[mid];
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/**
 * The constants of the moments of Moran's I (Cliff & Ord): S0 = Σ w_ij,
 * S1 = ½ Σ (w_ij + w_ji)², S2 = Σ_i (w_i· + w_·i)².
 */
export function weightsConstants(w: SpatialWeights): { S0: number; S1: number; S2: number } {
  const rowSum = new Float64Array(w.n);
  const colSum = new Float64Array(w.n);
  let S0 = 0;
  let sumSquares = 0;
  let sumCross = 0; // Σ_ij w_ij · w_ji
  for (let i = 0; i < w.n; i++) {
    for (let k = w.offsets[i]; k < w.offsets[i + 1]; k++) {
      const j = w.neighbours[k];
      const wij = w.weights[k];
      S0 += wij;
      rowSum[i] += wij;
      colSum[j] += wij;
      sumSquares += wij * wij;
      sumCross += wij * weightOf(w, j, i);
    }
  }
  // ½ Σ (w_ij + w_ji)² = ½ (2 Σ w_ij² + 2 Σ w_ij w_ji)
  const S1 = sumSquares + sumCross;
  let S2 = 0;
  for (let i = 0; i < w.n; i++) S2 += (rowSum[i] + colSum[i]) ** 2;
  return { S0, S1, S2 };
}

/** Neighbour lists back as code → sorted neighbour codes (for output and tests). */
export function listsByCode(codes: readonly string[], w: SpatialWeights): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < w.n; i++) {
    const row: string[] = [];
    for (let k = w.offsets[i]; k < w.offsets[i + 1]; k++) row.push(codes[w.neighbours[k]]);
    out[codes[i]] = row.sort();
  }
  return out;
}

/**
 * The largest row length: permutation scratch buffers are sized by it once, so that the loop
 * itself allocates nothing.
 */
export function maxCardinality(w: SpatialWeights): number {
  let max = 0;
  for (let i = 0; i < w.n; i++) max = Math.max(max, w.offsets[i + 1] - w.offsets[i]);
  return max;
}
