/**
 * Class breaks for choropleth maps. Pure: numbers in, limits out.
 *
 * Limits are returned as n+1 ascending numbers [min, b1, …, b(n-1), max]; class 0 covers
 * [limits[0], limits[1]] and class i > 0 covers (limits[i], limits[i+1]]. The client computes the
 * breaks from /api/values with the shared analysis code, so the legend shows exactly the limits
 * the map is coloured with, and they equal the tiles' `class`.
 */

import {
  classBreaks as sharedClassBreaks,
  classify as sharedClassify,
  quantileSorted,
  type BreakMethod,
} from '../../analysis/class-breaks.js';

export type ClassMethod = BreakMethod;

export const CLASS_METHODS: readonly { key: ClassMethod; label: string }[] = [
  { key: 'quantile', label: 'Quantile (gleich viele Gebiete)' },
  { key: 'jenks', label: 'Natürliche Brüche (Jenks)' },
  { key: 'equal', label: 'Gleiche Intervalle' },
  { key: 'sd', label: 'Standardabweichung' },
];

export const MIN_CLASSES = 3;
export const MAX_CLASSES = 7;

export function clampClasses(n: number): number {
  if (!Number.isFinite(n)) return 5;
  return Math.min(MAX_CLASSES, Math.max(MIN_CLASSES, Math.round(n)));
}

function finiteSorted(values: readonly (number | null | undefined)[]): Float64Array {
  const out = new Float64Array(values.length);
  let m = 0;
  for (const v of values) if (v !== null && v !== undefined && Number.isFinite(v)) out[m++] = v;
  return out.subarray(0, m).sort();
}

export { quantileSorted };

/**
 * Limits [min, t1, …, t(n−1), max] for n classes. The breaks themselves come from the shared
 * pure module analysis/class-breaks.ts, the same code that sets the `class` property of the
 * indicator tiles, so map, legend and tiles agree. Classes are closed at the top (mapclassify/GeoDa
 * convention): a value equal to a limit belongs to the lower class. Jenks never makes more classes
 * than there are distinct values; an empty input gives [].
 */
export function classBreaks(
  values: readonly (number | null | undefined)[],
  method: ClassMethod,
  classes: number,
): number[] {
  const s = finiteSorted(values);
  if (s.length === 0) return [];
  let n = clampClasses(classes);
  if (s[0] === s[s.length - 1]) return [s[0], s[0]];
  if (method === 'jenks') {
    let distinct = 1;
    for (let i = 1; i < s.length; i++) if (s[i] !== s[i - 1]) distinct++;
    n = Math.min(n, distinct);
  }
  const b = sharedClassBreaks(s, method, n);
  // SD limits can fall outside [min, max] on skewed data: keep the list ascending.
  const limits = [s[0], ...b.thresholds.map((t) => Math.min(Math.max(t, s[0]), s[s.length - 1])), s[s.length - 1]];
  return limits;
}

/** Class index of a value under the limits (closed at the top), or -1 for missing values. Values outside the range go to the end classes. */
export function classOf(value: number | null | undefined, limits: readonly number[]): number {
  if (value === null || value === undefined || !Number.isFinite(value) || limits.length < 2) return -1;
  const c = sharedClassify(value, limits.slice(1, -1)) ?? -1;
  return Math.min(c, limits.length - 2);
}

/** Number of areas per class, for the legend. */
export function classCounts(values: readonly (number | null | undefined)[], limits: readonly number[]): number[] {
  const counts = new Array<number>(Math.max(0, limits.length - 1)).fill(0);
  for (const v of values) {
    const c = classOf(v, limits);
    if (c >= 0) counts[c]++;
  }
  return counts;
}

/**
 * Limits around zero for diverging change maps, with the chosen method. An odd number of classes:
 * a middle class for "about unchanged", decreases below it and increases above it.
 * - equal / sd: symmetric around zero, |max| split into equal steps on both sides.
 * - quantile / jenks: the middle class holds the 1/n of areas with the smallest change (|change| up
 *   to the 1/n quantile of |change|); the decreases and the increases beyond it are each split with
 *   the method into (n − 1)/2 classes. On skewed change (most areas a little up, few far out) the
 *   symmetric steps put nearly every area into one class; these breaks spread them.
 */
export function divergingBreaks(
  values: readonly (number | null | undefined)[],
  classes: number,
  method: ClassMethod = 'equal',
): number[] {
  const s = finiteSorted(values);
  if (s.length === 0) return [];
  const n = clampClasses(classes % 2 === 0 ? classes + 1 : classes); // odd: a middle class for "no change"
  if (method === 'quantile' || method === 'jenks') return splitAroundZero(s, n, method);
  const extent = Math.max(Math.abs(s[0]), Math.abs(s[s.length - 1])) || 1;
  // The middle class spans ±half a step so that "about unchanged" is one neutral class.
  const step = (2 * extent) / n;
  const out: number[] = [-extent];
  for (let i = 1; i < n; i++) out.push(-extent + i * step);
  out.push(extent);
  return out;
}

/** Quantile or Jenks breaks on each side of a middle class around zero (see divergingBreaks). */
function splitAroundZero(s: Float64Array, n: number, method: 'quantile' | 'jenks'): number[] {
  if (s[0] === s[s.length - 1]) return [s[0], s[0]];
  const abs = Float64Array.from(s, Math.abs).sort();
  const t = quantileSorted(abs, 1 / n);
  const neg = s.filter((v) => v < -t);
  const pos = s.filter((v) => v > t);
  // With many exact zeros t is 0: the middle class is (largest decrease, 0], holding the zeros.
  const lowMid = t > 0 ? -t : neg.length ? neg[neg.length - 1] : Math.min(0, s[0]);
  const m = (n - 1) / 2;
  // Exactly m − 1 thresholds per side, padded with the side's edge: an empty class keeps its place,
  // so the middle class is always class m and takes the palette's neutral colour.
  const side = (arr: Float64Array, edge: number): number[] => {
    let b: number[] = [];
    if (arr.length >= 2 && arr[0] !== arr[arr.length - 1]) {
      const classes = method === 'jenks' ? Math.min(m, new Set(arr).size) : m;
      b = sharedClassBreaks(arr, method, classes).thresholds.filter((x) => x > arr[0] && x < arr[arr.length - 1]);
    }
    while (b.length < m - 1) b.push(edge);
    return b.slice(0, m - 1).sort((x, y) => x - y);
  };
  const lo = Math.min(s[0], lowMid);
  const hi = Math.max(s[s.length - 1], t);
  return [lo, ...side(neg, lo), lowMid, t, ...side(pos, hi), hi];
}
