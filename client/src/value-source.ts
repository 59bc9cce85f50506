/**
 * Where a value comes from, in one German line for the area panel. Pure.
 * Every level has its own values now: imported, summed from the child level ("aus 12 von 13
 * Planungsräumen, 97 % der Einwohner") or computed by a formula from summed Grunddaten. An
 * aggregate whose contributing children hold less of the population than the coverage threshold
 * is flagged incomplete by the server; the client only words it.
 */
import { formatNumber } from './format.js';

/** The fields of an /api/areas/{code} indicator row (or an /api/values row) that say how it was made. */
export interface ValueOrigin {
  source?: 'imported' | 'aggregated' | 'formula' | string | null;
  nChildren?: number | null;
  nChildrenTotal?: number | null;
  /** Share (0..1) of the children's population held by the children that contributed. */
  coverage?: number | null;
  incomplete?: boolean | null;
}

/** The word the panel, map tooltip and legend use for an aggregate below the coverage threshold. */
export const INCOMPLETE = 'unvollständig';

/**
 * Coverage as percent: whole percent, but a coverage below 1 never reads "100 %" (one missing
 * child must show), so 0.9976 → "99,7 %"; 0.9738 → "97 %"; 1 → "100 %"; a tiny share → "unter 1 %".
 */
export function coveragePercent(coverage: number): string {
  const pct = coverage * 100;
  if (pct >= 100) return '100 %';
  if (pct > 0 && pct < 0.5) return 'unter 1 %';
  if (pct < 99.5) return `${formatNumber(Math.round(pct), 0)} %`;
  // 99.5 … 99.99: one decimal, rounded down so it stays below 100.
  return `${formatNumber(Math.floor(pct * 10) / 10, 1)} %`;
}

/** Level names by their last word, singular → dative plural ("aus 3 von 4 Planungsräumen"). */
const DATIVE_PLURAL: readonly (readonly [string, string])[] = [
  ['raum', 'räumen'],
  ['region', 'regionen'],
  ['bezirk', 'bezirken'],
  ['gebiet', 'gebieten'],
  ['teil', 'teilen'],
  ['viertel', 'vierteln'],
  ['quartier', 'quartieren'],
  ['zelle', 'zellen'],
  ['kreis', 'kreisen'],
  ['gemeinde', 'gemeinden'],
  ['block', 'blöcken'],
];

/**
 * "Planungsraum" → "Planungsräumen", "Bezirk" → "Bezirken"; a label the table does not know
 * becomes "Teilgebieten", which is always correct German.
 */
export function dativePlural(label: string): string {
  const lower = label.toLowerCase();
  for (const [singular, plural] of DATIVE_PLURAL) {
    if (!lower.endsWith(singular)) continue;
    const at = label.length - singular.length;
    // Keep the case of the word as written ("Bezirk" stays capitalised, "Planungsraum" keeps its stem).
    return label.slice(0, at) + label[at] + plural.slice(1);
  }
  return 'Teilgebieten';
}

/** "aus 12 von 13 Planungsräumen, 97 % der Einwohner"; "aus 1 von 1 Planungsraum" in the singular. */
export function childrenText(
  nChildren: number,
  nChildrenTotal: number,
  childLabel: string | null | undefined,
  coverage: number | null | undefined,
): string {
  const areas =
    nChildrenTotal === 1 ? childLabel || 'Teilgebiet' : childLabel ? dativePlural(childLabel) : 'Teilgebieten';
  const people =
    coverage === null || coverage === undefined || !Number.isFinite(coverage)
      ? ''
      : `, ${coveragePercent(coverage)} der Einwohner`;
  return `aus ${formatNumber(nChildren, 0)} von ${formatNumber(nChildrenTotal, 0)} ${areas}${people}`;
}

/**
 * The origin line of a value: "aus 12 von 13 Planungsräumen, 97 % der Einwohner" (summed),
 * "berechnet (Formel) aus 12 von 13 Planungsräumen, 97 % der Einwohner" (a formula over summed
 * Grunddaten), "berechnet (Formel)" (a formula on the lowest level), "eingelesen" (imported).
 * @param childLabel label of the child level the value was summed from (GET /api/levels); null on the lowest level
 */
export function sourceText(origin: ValueOrigin, childLabel: string | null | undefined): string {
  const { nChildren, nChildrenTotal } = origin;
  const children =
    typeof nChildren === 'number' && typeof nChildrenTotal === 'number' && nChildrenTotal > 0
      ? childrenText(nChildren, nChildrenTotal, childLabel, origin.coverage)
      : '';
  switch (origin.source) {
    case 'aggregated':
      return children || 'aus den Teilgebieten summiert';
    case 'formula':
      return children ? `berechnet (Formel) ${children}` : 'berechnet (Formel)';
    case 'imported':
      return 'eingelesen';
    default:
      return '';
  }
}
