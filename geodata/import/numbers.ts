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
