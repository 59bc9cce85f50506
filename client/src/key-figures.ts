/**
 * The 3–5 key figures of the Beratung view, in plain words. Pure.
 * Counsellors of older people talk to residents: no "z-Wert", no "Quantil", just the number, the
 * unit, "mehr/weniger als in Berlin insgesamt" and the date of the figure.
 */
import type { AreaDetail, AreaIndicator } from './types.js';
import { formatPeriod, formatValue } from './format.js';

/**
 * Preferred indicators, in this order: residents, the share of older people, old-age poverty
 * (Grundsicherung im Alter), single parents (a data set with a share of people living alone,
 * "ALLEIN" or "HH_1P", shows it before them) and the care places per 100 older residents
 * (PFLEGE_Q, from the care homes in the area). The nearest care homes themselves come from the
 * facilities (GET /api/areas/{code}/nearby).
 */
export const PREFERRED_KEY_FIGURES = ['EW', 'EW_65', 'KI_03', 'ALLEIN', 'HH_1P', 'KI_02', 'PFLEGE_Q'];

/** Plain labels where the indicator's own label is a technical term. */
const PLAIN_LABELS: Readonly<Record<string, string>> = {
  EW: 'Einwohnerinnen und Einwohner',
  KI_03: 'Altersarmut: Ältere mit Grundsicherung',
  KI_02: 'Alleinerziehende (Anteil der Familien)',
  PFLEGE_Q: 'Pflegeplätze im Gebiet je 100 Menschen ab 65',
};

export interface KeyFigure {
  key: string;
  label: string;
  value: string;
  comparison: string;
  /** Date of the figure, "31.12.2024": figures are not all updated at the same time. */
  stand: string;
}

/**
 * "mehr als in Berlin insgesamt (5,1 %)" etc. A 5 % relative band counts as "etwa so viel"; no
 * judgement ("besser", "schlechter"), only the direction.
 */
export function comparisonText(
  value: number | null,
  region: number | null,
  unit: string | null,
  regionName = 'Berlin',
): string {
  if (value === null || region === null || !Number.isFinite(value) || !Number.isFinite(region)) return '';
  const ref = formatValue(region, unit);
  const tol = Math.abs(region) * 0.05;
  if (Math.abs(value - region) <= tol) return `etwa so viel wie in ${regionName} insgesamt (${ref})`;
  return value > region
    ? `mehr als in ${regionName} insgesamt (${ref})`
    : `weniger als in ${regionName} insgesamt (${ref})`;
}

/** At least three figures: the preferred ones, then (other data sets) the first indicators with a value. */
export function keyFigures(area: AreaDetail, max = 5, regionName = 'Berlin'): KeyFigure[] {
  const byKey = new Map(area.indicators.map((i) => [i.key, i]));
  const shown = (i: AreaIndicator | undefined): i is AreaIndicator => !!i && !i.suppressed && i.value !== null;
  const chosen: AreaIndicator[] = PREFERRED_KEY_FIGURES.map((k) => byKey.get(k)).filter(shown);
  for (const ind of area.indicators) {
    if (chosen.length >= 3) break;
    if (!chosen.includes(ind) && shown(ind) && ind.polarity !== 0) chosen.push(ind);
  }
  return chosen.slice(0, max).map((i) => ({
    key: i.key,
    label: PLAIN_LABELS[i.key] ?? i.label,
    value: formatValue(i.value, i.unit, i.key === 'EW' ? 'count' : undefined),
    comparison: i.key === 'EW' ? '' : comparisonText(i.value, i.regionValue, i.unit, regionName),
    stand: formatPeriod(i.period ?? area.period),
  }));
}
