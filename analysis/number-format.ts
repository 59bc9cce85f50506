/**
 * German (de-DE) number formatting for everything a person reads: the client, the printed
 * profiles, the CLI's text output and the plain-German sentences of analysis/. One place decides
 * the decimal comma, the dot as thousands separator, the typographic minus (U+2212) and the dash
 * for missing values, so a value reads the same on the map, on paper and in the terminal.
 *
 * Intl does the grouping and the rounding (half away from zero on the shortest decimal form, so
 * 2.675 → "2,68", as a reader expects), and `signDisplay` keeps a value that rounds to zero from
 * printing as "−0,0". Pure: no DOM, no I/O, so the browser bundle and node share it.
 * Machine-readable output (CSV, JSON) keeps '.' decimals and does not use this module.
 */

/** Shown for a missing, suppressed or non-finite value: an en dash, never "NaN" or "null". */
export const MISSING = '–';

/** The typographic minus that replaces Intl's hyphen-minus in every negative number. */
export const MINUS = '\u2212';

type SignDisplay = 'negative' | 'exceptZero';

const formats = new Map<string, Intl.NumberFormat>();

/** A cached de-DE formatter; building one costs far more than using it, and tables format thousands of cells. */
function numberFormat(minDecimals: number, maxDecimals: number, sign: SignDisplay): Intl.NumberFormat {
  const key = `${minDecimals}/${maxDecimals}/${sign}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('de-DE', {
      minimumFractionDigits: minDecimals,
      maximumFractionDigits: maxDecimals,
      signDisplay: sign,
    });
    formats.set(key, f);
  }
  return f;
}

function isPresent(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && Number.isFinite(value);
}

function format(value: number, minDecimals: number, maxDecimals: number, sign: SignDisplay): string {
  return numberFormat(minDecimals, maxDecimals, sign).format(value).replace('-', MINUS);
}

/** A number with exactly `decimals` decimals (default 1): 1234567.891 → "1.234.567,9", −1.26 → "−1,3". */
export function formatDecimal(value: number | null | undefined, decimals = 1): string {
  if (!isPresent(value)) return MISSING;
  return format(value, decimals, decimals, 'negative');
}

/** At most `maxDecimals` decimals, trailing zeros dropped (default 2): 3.10 → "3,1", 12 → "12". */
export function formatUpTo(value: number | null | undefined, maxDecimals = 2): string {
  if (!isPresent(value)) return MISSING;
  return format(value, 0, maxDecimals, 'negative');
}

/** With an explicit sign for changes and z-scores (default 1 decimal): "+1,8", "−0,9"; "0,0" when it rounds to zero. */
export function formatSigned(value: number | null | undefined, decimals = 1): string {
  if (!isPresent(value)) return MISSING;
  return format(value, decimals, decimals, 'exceptZero');
}

/** A share 0..1 as percent with a space before the sign (DIN 5008), default no decimals: 0.4321 → "43 %". */
export function formatShare(value: number | null | undefined, decimals = 0): string {
  if (!isPresent(value)) return MISSING;
  return `${formatDecimal(value * 100, decimals)} %`;
}
