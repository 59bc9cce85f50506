/**
 * XLSX writer (@e965/xlsx, the maintained SheetJS build): one sheet with a header row. Text is a
 * string cell with the text number format '@' (a code such as 01100415 keeps its leading zero,
 * also when edited), numbers are number cells, booleans boolean cells, empty values no cell. No
 * cell is ever a formula: text starting with '=' is stored as the text it is.
 */
import * as XLSX from '@e965/xlsx';
import { cellOf, type ExportTable } from './cells.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function sheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, '_').slice(0, 31) || 'Daten';
}

export function toXlsx(table: ExportTable): Buffer {
  const ws: XLSX.WorkSheet = {};
  const put = (r: number, c: number, v: unknown) => {
    const cell = cellOf(v);
    const ref = XLSX.utils.encode_cell({ r, c });
    if (cell.kind === 'number') ws[ref] = { t: 'n', v: cell.value };
    else if (cell.kind === 'boolean') ws[ref] = { t: 'b', v: cell.value };
    else if (cell.kind === 'text') ws[ref] = { t: 's', v: cell.value, z: '@' };
  };
  table.columns.forEach((name, c) => put(0, c, name));
  table.rows.forEach((row, i) => table.columns.forEach((name, c) => put(i + 1, c, row[name])));
  ws['!ref'] = XLSX.utils.encode_range({
    s: { r: 0, c: 0 },
    e: { r: table.rows.length, c: Math.max(0, table.columns.length - 1) },
  });
  ws['!cols'] = table.columns.map((name) => ({ wch: Math.min(40, Math.max(8, name.length + 2)) }));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, sheetName(table.sheet));
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
