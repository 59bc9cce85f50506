/**
 * RFC 4180 CSV writer (comma, CRLF-free '\n' lines, quotes where needed). Codes stay text,
 * numbers are written with '.' so that spreadsheets and R/Python read them the same way.
 */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s =
      typeof v === 'number'
        ? Number.isFinite(v)
          ? String(v)
          : ''
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(','));
  return lines.join('\n') + '\n';
}
