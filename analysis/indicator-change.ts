/**
 * Change of an indicator between two periods, per area.
 *
 * - absolute: to − from, in the indicator's own unit. For a rate (a share in %) this difference
 *   is in PERCENTAGE POINTS (pp), which is what "Veränderung" means in social reporting: a rise
 *   of unemployment from 4 % to 6 % is +2 pp, not +50 %.
 * - relative: (to − from) / |from| · 100, in %. Undefined (null) when from is 0, because a
 *   change from nothing has no finite ratio; we do not invent one.
 * - direction: judged by the indicator's polarity (+1: higher means more need), so a client can
 *   colour "verbessert"/"verschlechtert" without knowing the indicator.
 *
 * Pure code: no I/O.
 */

export type IndicatorKind = 'rate' | 'count' | 'mean' | 'index' | 'class';
export type Direction = 'verbessert' | 'verschlechtert' | 'unverändert' | 'ohne Wertung';

export interface ChangeValue {
  from: number | null;
  to: number | null;
  absolute: number | null;
  relative: number | null;
  direction: Direction | null;
}

/**
 * Changes whose absolute size is at most this are "unverändert" (default 1e-9): it only
 * absorbs floating-point noise, it is not a substantive threshold.
 */
export const NO_CHANGE_EPSILON = 1e-9;

/** Unit of the absolute change: percentage points for rates, otherwise the indicator unit. */
export function absoluteUnit(kind: IndicatorKind, unit: string | null): string | null {
  if (kind === 'rate') return 'Prozentpunkte';
  return unit;
}

export function direction(absolute: number, polarity: number, epsilon = NO_CHANGE_EPSILON): Direction {
  if (Math.abs(absolute) <= epsilon) return 'unverändert';
  if (polarity === 0) return 'ohne Wertung';
  return absolute * polarity > 0 ? 'verschlechtert' : 'verbessert';
}

/** The change for one area; missing inputs give nulls, never zeros. */
export function changeOf(from: number | null, to: number | null, polarity = 0): ChangeValue {
  const f = from !== null && Number.isFinite(from) ? from : null;
  const t = to !== null && Number.isFinite(to) ? to : null;
  if (f === null || t === null) return { from: f, to: t, absolute: null, relative: null, direction: null };
  const absolute = t - f;
  const relative = f === 0 ? null : (absolute / Math.abs(f)) * 100;
  return { from: f, to: t, absolute, relative, direction: direction(absolute, polarity) };
}

export interface ChangeArrays {
  absolute: Float64Array;
  relative: Float64Array;
}

/** Vectorised form for many areas (NaN in, NaN out); used by the service and the benchmark. */
export function changeArrays(from: ArrayLike<number>, to: ArrayLike<number>): ChangeArrays {
  const n = from.length;
  if (to.length !== n) throw new Error(`changeArrays: ${n} from-values but ${to.length} to-values`);
  const absolute = new Float64Array(n);
  const relative = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = to[i] - from[i];
    absolute[i] = a;
    relative[i] = from[i] === 0 ? NaN : (a / Math.abs(from[i])) * 100;
  }
  return { absolute, relative };
}

export interface ChangeSummary {
  /** Areas with both values. */
  n: number;
  improved: number;
  worsened: number;
  unchanged: number;
  meanAbsolute: number | null;
  minAbsolute: number | null;
  maxAbsolute: number | null;
}

export function summarizeChanges(values: readonly ChangeValue[]): ChangeSummary {
  let n = 0,
    improved = 0,
    worsened = 0,
    unchanged = 0,
    sum = 0;
  let min = Infinity,
    max = -Infinity;
  for (const v of values) {
    if (v.absolute === null) continue;
    n++;
    sum += v.absolute;
    if (v.absolute < min) min = v.absolute;
    if (v.absolute > max) max = v.absolute;
    if (v.direction === 'verbessert') improved++;
    else if (v.direction === 'verschlechtert') worsened++;
    else if (v.direction === 'unverändert') unchanged++;
  }
  return {
    n,
    improved,
    worsened,
    unchanged,
    meanAbsolute: n ? sum / n : null,
    minAbsolute: n ? min : null,
    maxAbsolute: n ? max : null,
  };
}
