/**
 * Spreadsheets read into the CSV table of the importer (geodata/import/read-xlsx.ts): the header
 * row found below a title, merged header cells named in every column, numbers written with the
 * chosen decimal mark, text cells kept as typed, columns holding numbers marked (lost zeros).
 */
import { describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { detectHeaderRow, readSpreadsheet, isSpreadsheetName } from '../../geodata/import/read-xlsx.js';
import { ImportError } from '../../geodata/import/index.js';

function workbook(rows: unknown[][], merges: XLSX.Range[] = []): Buffer {
  const sheet = XLSX.utils.aoa_to_sheet(rows);
  sheet['!merges'] = merges;
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, 'Daten');
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe('readSpreadsheet', () => {
  it('skips a merged title row, fills merged header cells, keeps text numbers, marks number columns', () => {
    const bytes = workbook(
      [
        ['Arbeitsmarkt nach Bezirksregionen 2020', null, null, null],
        [null, null, null, null],
        ['BZR', 'Arbeitslose', null, 'Bemerkung'],
        [10101, 1234.5, '12,5', 'x'],
        [20202, 7, '–', ''],
        [null, null, null, null],
      ],
      [
        { s: { r: 0, c: 0 }, e: { r: 0, c: 3 } }, // title over the whole table
        { s: { r: 2, c: 1 }, e: { r: 2, c: 2 } }, // "Arbeitslose" over two columns
      ],
    );
    const t = readSpreadsheet(bytes, 'arbeit.xlsx', { decimal: ',' });
    expect(t.header).toEqual(['BZR', 'Arbeitslose', 'Arbeitslose 2', 'Bemerkung']);
    expect(t.rows).toEqual([
      ['10101', '1234,5', '12,5', 'x'],
      ['20202', '7', '–', ''],
    ]);
    expect(t.lines).toEqual([4, 5]); // sheet rows, for messages
    expect(t.spreadsheet).toEqual({ sheet: 'Daten', headerRow: 3, numberColumns: [true, true, false, false] });
    // With the decimal point the same number cell is written 1234.5.
    expect(readSpreadsheet(bytes, 'arbeit.xlsx').rows[0][1]).toBe('1234.5');
    // A header row given by the user wins over the detection.
    expect(readSpreadsheet(bytes, 'arbeit.xlsx', { headerRow: 4 }).header[0]).toBe('10101');
  });

  it('detects the header as the first row filled like the rows below a title', () => {
    expect(
      detectHeaderRow([
        ['Titel', ''],
        ['', ''],
        ['a', 'b'],
        ['1', '2'],
      ]),
    ).toBe(2);
    expect(
      detectHeaderRow([
        ['a', 'b', 'c'],
        ['1', '2', '3'],
      ]),
    ).toBe(0);
    expect(detectHeaderRow([['', '']])).toBe(-1);
  });

  it('names an empty sheet; tells spreadsheets by their name', () => {
    expect(() => readSpreadsheet(workbook([]), 'leer.xlsx')).toThrow(ImportError);
    expect(() => readSpreadsheet(workbook([]), 'leer.xlsx')).toThrow(
      'leer.xlsx, Feld "headerRow": die Tabelle hat keine Kopfzeile (alle Zeilen leer)',
    );
    expect(isSpreadsheetName('Daten.XLSX')).toBe(true);
    expect(isSpreadsheetName('daten.csv')).toBe(false);
  });
});
