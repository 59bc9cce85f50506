/**
 * Reading an input file as text, decided by its first bytes rather than its name: users rename
 * an Excel workbook to .csv, save CSV as "Unicode text" (UTF-16) or get a GeoJSON with a byte
 * order mark from a Windows tool. Each of these used to end in a confusing parser message
 * ("truncated", "no number", a column of NUL characters); here they are stripped, decoded or
 * named. Every error is an ImportError naming the file, including the limits of the JavaScript
 * engine (string length, nesting depth) that would otherwise surface as a bare RangeError.
 */
import { readFile, stat } from 'node:fs/promises';
import { ImportError } from './errors.js';

export type TextEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export interface TextInput {
  text: string;
  encoding: TextEncodingName;
}

/**
 * The largest file read as one string: V8 strings hold at most 2^29 − 24 UTF-16 units
 * (buffer.constants.MAX_STRING_LENGTH), so a larger text file cannot be decoded at all.
 */
export const MAX_TEXT_BYTES = 512 * 1024 * 1024;

/** Deeper JSON is not GeoJSON or an indicator list (a MultiPolygon position is 8 levels deep). */
export const MAX_JSON_DEPTH = 100;

/** What the first bytes say a file is. */
export type Sniffed =
  'xlsx' | 'ods' | 'zip' | 'xls' | 'gzip' | 'pdf' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'binary' | 'text';

/** Classifies a file by its first bytes (magic numbers, byte order marks, NUL bytes). */
export function sniff(bytes: Uint8Array): Sniffed {
  const b = bytes;
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) {
    // ZIP: an Office Open XML workbook names xl/ entries, an ODS starts with its mimetype entry.
    const head = latin1(b.subarray(0, Math.min(b.length, 64 * 1024)));
    if (head.includes('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')) return 'ods';
    if (/xl\/(workbook|worksheets|styles|sharedStrings)/.test(head) || head.includes('[Content_Types].xml')) {
      return 'xlsx';
    }
    return 'zip';
  }
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'xls';
  if (starts(0x1f, 0x8b)) return 'gzip';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'pdf';
  if (starts(0xef, 0xbb, 0xbf)) return 'utf-8-bom';
  if (starts(0xff, 0xfe)) return 'utf-16le';
  if (starts(0xfe, 0xff)) return 'utf-16be';
  // UTF-16 without a byte order mark: ASCII text leaves every other byte NUL.
  const n = Math.min(b.length, 4096) & ~1;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (pairs >= 2 && oddNul >= pairs * 0.4 && evenNul === 0) return 'utf-16le';
  if (pairs >= 2 && evenNul >= pairs * 0.4 && oddNul === 0) return 'utf-16be';
  if (b.subarray(0, Math.min(b.length, 64 * 1024)).includes(0)) return 'binary';
  return 'text';
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** The German sentence for a file that is not text, or undefined for text. */
function notTextReason(kind: Sniffed, expected: string): string | undefined {
  switch (kind) {
    case 'xlsx':
      return `Das ist eine Excel-Datei (XLSX); bitte als ${expected} speichern`;
    case 'xls':
      return `Das ist eine Excel-Datei im alten Format (XLS); bitte als ${expected} speichern`;
    case 'ods':
      return `Das ist eine OpenDocument-Tabelle (ODS); bitte als ${expected} speichern`;
    case 'zip':
      return `Das ist ein ZIP-Archiv, keine ${expected}-Datei; bitte zuerst entpacken`;
    case 'gzip':
      return `Das ist eine gzip-komprimierte Datei, keine ${expected}-Datei; bitte zuerst entpacken`;
    case 'pdf':
      return `Das ist eine PDF-Datei, keine ${expected}-Datei`;
    default:
      return undefined;
  }
}

/**
 * The bytes of an input file; a missing file, a folder or a file beyond Node's buffer limit
 * is an ImportError naming it. `what` names the file's role ("die .shp-Datei") in the message.
 */
export async function readInputBytes(file: string, what = 'die Datei'): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw fileError(e, file, what);
  }
}

/** A file-system error in German, naming the file. */
export function fileError(e: unknown, file: string, what = 'die Datei'): ImportError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return new ImportError(`${what} gibt es nicht`, { file });
  if (code === 'EISDIR') return new ImportError(`${what} ist ein Ordner, keine Datei`, { file });
  if (code === 'EACCES' || code === 'EPERM') return new ImportError(`${what} darf nicht gelesen werden`, { file });
  if (code === 'ERR_FS_FILE_TOO_LARGE' || e instanceof RangeError) {
    return new ImportError(`${what} ist zu groß zum Einlesen; bitte aufteilen`, { file });
  }
  return new ImportError(`${what} ist nicht lesbar (${e instanceof Error ? e.message : String(e)})`, { file });
}

/**
 * Reads a text file: refuses spreadsheets, archives and binary files by their first bytes,
 * strips a UTF-8 byte order mark, decodes UTF-16 (LE/BE, with or without BOM), else UTF-8 or,
 * when that fails, windows-1252 (older German office exports). `expected` names the format the
 * user should save as ("CSV", "GeoJSON", "JSON").
 */
export async function readTextFile(file: string, expected: string): Promise<TextInput> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (e) {
    throw fileError(e, file);
  }
  if (size > MAX_TEXT_BYTES) {
    throw new ImportError(
      `die Datei ist mit ${Math.round(size / 1024 / 1024)} MB zu groß, um sie als Text zu lesen (höchstens ${MAX_TEXT_BYTES / 1024 / 1024} MB); bitte aufteilen`,
      { file },
    );
  }
  return decodeInput(await readInputBytes(file), file, expected);
}

/** decodeInput for bytes already read; see readTextFile. */
export function decodeInput(bytes: Uint8Array, file: string, expected: string): TextInput {
  const kind = sniff(bytes);
  const reason = notTextReason(kind, expected);
  if (reason) throw new ImportError(reason, { file });
  try {
    if (kind === 'utf-16le' || kind === 'utf-16be') {
      let text: string;
      try {
        text = new TextDecoder(kind, { fatal: true }).decode(bytes);
      } catch {
        throw new ImportError(`die Datei sieht nach ${kind.toUpperCase()} aus, ist aber kein gültiges ${kind}`, {
          file,
        });
      }
      return { text: stripBom(text), encoding: kind };
    }
    if (kind === 'binary') {
      const at = bytes.indexOf(0);
      throw new ImportError(
        `die Datei enthält Nullbytes (zuerst bei Byte ${at + 1}); das ist keine ${expected}-Textdatei`,
        {
          file,
        },
      );
    }
    try {
      return { text: stripBom(new TextDecoder('utf-8', { fatal: true }).decode(bytes)), encoding: 'utf-8' };
    } catch (e) {
      if (e instanceof RangeError && /string length/i.test(e.message)) throw e;
      return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
    // "Invalid string length": more characters than a JavaScript string can hold.
    throw new ImportError('die Datei ist zu groß, um sie als Text zu lesen; bitte aufteilen', { file });
  }
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/**
 * Parses a JSON file (sniffed and decoded as readTextFile does) and checks its nesting depth,
 * so that no later step recurses into a pathological document. `where` turns the path of the
 * first too-deep value into a row or feature number for the message.
 */
export async function readJsonFile(
  file: string,
  expected: string,
  where: (path: (string | number)[]) => { row?: number; unit?: 'row' | 'feature' } = () => ({}),
): Promise<{ doc: unknown; encoding: TextEncodingName }> {
  const { text, encoding } = await readTextFile(file, expected);
  return { doc: parseJsonText(text, file, expected, where), encoding };
}

/** JSON.parse with the file named in errors and the nesting depth checked (see readJsonFile). */
export function parseJsonText(
  text: string,
  file: string,
  expected: string,
  where: (path: (string | number)[]) => { row?: number; unit?: 'row' | 'feature' } = () => ({}),
): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ImportError(`kein gültiges JSON (${jsonErrorWhere(e, text)}); ist die Datei abgeschnitten?`, { file });
  }
  const deep = tooDeep(doc, MAX_JSON_DEPTH);
  if (deep) {
    throw new ImportError(
      `die JSON-Struktur ist mehr als ${MAX_JSON_DEPTH} Ebenen tief verschachtelt (unter ${deep.join('.') || 'der Wurzel'}); das ist kein ${expected}`,
      { file, ...where(deep) },
    );
  }
  return doc;
}

/** The path to the first value deeper than `max` levels, or undefined; iterative, so any depth is safe. */
export function tooDeep(doc: unknown, max: number): (string | number)[] | undefined {
  const stack: { v: unknown; depth: number; path: (string | number)[] }[] = [{ v: doc, depth: 1, path: [] }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return path;
    // Only the first three keys are kept (enough to name a feature or row): no allocation per coordinate.
    const keep = (k: string | number) => (path.length < 3 ? [...path, k] : path);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const c: unknown = v[i];
        if (typeof c === 'object' && c !== null) stack.push({ v: c, depth: depth + 1, path: keep(i) });
      }
    } else {
      for (const [k, c] of Object.entries(v)) {
        if (typeof c === 'object' && c !== null) stack.push({ v: c, depth: depth + 1, path: keep(k) });
      }
    }
  }
  return undefined;
}

/** "Zeile 3, Spalte 17" from a JSON.parse error that reports a character position. */
export function jsonErrorWhere(e: unknown, text: string): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(msg);
  let pos = m ? Number(m[1]) : undefined;
  if (pos === undefined && /end of (JSON )?input/i.test(msg)) pos = text.length;
  if (pos === undefined) return msg;
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `${pos >= text.trimEnd().length ? 'unerwartetes Dateiende' : 'Syntaxfehler'} in Zeile ${line}, Spalte ${column}`;
}
