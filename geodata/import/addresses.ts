/**
 * The address register import (`sozialatlas import addresses FILE --level plr`, and the Berlin sample):
 * a CSV, plain or gzip, with one row per address and the code of the area it lies in, into the table
 * `address` (sql/008_addresses.sql) for the street search. Streamed (gunzip and line by line), because
 * the Berlin register has 401 032 rows; written in one transaction with multi-row inserts, so a bad row
 * leaves the previous register in place. Stored grouped: one row per street × postcode × Ortsteil × area
 * with its house numbers as arrays (see the migration). The stored names are folded with analysis/text-fold.ts, the
 * same function that folds the search input.
 *
 * The columns are those of the "Adressen Berlin" open data extract:
 * `hnr,hnr_zusatz,str_name,plz,ort_name,PLR_NAME,PLR_ID` (house number, suffix, street, postcode,
 * Ortsteil, area name, area code); PLR_NAME is not stored (the area table has the name).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Db, Queryable } from '../db.js';
import { ImportError } from './errors.js';
import { searchKey } from '../../analysis/text-fold.js';
import { bumpDataVersion } from './versions.js';
import type { ProgressFn } from './types.js';

/** The header columns an address register must have (any order; more columns are ignored). */
export const ADDRESS_COLUMNS = ['hnr', 'hnr_zusatz', 'str_name', 'plz', 'ort_name', 'PLR_ID'] as const;

/** Table rows (street × postcode × Ortsteil × area) per multi-row insert. */
const ADDRESS_BATCH_ROWS = 2000;

export interface AddressImportReport {
  file: string;
  kind: 'addresses';
  level: string;
  /** Addresses written. */
  total: number;
  /** Addresses of the level stored before and replaced by this import. */
  replaced: number;
  /** Distinct streets, postcodes, Ortsteile and areas in the file. */
  streets: number;
  postcodes: number;
  ortsteile: number;
  areas: number;
}

/** Where each required column is in the header. */
type ColumnIndex = Record<(typeof ADDRESS_COLUMNS)[number], number>;

/** The addresses of one street × postcode × Ortsteil × area: one row of the table. */
interface Block {
  street: string;
  plz: string;
  ortsteil: string;
  code: string;
  numbers: { number: number | null; suffix: string }[];
}

/**
 * Imports an address register for the areas of `level`, replacing that level's stored addresses.
 * Every row's area code must be an area of the level; a house number is a whole number or empty, a
 * suffix one to three letters, a postcode five digits. Errors name the file, the data row, the field
 * and the value; nothing is written then.
 */
export async function importAddresses(
  db: Db,
  file: string,
  level: string,
  onProgress?: ProgressFn,
): Promise<AddressImportReport> {
  const name = path.basename(file);
  const input = await openText(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  // The iterator is taken at once: readline drops lines emitted before anyone iterates.
  const iterator = lines[Symbol.asyncIterator]();
  try {
    return await readInto(db, name, level, { [Symbol.asyncIterator]: () => iterator }, onProgress);
  } finally {
    lines.close();
    input.destroy();
  }
}

async function readInto(
  db: Db,
  name: string,
  level: string,
  lines: AsyncIterable<string>,
  onProgress?: ProgressFn,
): Promise<AddressImportReport> {
  return db.transaction(async (tx) => {
    const lvl = await tx.query('SELECT 1 FROM level WHERE key = $1', [level]);
    if (lvl.rows.length === 0)
      throw new ImportError(`die Ebene '${level}' gibt es nicht (zuerst ihre Gebiete importieren)`, { file: name });
    const codes = new Set(
      (await tx.query<{ code: string }>('SELECT code FROM area WHERE level = $1', [level])).rows.map((r) => r.code),
    );
    const replaced = (
      await tx.query<{ n: number }>(
        'SELECT COALESCE(sum(cardinality(house_numbers)), 0)::int AS n FROM address WHERE level = $1',
        [level],
      )
    ).rows[0].n;
    await tx.query('DELETE FROM address WHERE level = $1', [level]);
    let header: string[] | null = null;
    let col: ColumnIndex | null = null;
    let row = 0;
    const blocks = new Map<string, Block>();
    for await (const raw of lines) {
      const line: string = header === null ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      if (header === null) {
        header = splitCsvLine(line, name, 0).map((h) => h.trim());
        const missing = ADDRESS_COLUMNS.filter((c) => !header!.includes(c));
        if (missing.length > 0)
          throw new ImportError(
            `in der Kopfzeile ${missing.length === 1 ? 'fehlt die Spalte' : 'fehlen die Spalten'} ${missing.map((m) => `"${m}"`).join(', ')} (erwartet: ${ADDRESS_COLUMNS.join(',')})`,
            { file: name, value: line },
          );
        col = Object.fromEntries(ADDRESS_COLUMNS.map((c) => [c, header!.indexOf(c)])) as ColumnIndex;
        continue;
      }
      row++;
      const cells = splitCsvLine(line, name, row);
      if (cells.length < header.length)
        throw new ImportError(`die Zeile hat ${cells.length} Spalten, die Kopfzeile hat ${header.length}`, {
          file: name,
          row,
          value: line,
        });
      const cell = (c: (typeof ADDRESS_COLUMNS)[number]) => cells[col![c]].trim();
      const fail = (c: (typeof ADDRESS_COLUMNS)[number], reason: string) =>
        new ImportError(reason, { file: name, row, field: c, value: cells[col![c]] });
      const street = cell('str_name');
      if (street === '' || searchKey(street) === '') throw fail('str_name', 'kein Straßenname');
      const hnr = cell('hnr');
      if (hnr !== '' && !/^\d{1,6}$/.test(hnr))
        throw fail('hnr', 'die Hausnummer ist keine ganze Zahl (der Buchstabe gehört in hnr_zusatz)');
      const suffix = cell('hnr_zusatz');
      if (suffix !== '' && !/^\p{L}{1,3}$/u.test(suffix))
        throw fail('hnr_zusatz', 'der Hausnummernzusatz ist nicht ein bis drei Buchstaben');
      const plz = cell('plz');
      if (!/^\d{5}$/.test(plz)) throw fail('plz', 'die Postleitzahl hat nicht fünf Ziffern');
      const ortsteil = cell('ort_name');
      if (ortsteil === '' || searchKey(ortsteil) === '') throw fail('ort_name', 'kein Ortsteil');
      const code = cell('PLR_ID');
      if (!codes.has(code)) throw fail('PLR_ID', `kein Gebiet der Ebene '${level}'`);
      const id = `${street}\u0000${plz}\u0000${ortsteil}\u0000${code}`;
      let block = blocks.get(id);
      if (!block) {
        block = { street, plz, ortsteil, code, numbers: [] };
        blocks.set(id, block);
      }
      block.numbers.push({ number: hnr === '' ? null : Number(hnr), suffix: suffix.toUpperCase() });
      if (row % 50_000 === 0) onProgress?.(row, row);
    }
    if (header === null) throw new ImportError('die Datei ist leer (keine Kopfzeile)', { file: name });
    const all = [...blocks.values()];
    const folded = new Map<string, string>();
    const fold = (s: string) => folded.get(s) ?? folded.set(s, searchKey(s)).get(s)!;
    for (let i = 0; i < all.length; i += ADDRESS_BATCH_ROWS)
      await insertBlocks(tx, level, all.slice(i, i + ADDRESS_BATCH_ROWS), fold);
    await bumpDataVersion(tx); // cached search answers are keyed by the data version
    onProgress?.(row, row);
    const distinct = (f: (b: Block) => string) => new Set(all.map(f)).size;
    return {
      file: name,
      kind: 'addresses' as const,
      level,
      total: row,
      replaced,
      streets: distinct((b) => b.street),
      postcodes: distinct((b) => b.plz),
      ortsteile: distinct((b) => b.ortsteil),
      areas: distinct((b) => b.code),
    };
  });
}

/** One line of the CLI report, in German. */
export function formatAddressReport(r: AddressImportReport): string {
  return (
    `${r.file}: ${r.total} Adressen (Ebene ${r.level}) in ${r.streets} Straßen, ${r.postcodes} Postleitzahlen, ` +
    `${r.ortsteile} Ortsteilen und ${r.areas} Gebieten${r.replaced > 0 ? `; ${r.replaced} bisherige Adressen ersetzt` : ''}`
  );
}

/** Multi-row insert of blocks; the house number arrays travel as array literals (digits and letters only). */
async function insertBlocks(tx: Queryable, level: string, blocks: Block[], fold: (s: string) => string): Promise<void> {
  const numbers: string[] = [];
  const suffixes: string[] = [];
  for (const b of blocks) {
    b.numbers.sort((x, y) => (x.number ?? -1) - (y.number ?? -1) || x.suffix.localeCompare(y.suffix));
    numbers.push(`{${b.numbers.map((n) => n.number ?? 'NULL').join(',')}}`);
    suffixes.push(`{${b.numbers.map((n) => `"${n.suffix}"`).join(',')}}`);
  }
  await tx.query(
    `INSERT INTO address (street, street_folded, plz, ortsteil, ortsteil_folded, level, code, house_numbers, suffixes)
     SELECT t.street, t.street_folded, t.plz, t.ortsteil, t.ortsteil_folded, $1, t.code, t.numbers::int[], t.suffixes::text[]
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
            AS t(street, street_folded, plz, ortsteil, ortsteil_folded, code, numbers, suffixes)`,
    [
      level,
      blocks.map((b) => b.street),
      blocks.map((b) => fold(b.street)),
      blocks.map((b) => b.plz),
      blocks.map((b) => b.ortsteil),
      blocks.map((b) => fold(b.ortsteil)),
      blocks.map((b) => b.code),
      numbers,
      suffixes,
    ],
  );
}

/** The file as a text stream; gzip (told by its magic bytes, not its name) is unpacked on the fly. */
async function openText(file: string): Promise<Readable> {
  let magic: Buffer;
  try {
    const fh = await open(file, 'r');
    try {
      magic = Buffer.alloc(2);
      await fh.read(magic, 0, 2, 0);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new ImportError(`die Datei lässt sich nicht lesen (${(e as Error).message})`, { file: path.basename(file) });
  }
  const stream = createReadStream(file);
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return stream.setEncoding('utf8');
  const gunzip = createGunzip();
  stream.pipe(gunzip);
  stream.on('error', (e) => gunzip.destroy(e));
  return gunzip.setEncoding('utf8');
}

/** One CSV line split at commas; quoted cells ("" escapes a quote) may hold commas but no line breaks. */
export function splitCsvLine(line: string, file: string, row: number): string[] {
  const cells: string[] = [];
  let field = '';
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"' && field === '') {
      i++;
      let closed = false;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        field += line[i++];
      }
      if (!closed)
        throw new ImportError('ein Anführungszeichen wird in der Zeile nicht geschlossen', { file, row, value: line });
      if (i < line.length && line[i] !== ',')
        throw new ImportError('unerwartetes Zeichen nach einem schließenden Anführungszeichen', {
          file,
          row,
          value: line,
        });
    }
    if (i >= line.length || line[i] === ',') {
      cells.push(field);
      field = '';
      i++;
    } else {
      field += line[i++];
    }
  }
  return cells;
}
