/**
 * Strict number parsing for indicator cells. Number('') is 0 and Number('12abc')
 * is NaN but parseFloat('12abc') is 12: neither is acceptable for statistics, so
 * a cell must be a whole decimal literal or it is rejected.
 */
const DOT_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// With decimal ',' a '.' may only group thousands: 1.234.567,5
const COMMA_NUMBER = /^[+-]?(\d{1,3}(\.\d{3})+|\d+)?(,\d*)?([eE][+-]?\d+)?$/;

/** The number in `text`, or undefined when it is not a number in that notation. */
export function parseDecimal(text: string, decimal: '.' | ','): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (decimal === '.') return DOT_NUMBER.test(s) ? Number(s) : undefined;
  if (!COMMA_NUMBER.test(s) || !/\d/.test(s)) return undefined;
  return Number(s.replace(/\./g, '').replace(',', '.'));
}

/**
 * Spellings of "not a number" that spreadsheets and programs write into number columns:
 * NaN, Infinity, inf (R, Python, JavaScript) and Excel's error values in German and English.
 */
const NON_FINITE_WORD =
  /^[+-]?(nan|inf|infinity|unendlich|#nv|#n\/a|#div\/0!?|#wert!|#value!|#zahl!|#num!|#bezug!|#ref!|#name\?|#null!)$/i;

/**
 * Why a cell is a non-finite value, or undefined when it is not one: a NaN/Infinity word, an
 * Excel error value or a literal beyond the float range (1e309 would be stored as Infinity).
 * Such a cell is an error, never a skipped column: the value behind it is unknown.
 */
export function nonFiniteReason(text: string, decimal: '.' | ','): string | undefined {
  const s = text.trim();
  if (NON_FINITE_WORD.test(s)) {
    return s.startsWith('#')
      ? 'ein Excel-Fehlerwert statt einer Zahl; fehlende Werte leer lassen oder mit --missing angeben'
      : 'keine endliche Zahl (NaN/Infinity); fehlende Werte leer lassen oder mit --missing angeben';
  }
  const v = parseDecimal(s, decimal);
  if (v !== undefined && !Number.isFinite(v)) {
    return 'die Zahl ist zu groß für eine Gleitkommazahl (größer als 1,8·10^308)';
  }
  return undefined;
}

/** A valid calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Values that files commonly use to code "missing" (-9999 in MSS, -1/-9 in the
 * Zensus grid). Only the unambiguous ones are flagged: -1 can be a real change.
 */
export const SUSPICIOUS_SENTINELS = new Set([
  '-9999',
  '-99999',
  '-999',
  '-99',
  '-9999.0',
  '-9999,0',
  '-999.0',
  '-999,0',
]);
