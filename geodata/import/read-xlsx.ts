/**
 * Reading a spreadsheet (XLSX, ODS) into the same table of text cells as a CSV, so the indicator
 * import has one code path for both. German office workbooks as they really are: a title row
 * above the header (the header row is detected), merged header cells (the text is copied into
 * every column of the merge), codes stored as numbers (the table says so, the importer restores
 * the leading zeros from the level) and numbers stored as text (kept as text, parsed like CSV).
 */
import * as XLSX from '@e965/xlsx';
import { ImportError } from './errors.js';
import type { CsvTable } from './read-csv.js';

/** Rows looked at when searching the header row: a title block longer than this is not expected. */
const HEADER_SEARCH_ROWS = 30;

/** File name endings read as a spreadsheet (a workbook renamed .csv is still refused by sniff.ts). */
export const SPREADSHEET_EXTENSIONS = ['.xlsx', '.xlsm', '.ods'];

/** True when the file name says spreadsheet. */
export function isSpreadsheetName(file: string): boolean {
  const lower = file.toLowerCase();
  return SPREADSHEET_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export interface SpreadsheetReadOptions {
  /** Decimal mark used to write cells stored as numbers as text; default '.'. */
  decimal?: '.' | ',';
  /** 1-based sheet row of the header; default: detected (first row filled like the rows below it). */
  headerRow?: number;
  /** Sheet name; default: the first sheet. */
  sheet?: string;
}

/**
 * The first sheet of a workbook as a CsvTable: every cell text, numbers written with `decimal`,
 * merged cells filled, rows below the header only, rows that are entirely empty dropped.
 */
export function readSpreadsheet(bytes: Uint8Array, file: string, opts: SpreadsheetReadOptions = {}): CsvTable {
  let book: XLSX.WorkBook;
  try {
    book = XLSX.read(bytes, { type: 'buffer', cellDates: false, dense: false });
  } catch (e) {
    throw new ImportError(
      `die Tabellendatei ist nicht lesbar (${e instanceof Error ? e.message : String(e)}); ist sie beschädigt?`,
      { file },
    );
  }
  const name = opts.sheet ?? book.SheetNames[0];
  const sheet = name === undefined ? undefined : book.Sheets[name];
  if (!sheet) {
    throw new ImportError(
      opts.sheet ? `die Tabelle hat kein Blatt "${opts.sheet}"` : 'die Tabellendatei hat kein Blatt',
      { file, field: 'sheet', value: opts.sheet },
    );
  }
  const decimal = opts.decimal ?? '.'; // default: decimal point
  const grid = sheetGrid(sheet, decimal);
  const numberCells = numericCells(sheet);
  // Detected before merged cells are filled: a title merged across the table is still one cell.
  const headerIndex = opts.headerRow !== undefined ? opts.headerRow - 1 : detectHeaderRow(grid);
  fillMerges(grid, sheet);
  if (headerIndex < 0 || headerIndex >= grid.length || grid[headerIndex].every((c) => c.trim() === '')) {
    throw new ImportError('die Tabelle hat keine Kopfzeile (alle Zeilen leer)', { file, field: 'headerRow' });
  }
  const rawHeader = grid[headerIndex].map((h) => h.trim());
  const width = lastFilled(rawHeader) + 1;
  const header = uniqueHeader(rawHeader.slice(0, width));
  const rows: string[][] = [];
  const lines: number[] = [];
  const codeNumbers: number[] = [];
  for (let r = headerIndex + 1; r < grid.length; r++) {
    const row = grid[r].slice(0, width);
    while (row.length < width) row.push('');
    if (row.every((c) => c.trim() === '')) continue;
    rows.push(row);
    lines.push(r + 1);
    codeNumbers.push(r);
  }
  return {
    header,
    rows,
    lines,
    delimiter: '',
    encoding: 'utf-8',
    spreadsheet: {
      sheet: name!,
      headerRow: headerIndex + 1,
      numberColumns: header.map((_, c) => codeNumbers.some((r) => numberCells.has(`${r}:${c}`))),
    },
  };
}

/** The sheet as rows of text: numbers in `decimal` notation without grouping. */
function sheetGrid(sheet: XLSX.WorkSheet, decimal: '.' | ','): string[][] {
  const ref = sheet['!ref'];
  if (!ref) return [];
  const range = XLSX.utils.decode_range(ref);
  const grid: string[][] = [];
  for (let r = 0; r <= range.e.r; r++) {
    const row: string[] = [];
    for (let c = 0; c <= range.e.c; c++) row.push(cellText(sheet[XLSX.utils.encode_cell({ r, c })], decimal));
    grid.push(row);
  }
  return grid;
}

/** Copies the text of each merged range into every cell it covers (a header over two columns names both). */
function fillMerges(grid: string[][], sheet: XLSX.WorkSheet): void {
  for (const m of sheet['!merges'] ?? []) {
    const text = grid[m.s.r]?.[m.s.c] ?? '';
    for (let r = m.s.r; r <= m.e.r; r++) for (let c = m.s.c; c <= m.e.c; c++) if (grid[r]) grid[r][c] = text;
  }
}

/** "r:c" of every cell stored as a number. */
function numericCells(sheet: XLSX.WorkSheet): Set<string> {
  const out = new Set<string>();
  for (const [addr, cell] of Object.entries(sheet)) {
    if (addr.startsWith('!')) continue;
    if ((cell as XLSX.CellObject).t === 'n') {
      const { r, c } = XLSX.utils.decode_cell(addr);
      out.add(`${r}:${c}`);
    }
  }
  return out;
}

function cellText(cell: XLSX.CellObject | undefined, decimal: '.' | ','): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  if (cell.t === 'n' && typeof cell.v === 'number') {
    const s = String(cell.v);
    return decimal === ',' ? s.replace('.', ',') : s;
  }
  if (cell.t === 'e') return cell.w ?? '#FEHLER';
  if (cell.t === 'b') return cell.v ? 'WAHR' : 'FALSCH';
  return String(cell.v);
}

/**
 * The header row: the first of the top rows with at least two filled cells and at least half as
 * many filled cells as the fullest of them — a title row ("Sozialdaten 2020") has one filled cell.
 */
export function detectHeaderRow(grid: string[][]): number {
  const top = grid.slice(0, HEADER_SEARCH_ROWS);
  const filled = top.map((row) => row.filter((c) => c.trim() !== '').length);
  const most = Math.max(0, ...filled);
  if (most === 0) return -1;
  const need = Math.max(Math.min(2, most), Math.ceil(most / 2));
  return filled.findIndex((n) => n >= need);
}

function lastFilled(row: string[]): number {
  for (let i = row.length - 1; i >= 0; i--) if (row[i] !== '') return i;
  return -1;
}

/** Empty header cells become "Spalte N", repeated names (from merged cells) get " 2", " 3". */
function uniqueHeader(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((h, i) => {
    const base = h === '' ? `Spalte ${i + 1}` : h;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} ${n}`;
  });
}
