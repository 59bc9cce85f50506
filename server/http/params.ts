/**
 * The request parameters every route shares, validated the same way everywhere. Keys and codes
 * are restricted to a safe alphabet (they are still always bound, never spliced into SQL).
 */
import { z } from 'zod';
import {
  AREA_CODE_PATTERN,
  AREA_CODE_RULE,
  INDICATOR_KEY_PATTERN,
  INDICATOR_KEY_RULE,
  LEVEL_KEY_PATTERN,
  LEVEL_KEY_RULE,
} from '../../analysis/keys.js';

/** A level key such as 'plr' or 'kreis'. */
export const levelKey = z.string().regex(LEVEL_KEY_PATTERN, LEVEL_KEY_RULE);

/** An indicator key such as 'S4' or 'KI_01'. */
export const indicatorKey = z.string().regex(INDICATOR_KEY_PATTERN, INDICATOR_KEY_RULE);

/** An area code (official key as text, e.g. '01100101'). */
export const areaCode = z.string().regex(AREA_CODE_PATTERN, AREA_CODE_RULE);

/** True for a real calendar date in YYYY-MM-DD (2020-02-30 is not one; JavaScript's Date.parse would roll it over). */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A period as a calendar date YYYY-MM-DD. */
export const isoDate = z.string().refine(isIsoDate, 'Zeitraum als gültiges Datum JJJJ-MM-TT');
