/**
 * Formatting for the printed Sozialstruktur-Profil (German by default, like the client): numbers
 * through analysis/number-format.ts, the one de-DE formatter of the client and the CLI too, plus
 * the report's own decimals rule, HTML escaping and dates.
 */
import { formatDecimal, formatSigned } from '../../analysis/number-format.js';

/** Decimals shown for a value: none for counts, two for everything else (MSS tables print 2). */
export function decimalsFor(kind: string): number {
  return kind === 'count' || kind === 'class' ? 0 : 2;
}

/** A value with fixed decimals (default 2): "1.234,50", "−0,53", "–" when missing. */
export function fmt(v: number | null | undefined, decimals = 2): string {
  return formatDecimal(v, decimals);
}

/** Signed, for changes: "+1,25" / "−0,50" (typographic minus); a change that rounds to zero has no sign. */
export function fmtSigned(v: number | null | undefined, decimals = 2): string {
  return formatSigned(v, decimals);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** 2020-12-31 → 31.12.2020 */
export function fmtDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}
