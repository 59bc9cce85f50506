/**
 * Number and date formatting for the German UI. Pure: no DOM, testable in node.
 * The numbers come from analysis/number-format.ts, the one de-DE formatter the reports and the
 * CLI use too; this module keeps the client's names and adds units, periods and ranks.
 */
import { formatDecimal, MISSING } from '../../analysis/number-format.js';

// formatNumber: fixed decimals (default 1), "1.234,5", "−0,9", "0,0" for −0.01.
// formatUpTo: at most n decimals, trailing zeros dropped ("90", "99,5").
export {
  formatDecimal as formatNumber,
  formatShare,
  formatSigned,
  formatUpTo,
  MISSING,
} from '../../analysis/number-format.js';

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
  const n = formatDecimal(value, decimals);
  if (n === MISSING || !unit) return n;
  return `${n} ${unit}`;
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
