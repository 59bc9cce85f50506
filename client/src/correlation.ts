/**
 * Pearson correlation between indicators across areas, computed in the browser from
 * /api/values so the researcher sees redundant pairs before running a typology. Pure.
 */

export interface CorrelationResult {
  keys: string[];
  /** r[i][j]; NaN where fewer than 3 areas have both values or a column is constant. */
  r: number[][];
  /** Pairs with |r| ≥ threshold, i < j, strongest first. */
  redundant: { a: string; b: string; r: number }[];
}

/** Correlation of two aligned columns over the rows where both are finite (pairwise complete). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      n++;
      sx += x[i];
      sy += y[i];
    }
  }
  if (n < 3) return NaN;
  const mx = sx / n;
  const my = sy / n;
  let cxy = 0;
  let cxx = 0;
  let cyy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      const dx = x[i] - mx;
      const dy = y[i] - my;
      cxy += dx * dy;
      cxx += dx * dx;
      cyy += dy * dy;
    }
  }
  if (cxx === 0 || cyy === 0) return NaN;
  return cxy / Math.sqrt(cxx * cyy);
}

/**
 * Align per-indicator value lists by area code (missing → NaN) and correlate every pair.
 * threshold 0.9 matches the typology API's redundancy warning.
 */
export function correlationMatrix(
  columns: ReadonlyMap<string, ReadonlyMap<string, number | null>>,
  threshold = 0.9,
): CorrelationResult {
  const keys = [...columns.keys()];
  const codes = new Set<string>();
  for (const col of columns.values()) for (const c of col.keys()) codes.add(c);
  const order = [...codes];
  const arrays = keys.map((k) => {
    const col = columns.get(k)!;
    return Float64Array.from(order, (c) => {
      const v = col.get(c);
      return v === null || v === undefined ? NaN : v;
    });
  });
  const r = keys.map(() => keys.map(() => NaN));
  const redundant: CorrelationResult['redundant'] = [];
  for (let i = 0; i < keys.length; i++) {
    r[i][i] = 1;
    for (let j = i + 1; j < keys.length; j++) {
      const v = pearson(arrays[i], arrays[j]);
      r[i][j] = v;
      r[j][i] = v;
      if (Math.abs(v) >= threshold) redundant.push({ a: keys[i], b: keys[j], r: v });
    }
  }
  redundant.sort((p, q) => Math.abs(q.r) - Math.abs(p.r));
  return { keys, r, redundant };
}
