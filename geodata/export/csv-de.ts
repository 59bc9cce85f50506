/**
 * CSV for German Excel ("csv-de"): what a double click in Excel with German settings reads as
 * columns — semicolon separator, decimal comma, UTF-8 with a byte order mark (otherwise Excel
 * reads ANSI and breaks umlauts), CRLF line ends, WAHR/FALSCH for booleans. Numbers are written
 * in full precision without thousands separators; text is quoted where it holds ; " or a line
 * break, and formula-like text is neutralised (cells.ts). Excel still turns a code such as
 * 01100415 into a number when it opens a CSV: the XLSX export (xlsx.ts) keeps codes as text.
 */
import { cellOf, neutraliseFormula } from './cells.js';

export const UTF8_BOM = '\uFEFF';

/** A number with a decimal comma: 12.5 → "12,5", -0.25 → "-0,25", 1e-7 → "1E-7". */
export function germanNumber(v: number): string {
  return String(v).replace('.', ',').replace('e', 'E');
}

export function toCsvDe(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown): string => {
    const c = cellOf(v);
    const s =
      c.kind === 'empty'
        ? ''
        : c.kind === 'number'
          ? germanNumber(c.value)
          : c.kind === 'boolean'
            ? c.value
              ? 'WAHR'
              : 'FALSCH'
            : neutraliseFormula(c.value);
    return /[";\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map(cell).join(';')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(';'));
  return UTF8_BOM + lines.join('\r\n') + '\r\n';
}
