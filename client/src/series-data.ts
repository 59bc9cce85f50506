/**
 * Small multiples of the area profile: which indicators get a time series, in which order, and
 * the rows to draw. Pure, so the choice is tested in node; charts.ts only draws it.
 */
import type { AreaIndicator } from './types.js';

export interface SeriesPoint {
  period: string;
  /** UTC midnight of the period date: a real time axis, so 30.06.2022 sits between the years. */
  date: Date;
  value: number;
}

export interface SeriesPanel {
  key: string;
  label: string;
  unit: string | null;
  /** The indicator selected on the map: drawn first and highlighted. */
  current: boolean;
  points: SeriesPoint[];
}

/** A line needs two points: indicators with fewer non-null periods (most MSS ones) get none. */
export const MIN_SERIES_POINTS = 2;

/**
 * One panel per indicator with at least two non-null periods, the selected one first, the others
 * in the profile's order (the order of the table above the charts).
 */
export function seriesPanels(indicators: readonly AreaIndicator[], selected: string): SeriesPanel[] {
  const panels: SeriesPanel[] = [];
  for (const ind of indicators) {
    const points = (ind.series ?? [])
      .filter((s) => typeof s.value === 'number' && Number.isFinite(s.value))
      .map((s) => ({ period: s.period, date: periodDate(s.period), value: s.value as number }))
      .filter((p) => !Number.isNaN(p.date.getTime()))
      .sort((a, b) => a.date.getTime() - b.date.getTime());
    if (points.length < MIN_SERIES_POINTS) continue;
    panels.push({ key: ind.key, label: ind.label, unit: ind.unit, current: ind.key === selected, points });
  }
  // Stable sort: only the selected panel moves to the front.
  return panels.sort((a, b) => Number(b.current) - Number(a.current));
}

/**
 * The common time span of all panels: small multiples share the x axis, so a dot at the same
 * place means the same date in every panel. Null when there is nothing to draw.
 */
export function seriesExtent(panels: readonly SeriesPanel[]): [Date, Date] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of panels) {
    for (const pt of p.points) {
      lo = Math.min(lo, pt.date.getTime());
      hi = Math.max(hi, pt.date.getTime());
    }
  }
  return Number.isFinite(lo) ? [new Date(lo), new Date(hi)] : null;
}

/** "2022-06-30" → 2022-06-30T00:00Z. */
export function periodDate(period: string): Date {
  return new Date(`${period.slice(0, 10)}T00:00:00Z`);
}

/**
 * Decimals for the y ticks of one panel, from the spread of its values: about three ticks must not
 * print the same rounded number twice (20,0 / 20,5 / 21,0, not 20 / 21 / 21).
 */
export function tickDecimals(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return 0;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const span = hi - lo || Math.abs(hi) || 1;
  return Math.max(0, Math.min(3, Math.ceil(-Math.log10(span / 3))));
}
