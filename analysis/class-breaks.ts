/**
 * Class breaks for choropleth maps: quantiles, equal intervals, Fisher-Jenks natural breaks and
 * standard-deviation classes. Pure code on plain numbers; no I/O.
 *
 * Representation: k classes are described by k − 1 interior thresholds t₁ ≤ … ≤ t_{k−1} plus the
 * data's min and max (for the legend). A value v falls in class c (0 = lowest) where c is the number
 * of thresholds strictly below v, i.e. classes are closed at the top: (t_c, t_{c+1}]. This is the
 * convention of mapclassify/GeoDa ("upper bounds"), and it keeps working when thresholds lie outside
 * [min, max] (standard-deviation classes on skewed data) or coincide (quantiles on tied data: the
 * class between two equal thresholds is then simply empty).
 */

export type BreakMethod = 'quantile' | 'equal' | 'jenks' | 'sd';
export const BREAK_METHODS: readonly BreakMethod[] = ['quantile', 'equal', 'jenks', 'sd'];

export interface ClassBreaks {
  method: BreakMethod;
  /** Number of classes asked for. */
  classes: number;
  /** k − 1 interior thresholds, ascending; empty when there are no values. */
  thresholds: number[];
  /** Smallest and largest classified value (null when there are none). */
  min: number | null;
  max: number | null;
  /** How many values the breaks were computed from. */
  n: number;
}

export interface ClassBreakOptions {
  /**
   * Fisher-Jenks is O(k·n²). Above this many values it runs on an evenly spaced sample of the sorted
   * values (always including min and max), like mapclassify's FisherJenksSampled. Default 4000:
   * about 0.1 s for k = 7; the Berlin levels (542 and 143 areas) are computed exactly.
   */
  jenksMaxValues?: number;
}

/** Computes class breaks for the finite values in `values` (null/NaN/±Infinity are ignored). */
export function classBreaks(
  values: ArrayLike<number | null | undefined>,
  method: BreakMethod,
  classes: number,
  opts: ClassBreakOptions = {},
): ClassBreaks {
  if (!Number.isInteger(classes) || classes < 1)
    throw new RangeError(`classes must be a positive integer, got ${classes}`);
  const sorted = finiteSorted(values);
  const n = sorted.length;
  const base = { method, classes, n, min: n ? sorted[0] : null, max: n ? sorted[n - 1] : null };
  if (n === 0) return { ...base, thresholds: [] };
  let thresholds: number[];
  switch (method) {
    case 'quantile':
      thresholds = quantileThresholds(sorted, classes);
      break;
    case 'equal':
      thresholds = equalThresholds(sorted[0], sorted[n - 1], classes);
      break;
    case 'jenks':
      thresholds = jenksThresholds(sorted, classes, opts.jenksMaxValues ?? 4000);
      break;
    case 'sd':
      thresholds = sdThresholds(sorted, classes);
      break;
    default:
      throw new RangeError(`unknown class break method: ${String(method)}`);
  }
  return { ...base, thresholds };
}

/** Class index (0 = lowest) of v under the given thresholds; null for a missing or non-finite value. */
export function classify(v: number | null | undefined, thresholds: readonly number[]): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  // Binary search for the number of thresholds strictly below v (thresholds are ascending).
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function finiteSorted(values: ArrayLike<number | null | undefined>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/**
 * Quantile p of sorted data by linear interpolation between order statistics (Hyndman & Fan type 7,
 * the default of R's quantile() and numpy.percentile), so the figures can be checked there.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function quantileThresholds(sorted: Float64Array, k: number): number[] {
  const t: number[] = [];
  for (let i = 1; i < k; i++) t.push(quantileSorted(sorted, i / k));
  return t;
}

function equalThresholds(min: number, max: number, k: number): number[] {
  const t: number[] = [];
  // min + i·w rather than repeated addition, so the error does not accumulate over the classes.
  for (let i = 1; i < k; i++) t.push(min + ((max - min) * i) / k);
  return t;
}

/**
 * Standard-deviation classes, each one (population, ddof 0) SD wide and centred on the mean:
 * thresholds at mean + (i − k/2)·sd for i = 1 … k − 1. With an odd k the middle class is
 * mean ± 0.5 sd; with an even k the mean itself is a threshold. The outer classes are open.
 */
function sdThresholds(sorted: Float64Array, k: number): number[] {
  const n = sorted.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i] - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  const t: number[] = [];
  for (let i = 1; i < k; i++) t.push(mean + (i - k / 2) * sd);
  return t;
}

/**
 * Fisher-Jenks natural breaks: the partition of the sorted values into k contiguous classes with the
 * least total within-class sum of squared deviations (Fisher 1958), found exactly by dynamic
 * programming over prefix sums. Thresholds are the largest value of each class but the last
 * (mapclassify's bins without the max). With fewer distinct values than classes, the surplus classes
 * are empty (repeated thresholds).
 */
function jenksThresholds(sortedAll: Float64Array, k: number, maxValues: number): number[] {
  const sorted = sortedAll.length > maxValues ? evenSample(sortedAll, maxValues) : sortedAll;
  const n = sorted.length;
  if (k <= 1) return [];
  if (k >= n) return Array.from({ length: k - 1 }, (_, i) => sorted[Math.min(i, n - 1)]);

  // Prefix sums of x and x² give the SSD of any run sorted[i..j] in O(1).
  // Values are shifted by their mean first so the sums of squares do not lose precision.
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i];
  mean /= n;
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const x = sorted[i] - mean;
    s1[i + 1] = s1[i] + x;
    s2[i + 1] = s2[i] + x * x;
  }
  const ssd = (i: number, j: number): number => {
    // values i … j inclusive
    const m = j - i + 1;
    const s = s1[j + 1] - s1[i];
    return Math.max(0, s2[j + 1] - s2[i] - (s * s) / m);
  };

  // cost[c][j]: least SSD of sorted[0..j] in c + 1 classes; from[c][j]: start index of its last class.
  let prev = new Float64Array(n);
  for (let j = 0; j < n; j++) prev[j] = ssd(0, j);
  const from: Int32Array[] = [new Int32Array(n)];
  for (let c = 1; c < k; c++) {
    const cur = new Float64Array(n).fill(Infinity);
    const arg = new Int32Array(n);
    for (let j = c; j < n; j++) {
      let best = Infinity;
      let bestI = c;
      // the last class is sorted[i..j]; the first c classes need at least c values
      for (let i = j; i >= c; i--) {
        const v = prev[i - 1] + ssd(i, j);
        if (v < best) {
          best = v;
          bestI = i;
        }
      }
      cur[j] = best;
      arg[j] = bestI;
    }
    from.push(arg);
    prev = cur;
  }
  // Walk back from the last value: each class start gives the threshold (the value before it).
  const t: number[] = new Array(k - 1);
  let j = n - 1;
  for (let c = k - 1; c >= 1; c--) {
    const i = from[c][j];
    t[c - 1] = sorted[i - 1];
    j = i - 1;
  }
  return t;
}

/** m values evenly spaced by rank from sorted data, keeping both ends. */
function evenSample(sorted: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m);
  const step = (sorted.length - 1) / (m - 1);
  for (let i = 0; i < m; i++) out[i] = sorted[Math.round(i * step)];
  return out;
}
