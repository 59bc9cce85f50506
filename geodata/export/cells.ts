/**
 * What every export writer (geodata/export/csv.ts, csv-de.ts, xlsx.ts) does with one cell, so
 * the three formats say the same thing: null/undefined and non-finite numbers are empty, numbers
 * stay numbers, objects are JSON, and text that a spreadsheet would run as a formula is neutralised.
 *
 * Formula injection (issue 13, item 6): Excel and LibreOffice treat a cell whose text starts with
 * =, +, −, @, a tab or a carriage return as a formula (`=HYPERLINK(…)`, `@SUM(…)`, DDE). Such text
 * gets a leading apostrophe, which spreadsheets show as plain text (OWASP's advice). Text that is
 * a plain number ("-3", "+1.5") is no formula and stays as it is, so negative values written as text
 * by a source survive. In XLSX every text is a string cell anyway (never a formula), and is written
 * unchanged.
 */

/** The kinds of cell an export knows. */
export type Cell =
  | { kind: 'empty' }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'text'; value: string };

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

/** True when a spreadsheet would read this text as a formula. */
export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text);
}

/** Text for a CSV cell: formula-like text gets a leading apostrophe. */
export function neutraliseFormula(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}

/** One value of a row as a cell. */
export function cellOf(v: unknown): Cell {
  if (v === null || v === undefined) return { kind: 'empty' };
  if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'number', value: v } : { kind: 'empty' };
  if (typeof v === 'bigint') return { kind: 'number', value: Number(v) };
  if (typeof v === 'boolean') return { kind: 'boolean', value: v };
  if (v instanceof Date) return { kind: 'text', value: v.toISOString() };
  if (typeof v === 'object') return { kind: 'text', value: JSON.stringify(v) };
  return { kind: 'text', value: String(v) };
}

/** A table to export: column names in order and rows keyed by them; `sheet` names the XLSX sheet. */
export interface ExportTable {
  sheet: string;
  columns: readonly string[];
  rows: readonly Record<string, unknown>[];
}
