/**
 * CSV reading for every importer: an RFC 4180 parser with delimiter detection and a windows-1252
 * fallback for older German office exports. Hand-written because cells must stay strings
 * (area codes with leading zeros) and errors must name the file line of a row.
 */
import { ImportError } from './errors.js';
import { readTextFile, type TextEncodingName } from './sniff.js';

/**
 * A small RFC 4180 reader: quoted fields ("" escapes a quote, quotes may hold
 * delimiters and line breaks), CRLF or LF line ends, a UTF-8 BOM is dropped.
 * Every cell stays a string: codes like "01100101" must never become numbers.
 */
export interface CsvTable {
  header: string[];
  /** Data rows; rows[i] is data row i + 1 in error messages. */
  rows: string[][];
  /** 1-based line in the file where each data row starts (quoted fields can span lines). */
  lines: number[];
  delimiter: string;
  /** How the bytes were decoded (sniff.ts): windows-1252 when the file was not valid UTF-8. */
  encoding: TextEncodingName;
  /** Set when the table was read from a spreadsheet (read-xlsx.ts); `lines` are then sheet rows. */
  spreadsheet?: {
    sheet: string;
    /** 1-based sheet row of the header (a title row above it was skipped). */
    headerRow: number;
    /** Per column: some data cell was stored as a number (a code there may have lost its leading zeros). */
    numberColumns: boolean[];
  };
}

export interface CsvReadOptions {
  /** Field delimiter; default: detected from the header line. */
  delimiter?: string;
}

/**
 * Reads and parses a CSV file. The bytes are sniffed first (sniff.ts): an Excel workbook or ZIP
 * is named as such, UTF-16 is decoded, a BOM dropped.
 */
export async function readCsvFile(file: string, opts: CsvReadOptions = {}): Promise<CsvTable> {
  const { text, encoding } = await readTextFile(file, 'CSV');
  return parseCsv(text, file, { ...opts, encoding });
}

/** UTF-8 if it decodes cleanly, else windows-1252 (older German office exports). No sniffing: prefer readTextFile. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: stripBom(new TextDecoder('utf-8', { fatal: true }).decode(bytes)), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** The delimiter among ; , tab and | that occurs most often in the header line outside quotes. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [';', 0],
    [',', 0],
    ['\t', 0],
    ['|', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const [d, n] of counts) if (n > bestCount) [best, bestCount] = [d, n];
  return best;
}

export function parseCsv(
  text: string,
  file: string,
  opts: CsvReadOptions & { encoding?: CsvTable['encoding'] } = {},
): CsvTable {
  text = stripBom(text);
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new ImportError(
      'das Trennzeichen muss ein einzelnes Zeichen sein, aber kein Anführungszeichen oder Zeilenumbruch',
      { file, value: delimiter },
    );
  }
  const records: string[][] = [];
  const starts: number[] = [];
  let record: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  // True once the current record has any content, so blank lines are skipped.
  let started = false;
  const endRecord = () => {
    record.push(field);
    if (started || record.length > 1 || field !== '') {
      records.push(record);
      starts.push(recordLine);
    }
    record = [];
    field = '';
    started = false;
  };
  while (i < n) {
    const ch = text[i];
    if (ch === '"' && field === '') {
      // Quoted field: runs to the next quote that is not doubled.
      const openLine = line;
      started = true;
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      if (!closed) {
        throw new ImportError(`das in Zeile ${openLine} der Datei geöffnete Anführungszeichen wird nie geschlossen`, {
          file,
          row: records.length, // header is record 0, so this is the data row number
        });
      }
      // After the closing quote only a delimiter or a line end may follow.
      const next = text[i];
      if (i < n && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new ImportError(
          `unerwartetes Zeichen nach einem schließenden Anführungszeichen in Zeile ${line} der Datei`,
          {
            file,
            row: records.length,
            value: next,
          },
        );
      }
      continue;
    }
    if (ch === delimiter) {
      record.push(field);
      field = '';
      started = true;
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      recordLine = line;
    } else {
      field += ch;
      started = true;
      i++;
    }
  }
  if (started || field !== '' || record.length > 0) endRecord();
  if (records.length === 0) throw new ImportError('die Datei ist leer (keine Kopfzeile)', { file });
  const header = records[0].map((h) => h.trim());
  return {
    header,
    rows: records.slice(1),
    lines: starts.slice(1),
    delimiter,
    encoding: opts.encoding ?? 'utf-8',
  };
}

/**
 * Checks that every row has as many cells as the header. Trailing empty cells
 * beyond the header (a trailing delimiter) are tolerated and dropped.
 */
export function requireRectangular(
  table: CsvTable,
  file: string,
  problem: (e: ImportError) => void = (e) => {
    throw e;
  },
): void {
  const width = table.header.length;
  table.rows.forEach((row, k) => {
    if (row.length < width) {
      problem(
        new ImportError(
          `Zeile ${table.lines[k]} der Datei hat ${row.length} ${row.length === 1 ? 'Spalte' : 'Spalten'}, die Kopfzeile hat ${width} (${width - row.length === 1 ? 'es fehlt' : 'es fehlen'} ${table.header
            .slice(row.length)
            .map((h) => `"${h}"`)
            .join(', ')})`,
          { file, row: k + 1, field: table.header[row.length], value: row.join(table.delimiter) },
        ),
      );
      while (row.length < width) row.push(''); // collecting: the row is read with empty cells
    }
    if (row.length > width) {
      if (row.slice(width).every((c) => c.trim() === '')) row.length = width;
      else {
        problem(
          new ImportError(
            `Zeile ${table.lines[k]} der Datei hat ${row.length} ${row.length === 1 ? 'Spalte' : 'Spalten'}, die Kopfzeile hat ${width}`,
            { file, row: k + 1, value: row.join(table.delimiter) },
          ),
        );
        row.length = width; // collecting: the cells beyond the header are dropped
      }
    }
  });
}

/** Index of a header column, case-insensitively; -1 if absent. Exact match wins over case-folded. */
export function findColumn(header: string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const lower = name.toLowerCase();
  return header.findIndex((h) => h.toLowerCase() === lower);
}
