/**
 * The one error an import throws for bad input. It names where the problem is
 * (file, row or feature, field, value) so a user can find and fix it; the CLI
 * prints `message` and exits non-zero, the API will map it to a 400.
 */
export interface ImportErrorLocation {
  file: string;
  /** 1-based data row (CSV, header excluded) or feature index (GeoJSON, Shapefile). */
  row?: number;
  field?: string;
  value?: unknown;
  /** How `row` is named in the message; default 'row'. */
  unit?: 'row' | 'feature';
}

/** The German word for a row ('Zeile') or feature ('Objekt') in messages. */
export function unitLabel(unit: 'row' | 'feature' = 'row', plural = false): string {
  if (unit === 'feature') return plural ? 'Objekte' : 'Objekt';
  return plural ? 'Zeilen' : 'Zeile';
}

export class ImportError extends Error {
  file: string;
  row?: number;
  field?: string;
  value?: unknown;

  constructor(reason: string, where: ImportErrorLocation) {
    super(formatImportMessage(reason, where));
    this.name = 'ImportError';
    this.file = where.file;
    this.row = where.row;
    this.field = where.field;
    this.value = where.value;
  }
}

/** "file.csv, Zeile 3, Feld "S1", Wert "abc": keine Zahl" */
function formatImportMessage(reason: string, w: ImportErrorLocation): string {
  const parts = [w.file];
  if (w.row !== undefined) parts.push(`${unitLabel(w.unit)} ${w.row}`);
  if (w.field !== undefined) parts.push(`Feld "${w.field}"`);
  if (w.value !== undefined) parts.push(`Wert ${showValue(w.value)}`);
  return `${parts.join(', ')}: ${reason}`;
}

/** Quotes strings and shortens long values (a WKT can be megabytes). */
export function showValue(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = JSON.stringify(v);
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      // A deeply nested value overflows the stack in both JSON.stringify and String().
      try {
        s = String(v);
      } catch {
        s = Array.isArray(v) ? '[…]' : '{…}';
      }
    }
  }
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
