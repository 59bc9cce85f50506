/**
 * The 3–5 key figures of the Beratung view, in plain words. Pure.
 * Advisors talk to residents: no "z-Wert", no "Quantil", just the number, the unit and
 * how it compares with the city as a whole.
 */
import type { AreaDetail, AreaIndicator } from './types.js';
import { formatPeriod, formatValue } from './format.js';

/**
 * Preferred indicators, in this order: residents and the share of older people (many
 * Beratungszentren serve them), then the MSS status indicators, which advisors know.
 */
export const PREFERRED_KEY_FIGURES = ['EW', 'EW_65', 'S1', 'S3', 'S4', 'KI_01', 'KI_05'];

export interface KeyFigure {
  key: string;
  label: string;
  value: string;
  comparison: string;
  /** Date of the figure, "31.12.2024": figures are not all updated at the same time. */
  stand: string;
}

/** "höher als in der Gesamtstadt (5,1 %)" etc. A 5 % relative band counts as "etwa so hoch". */
export function comparisonText(value: number | null, region: number | null, unit: string | null): string {
  if (value === null || region === null || !Number.isFinite(value) || !Number.isFinite(region)) return '';
  const ref = formatValue(region, unit);
  const tol = Math.abs(region) * 0.05;
  if (Math.abs(value - region) <= tol) return `etwa so hoch wie in der Gesamtstadt (${ref})`;
  return value > region ? `höher als in der Gesamtstadt (${ref})` : `niedriger als in der Gesamtstadt (${ref})`;
}

export function keyFigures(area: AreaDetail, max = 5): KeyFigure[] {
  const byKey = new Map(area.indicators.map((i) => [i.key, i]));
  const chosen: AreaIndicator[] = [];
  for (const k of PREFERRED_KEY_FIGURES) {
    const ind = byKey.get(k);
    if (ind && !ind.suppressed && ind.value !== null) chosen.push(ind);
  }
  // Other data sets have other keys: fill up with the first indicators that have a value.
  for (const ind of area.indicators) {
    if (chosen.length >= max) break;
    if (!chosen.includes(ind) && !ind.suppressed && ind.value !== null && ind.polarity !== 0) chosen.push(ind);
  }
  return chosen.slice(0, max).map((i) => ({
    key: i.key,
    label: i.label,
    value: formatValue(i.value, i.unit, i.key === 'EW' ? 'count' : undefined),
    comparison: i.key === 'EW' ? '' : comparisonText(i.value, i.regionValue, i.unit),
    stand: formatPeriod(i.period ?? area.period),
  }));
}
