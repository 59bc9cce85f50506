/**
 * One download scheme for every tabular export (issue 14, item 5): `?format=csv|csv-de|xlsx` on
 * the route that answers JSON or CSV today (geodata/export/formats.ts renders the table). csv is
 * RFC 4180 with '.' decimals; csv-de opens in German Excel (';', decimal comma, UTF-8 BOM, CRLF);
 * xlsx keeps codes as text. Formula-like text is neutralised in every CSV (issue 13, item 6).
 */
import type { Response } from 'express';
import { z } from 'zod';
import { renderTable, TABLE_FORMATS, type ExportTable, type TableFormat } from '../../geodata/export/formats.js';

const FORMAT_HELP =
  'csv (Komma, Dezimalpunkt), csv-de (Excel deutsch: Semikolon, Dezimalkomma, UTF-8 mit BOM), xlsx (Excel, Schlüssel als Text)';

/** ?format= on a route that answers JSON by default. */
export const jsonOrTableFormat = z
  .enum(['json', ...TABLE_FORMATS])
  .default('json')
  .describe(`Antwortformat: json (Standard), ${FORMAT_HELP}`);

/** ?format= on a route that answers CSV by default (/api/export.csv). */
export const tableFormat = z.enum(TABLE_FORMATS).default('csv').describe(`Dateiformat: ${FORMAT_HELP}`);

/** Sends a table as a download named `<baseName>.<csv|xlsx>`. */
export function sendTable(res: Response, format: TableFormat, baseName: string, table: ExportTable): void {
  const out = renderTable(format, table);
  res.type(out.contentType).attachment(`${baseName}.${out.extension}`).send(out.body);
}
