/**
 * RFC 4180 CSV writer (comma, CRLF-free '\n' lines, quotes where needed). Codes stay text,
 * numbers are written with '.' so that spreadsheets and R/Python read them the same way.
 * Formula-like text (=, +, −, @, tab, CR first) gets a leading apostrophe (cells.ts). For German
 * Excel see csv-de.ts; for codes with leading zeros in Excel, xlsx.ts.
 */
import { cellOf, neutraliseFormula } from './cells.js';

export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown): string => {
    const c = cellOf(v);
    const s =
      c.kind === 'empty'
        ? ''
        : c.kind === 'number'
          ? String(c.value)
          : c.kind === 'boolean'
            ? String(c.value)
            : neutraliseFormula(c.value);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(','));
  return lines.join('\n') + '\n';
}
