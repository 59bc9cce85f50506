/**
 * One area's value as the map tooltip and the ranking show it. Pure.
 * A hidden value names its reason ("geheim (Einwohnerzahl)"), an aggregate below the coverage
 * threshold says it is incomplete ("12,3 % (unvollständig)"), anything else is the formatted value.
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
}

export function shownValue(row: ShownValue, unit: string | null | undefined, kind?: string | null): string {
  if (row.suppressed) return hiddenText(row.suppressionReason);
  const text = formatValue(row.value, unit, kind);
  return row.incomplete && row.value !== null ? `${text} (${INCOMPLETE})` : text;
}
