/**
 * One area's value as the map tooltip and the ranking show it. Pure.
 * A hidden value names its reason ("geheim (Einwohnerzahl)"), an aggregate below the coverage
 * threshold says it is incomplete ("12,3 % (unvollständig)"), a value the server marks as an
 * estimate — carried over a boundary change by `harmonize`, or from Zensus grid cells of which many
 * were kept secret (estimatedFrom: "geschätzt aus Ebene z1km") — says so ("12,3 % (geschätzt)"),
 * anything else is the formatted value.
 */
import { formatValue } from './format.js';
import { hiddenText } from './hidden-reason.js';
import { INCOMPLETE } from './value-source.js';

/** The fields of an /api/values row this needs. */
export interface ShownValue {
  value: number | null;
  suppressed: boolean;
  suppressionReason?: string | null;
  incomplete?: boolean | null;
  /** "geschätzt aus Ebene plr" for an estimated value (/api/values), else null or absent. */
  estimatedFrom?: string | null;
}

/** The word the tooltip and the legend use for an estimated value. */
export const ESTIMATED = 'geschätzt';

export function shownValue(row: ShownValue, unit: string | null | undefined, kind?: string | null): string {
  if (row.suppressed) return hiddenText(row.suppressionReason);
  const text = formatValue(row.value, unit, kind);
  if (row.value === null) return text;
  const notes = [row.incomplete ? INCOMPLETE : null, row.estimatedFrom ? ESTIMATED : null].filter((n) => n !== null);
  return notes.length > 0 ? `${text} (${notes.join(', ')})` : text;
}

/** The legend line for the estimated values of a map (null: none): "3 Werte geschätzt (aus Ebene z1km)". */
export function estimatedLegendLabel(rows: readonly ShownValue[]): string | null {
  const estimated = rows.filter((r) => r.estimatedFrom && !r.suppressed && r.value !== null);
  if (estimated.length === 0) return null;
  const sources = [...new Set(estimated.map((r) => r.estimatedFrom!.replace(/^geschätzt /, '')))].sort();
  return `${estimated.length} ${estimated.length === 1 ? 'Wert' : 'Werte'} ${ESTIMATED} (${sources.join('; ')})`;
}
