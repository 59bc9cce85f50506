/**
 * Status and dynamics index after the method of the Berlin "Monitoring Soziale Stadtentwicklung"
 * (MSS 2021 handbook, ch. 4, "gestuftes Indexverfahren"):
 *
 * 1. every index indicator is z-standardised over the valid areas only, with the simple
 *    (unweighted) mean and the POPULATION standard deviation (ddof 0);
 * 2. the z-values of an area are summed (status sum / dynamics sum);
 * 3. the sum is standardised again over the same valid areas: that is the index;
 * 4. the index is cut into classes by standard deviations from the mean.
 *
 * Class rules, exactly as printed in the handbook (x = index, which has sd 1):
 *   Status  hoch: x < −1 · mittel: −1 ≤ x ≤ +1 · niedrig: +1 < x ≤ +1.5 · sehr niedrig: x > +1.5
 *   Dynamik positiv: x < −1 · stabil: −1 ≤ x ≤ +1 · negativ: x > +1
 * The comparison is made on the UNROUNDED index. The published tables round to two decimals,
 * so "−1.00" appears both as hoch and as mittel; classifying the rounded value would put three
 * of the 536 Berlin areas in the wrong class (09501838, 04200310, 04300414). The boundary value
 * itself (exactly ±1 or +1.5) belongs to the middle class, as the handbook's ≤ says.
 *
 * Polarity: MSS indicators all mean "more need" when higher. An indicator of polarity −1 is
 * multiplied by −1 after standardising so that a higher index always means more need.
 *
 * Pure code on typed arrays: no I/O.
 */

/** Class codes as in the official MSS tables: SI_N 1..4, DI_N 1/3/5. */
export type StatusCode = 1 | 2 | 3 | 4;
export type DynamicsCode = 1 | 3 | 5;

export const STATUS_LABELS: Record<StatusCode, string> = { 1: 'hoch', 2: 'mittel', 3: 'niedrig', 4: 'sehr niedrig' };
export const DYNAMICS_LABELS: Record<DynamicsCode, string> = { 1: 'positiv', 3: 'stabil', 5: 'negativ' };
/** The handbook's short symbols for the 12 groups of the "Gesamtindex Soziale Ungleichheit": 2+/- etc. */
const DYNAMICS_SYMBOL: Record<DynamicsCode, string> = { 1: '+', 3: '+/-', 5: '-' };

export interface StatusCutoffs {
  /** Below this: hoch (default −1). */
  high: number;
  /** Above this: niedrig (default +1). */
  low: number;
  /** Above this: sehr niedrig (default +1.5). */
  veryLow: number;
}

export interface DynamicsCutoffs {
  /** Below this: positiv (default −1). */
  positive: number;
  /** Above this: negativ (default +1). */
  negative: number;
}

export const DEFAULT_STATUS_CUTOFFS: StatusCutoffs = { high: -1, low: 1, veryLow: 1.5 };
export const DEFAULT_DYNAMICS_CUTOFFS: DynamicsCutoffs = { positive: -1, negative: 1 };

/** Status class of an unrounded index value; boundaries belong to the middle class (handbook). */
export function statusClass(x: number, c: StatusCutoffs = DEFAULT_STATUS_CUTOFFS): StatusCode | null {
  if (!Number.isFinite(x)) return null;
  if (x < c.high) return 1;
  if (x <= c.low) return 2;
  if (x <= c.veryLow) return 3;
  return 4;
}

/** Dynamics class of an unrounded index value; ±1 itself is stabil (handbook). */
export function dynamicsClass(x: number, c: DynamicsCutoffs = DEFAULT_DYNAMICS_CUTOFFS): DynamicsCode | null {
  if (!Number.isFinite(x)) return null;
  if (x < c.positive) return 1;
  if (x <= c.negative) return 3;
  return 5;
}

/** Combined class: number as the official SDI_N (status·10 + dynamics, e.g. 25) and symbol as SDI (e.g. "2-"). */
export function combinedClass(
  s: StatusCode | null,
  d: DynamicsCode | null,
): { code: number; symbol: string; label: string } | null {
  if (s === null || d === null) return null;
  return {
    code: s * 10 + d,
    symbol: `${s}${DYNAMICS_SYMBOL[d]}`,
    label: `Status ${STATUS_LABELS[s]}, Dynamik ${DYNAMICS_LABELS[d]}`,
  };
}

export function validateCutoffs(s: StatusCutoffs, d: DynamicsCutoffs): string | null {
  if (!(s.high < s.low && s.low <= s.veryLow))
    return `Status-Grenzen müssen hoch < niedrig ≤ sehr niedrig sein (ist ${s.high}, ${s.low}, ${s.veryLow})`;
  if (!(d.positive < d.negative))
    return `Dynamik-Grenzen müssen positiv < negativ sein (ist ${d.positive}, ${d.negative})`;
  return null;
}

/** Raised when fewer than `min` valid areas remain (an sd over 1–2 areas says nothing). */
export class TooFewAreasError extends Error {
  constructor(
    readonly valid: number,
    readonly min: number,
  ) {
    super(`only ${valid} valid areas, the index needs at least ${min}`);
  }
}

/** Raised when an indicator has no spread over the valid areas (its z-values would divide by 0). */
export class ConstantIndicatorError extends Error {
  constructor(readonly column: number) {
    super(`indicator column ${column} is constant over the valid areas`);
  }
}

/** Minimum number of valid areas for an index (default of IndexOptions.minAreas). */
export const MIN_INDEX_AREAS = 3;

export interface ZResult {
  /** z per area; NaN where the area is not valid. */
  z: Float64Array;
  mean: number;
  /** Population sd (ddof 0). */
  sd: number;
  n: number;
}

/** z-standardises `values` over the areas where valid[i] is true; others get NaN. */
export function zOverValid(values: ArrayLike<number>, valid: ArrayLike<boolean | number>): ZResult {
  const n = values.length;
  let count = 0;
  let sum = 0;
  for (let i = 0; i < n; i++)
    if (valid[i]) {
      sum += values[i];
      count++;
    }
  const z = new Float64Array(n).fill(NaN);
  if (count === 0) return { z, mean: NaN, sd: NaN, n: 0 };
  const mean = sum / count;
  let ss = 0;
  for (let i = 0; i < n; i++)
    if (valid[i]) {
      const d = values[i] - mean;
      ss += d * d;
    }
  const sd = Math.sqrt(ss / count);
  if (sd > 0) for (let i = 0; i < n; i++) if (valid[i]) z[i] = (values[i] - mean) / sd;
  return { z, mean, sd, n: count };
}

export interface CompositeResult {
  /** Per indicator: z-values over the valid areas (NaN elsewhere). */
  z: Float64Array[];
  /** Sum of the (polarity-aligned) z-values. */
  sum: Float64Array;
  /** The re-standardised sum: the index. */
  index: Float64Array;
  /** Per indicator mean and population sd used. */
  means: number[];
  sds: number[];
  sumMean: number;
  sumSd: number;
  validCount: number;
}

/**
 * One index (status or dynamics) from indicator columns. `valid[i]` says whether area i takes
 * part; an area is also left out when any of its indicator values is missing (NaN), because the
 * sum of fewer z-values is not comparable. Left-out areas get NaN throughout.
 */
export function compositeIndex(
  columns: ArrayLike<number>[],
  valid: ArrayLike<boolean | number>,
  polarity?: ArrayLike<number>,
  minAreas = MIN_INDEX_AREAS,
): CompositeResult {
  if (columns.length === 0) throw new Error('compositeIndex needs at least one indicator');
  const n = columns[0].length;
  const use = new Uint8Array(n);
  let validCount = 0;
  for (let i = 0; i < n; i++) {
    let ok = Boolean(valid[i]);
    for (const c of columns) if (!Number.isFinite(c[i])) ok = false;
    if (ok) {
      use[i] = 1;
      validCount++;
    }
  }
  if (validCount < minAreas) throw new TooFewAreasError(validCount, minAreas);
  const z: Float64Array[] = [];
  const means: number[] = [];
  const sds: number[] = [];
  const sum = new Float64Array(n).fill(NaN);
  for (let j = 0; j < columns.length; j++) {
    const r = zOverValid(columns[j], use);
    if (!(r.sd > 0)) throw new ConstantIndicatorError(j);
    const sign = polarity && polarity[j] === -1 ? -1 : 1;
    if (sign === -1) for (let i = 0; i < n; i++) r.z[i] = -r.z[i];
    z.push(r.z);
    means.push(r.mean);
    sds.push(r.sd);
    for (let i = 0; i < n; i++) if (use[i]) sum[i] = (j === 0 ? 0 : sum[i]) + r.z[i];
  }
  const s = zOverValid(sum, use);
  // With one indicator the sum is already standardised; a constant sum cannot happen unless
  // indicators cancel exactly, which we report like a constant indicator.
  if (!(s.sd > 0)) throw new ConstantIndicatorError(-1);
  return { z, sum, index: s.z, means, sds, sumMean: s.mean, sumSd: s.sd, validCount };
}

export interface IndexMember {
  statusZ: number | null;
  statusClass: StatusCode | null;
  dynamicsZ: number | null;
  dynamicsClass: DynamicsCode | null;
  combinedClass: number | null;
}

/** Classes for every area from the two index vectors (null where an index is NaN). */
export function classify(
  status: Float64Array,
  dynamics: Float64Array,
  sc: StatusCutoffs = DEFAULT_STATUS_CUTOFFS,
  dc: DynamicsCutoffs = DEFAULT_DYNAMICS_CUTOFFS,
): IndexMember[] {
  const out: IndexMember[] = new Array(status.length);
  for (let i = 0; i < status.length; i++) {
    const s = statusClass(status[i], sc);
    const d = dynamicsClass(dynamics[i], dc);
    out[i] = {
      statusZ: Number.isFinite(status[i]) ? status[i] : null,
      statusClass: s,
      dynamicsZ: Number.isFinite(dynamics[i]) ? dynamics[i] : null,
      dynamicsClass: d,
      combinedClass: combinedClass(s, d)?.code ?? null,
    };
  }
  return out;
}
