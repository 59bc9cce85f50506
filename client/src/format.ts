/**
 * Number and date formatting for the German UI. Pure: no DOM, testable in node.
 * Intl is used (not hand-made separators) so grouping and the decimal comma follow de-DE.
 */

const cache = new Map<string, Intl.NumberFormat>();

function nf(min: number, max: number): Intl.NumberFormat {
  const key = `${min}/${max}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat('de-DE', { minimumFractionDigits: min, maximumFractionDigits: max });
    cache.set(key, f);
  }
  return f;
}

/** A dash for missing values: the UI never shows "NaN" or "null". */
export const MISSING = '–';

/** de-DE number with a fixed number of decimals (default 1). */
export function formatNumber(value: number | null | undefined, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  // Avoid "-0,0": a value that rounds to zero is shown without sign.
  const rounded = Number(value.toFixed(decimals));
  return nf(decimals, decimals).format(rounded === 0 ? 0 : rounded).replace('-', '−');
}

/** Decimals that suit a unit: counts as integers, rates and indices with one decimal. */
export function decimalsFor(unit: string | null | undefined, kind?: string | null): number {
  if (kind === 'count' || kind === 'class') return 0;
  if (unit === 'EW' || unit === 'Anzahl' || unit === 'Personen') return 0;
  return 1;
}

/** Value with its unit ("12,3 %", "3.419 EW"); units that are words get a space, "%" too (DIN 5008). */
export function formatValue(
  value: number | null | undefined,
  unit?: string | null,
  kind?: string | null,
  decimals = decimalsFor(unit, kind),
): string {
  const n = formatNumber(value, decimals);
  if (n === MISSING || !unit) return n;
  return `${n} ${unit}`;
}

/** Signed number for changes and z-scores: "+1,8", "−0,9". */
export function formatSigned(value: number | null | undefined, decimals = 1): string {
  const n = formatNumber(value, decimals);
  if (n === MISSING) return n;
  return value! > 0 && n !== formatNumber(0, decimals) ? `+${n}` : n;
}

/** Share 0..1 as percent: 0.4321 → "43 %". */
export function formatShare(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return `${formatNumber(value * 100, decimals)} %`;
}

/** ISO date "2020-12-31" → "31.12.2020"; anything else is returned unchanged. */
export function formatPeriod(period: string | null | undefined): string {
  if (!period) return MISSING;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(period);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : period;
}

/** Rank as "12. von 536". */
export function formatRank(rank: number | null | undefined, n: number | null | undefined): string {
  if (rank === null || rank === undefined || !Number.isFinite(rank)) return MISSING;
  return n ? `${rank}. von ${n}` : `${rank}.`;
}

/** A date for print footers: "22.11.2025". */
export function formatToday(date = new Date()): string {
  return new Intl.DateTimeFormat('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric' }).format(date);
}
