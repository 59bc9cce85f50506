/**
 * The download formats of every tabular export (values, change, ranking, profiles, typology and
 * hotspot members), one scheme for all routes: `?format=csv` (RFC 4180, '.' decimals, for R and
 * Python), `?format=csv-de` (German Excel: ';', decimal comma, BOM, CRLF) and `?format=xlsx`
 * (codes as text). renderTable turns a table into the bytes, content type and file extension.
 */
import type { ExportTable } from './cells.js';
import { toCsv } from './csv.js';
import { toCsvDe } from './csv-de.js';
import { toXlsx, XLSX_CONTENT_TYPE } from './xlsx.js';

export const TABLE_FORMATS = ['csv', 'csv-de', 'xlsx'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export interface RenderedTable {
  body: Buffer;
  contentType: string;
  /** File extension without the dot: csv or xlsx. */
  extension: string;
}

export function renderTable(format: TableFormat, table: ExportTable): RenderedTable {
  if (format === 'xlsx') return { body: toXlsx(table), contentType: XLSX_CONTENT_TYPE, extension: 'xlsx' };
  const text = format === 'csv-de' ? toCsvDe(table.columns, table.rows) : toCsv(table.columns, table.rows);
  return { body: Buffer.from(text, 'utf8'), contentType: 'text/csv; charset=utf-8', extension: 'csv' };
}

export type { ExportTable } from './cells.js';
