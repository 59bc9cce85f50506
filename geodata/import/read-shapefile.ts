/**
 * The Shapefile reader of the area import: geometry (.shp), attributes (.dbf), CRS (.prj) and
 * attribute encoding (.cpg) into a SourceLayer. Shapefiles from German offices often lack a .cpg
 * or carry an ESRI .prj without an EPSG code, so both cases are handled and reported here.
 */
import { readFile, access } from 'node:fs/promises';
import { basename } from 'node:path';
// The shapefile package ships no types; the small surface we use is declared in shapefile.d.ts.
import * as shapefile from 'shapefile';
import { ImportError } from './errors.js';
import { epsgFromPrj } from './crs.js';
import { readInputBytes, sniff } from './sniff.js';
import type { SourceFeature, SourceLayer } from './source.js';

/**
 * Reads a Shapefile: geometry from .shp, attributes from .dbf (required: the
 * area code lives there), CRS from .prj, text encoding of the .dbf from .cpg.
 * A missing .prj leaves srid undefined; the caller demands --srid then.
 */
export async function readShapefile(file: string): Promise<SourceLayer> {
  const base = file.replace(/\.shp$/i, '');
  const sibling = async (ext: string): Promise<string | undefined> => {
    for (const e of [ext, ext.toUpperCase()]) {
      const p = `${base}.${e}`;
      if (await exists(p)) return p;
    }
    return undefined;
  };
  const dbf = await sibling('dbf');
  if (!(await exists(file))) {
    throw new ImportError(
      dbf
        ? `die .shp-Datei mit den Geometrien fehlt (daneben liegt nur ${basename(dbf)})`
        : 'die .shp-Datei gibt es nicht',
      { file, field: '.shp' },
    );
  }
  if (!dbf) throw new ImportError('die .dbf mit den Attributen fehlt neben der .shp', { file, field: '.dbf' });
  const prj = await sibling('prj');
  const cpg = await sibling('cpg');
  const warnings: string[] = [];

  // Without a .cpg the dBASE default is a DOS/Windows code page; windows-1252 is what ESRI assumes.
  let encoding = 'windows-1252';
  if (cpg) encoding = codePageLabel((await readFile(cpg, 'latin1')).trim(), cpg);
  else warnings.push(`${file}: keine .cpg-Datei; Attribute als windows-1252 gelesen`);

  let srid: number | undefined;
  // An unreadable .prj is only an error when the caller gives no --srid; keep it for later.
  let crsProblem: ImportError | undefined;
  if (prj) {
    const wkt = (await readFile(prj, 'utf8')).trim();
    srid = epsgFromPrj(wkt);
    if (srid === undefined) {
      crsProblem = new ImportError(
        'das Koordinatensystem in der .prj lässt sich keinem EPSG-Code zuordnen; --srid angeben',
        {
          file: prj,
          field: 'PROJCS',
          value: wkt,
        },
      );
    }
  } else {
    crsProblem = new ImportError(
      'keine .prj-Datei, daher ist das Koordinatensystem unbekannt; die .prj ergänzen oder --srid angeben',
      {
        file: `${base}.prj`,
        field: 'srid',
      },
    );
  }

  const features: SourceFeature[] = [];
  let source: Awaited<ReturnType<typeof shapefile.open>>;
  // Pass the bytes, not paths: under bundler-style resolution (vitest, vite) the package's
  // path reader is its browser build, which tries fetch() on a file path.
  const [shpBytes, dbfBytes] = await Promise.all([
    readInputBytes(file, 'die .shp-Datei'),
    readInputBytes(dbf, 'die .dbf-Datei'),
  ]);
  // The package stops silently at a record that runs past the end: check the structure first.
  const records = checkShpRecords(shpBytes, file, warnings);
  checkDbfRecords(dbfBytes, dbf, records, file);
  try {
    source = await shapefile.open(toArrayBuffer(shpBytes), toArrayBuffer(dbfBytes), { encoding });
    for (;;) {
      const r = await source.read();
      if (r.done) break;
      features.push({ props: r.value.properties ?? {}, geometry: r.value.geometry });
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(
      `Shapefile nicht lesbar (${e instanceof Error ? e.message : String(e)}); ist die Datei abgeschnitten?`,
      {
        file,
        row: features.length + 1,
        unit: 'feature',
      },
    );
  }
  if (features.length !== records) {
    throw new ImportError(
      `die .shp hat ${records} Datensätze, gelesen wurden aber nur ${features.length}; ist die Datei beschädigt?`,
      { file, row: features.length + 1, unit: 'feature' },
    );
  }
  return {
    format: 'geojson',
    features,
    srid,
    sridSource: prj ? '.prj' : 'none (no .prj)',
    crsProblem,
    unit: 'feature',
    warnings,
  };
}

/**
 * Walks the record headers of a .shp (ESRI whitepaper: 100-byte header with file code 9994 and
 * the length in 16-bit words, then per record its number and content length, big-endian) and
 * returns the record count. A record that claims more bytes than the file has is an error naming
 * it: the shapefile package would otherwise stop there and return the features before it.
 */
export function checkShpRecords(shp: Uint8Array, file: string, warnings: string[]): number {
  const kind = sniff(shp);
  if (kind === 'zip') {
    throw new ImportError('Das ist ein ZIP-Archiv, keine .shp-Datei; bitte zuerst entpacken', { file });
  }
  if (shp.length < 100) {
    throw new ImportError(
      `die .shp-Datei hat nur ${shp.length} Bytes, ihr Kopf allein braucht 100; ist sie abgeschnitten?`,
      { file },
    );
  }
  const dv = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  if (dv.getInt32(0, false) !== 9994) {
    throw new ImportError('keine .shp-Datei: die Dateikennung 9994 am Anfang fehlt', { file });
  }
  const size = shp.length;
  let off = 100;
  let n = 0;
  while (off < size) {
    const record = n + 1;
    if (off + 8 > size) {
      throw new ImportError(
        `nach Datensatz ${n} bleiben ${size - off} Bytes, zu wenig für einen Datensatzkopf (8 Bytes); ist die .shp abgeschnitten?`,
        { file, row: record, unit: 'feature' },
      );
    }
    const length = dv.getInt32(off + 4, false) * 2; // content length, 16-bit words → bytes
    if (length < 4) {
      throw new ImportError(`Datensatz ${record} gibt eine ungültige Länge von ${length} Bytes an (ab Byte ${off})`, {
        file,
        row: record,
        unit: 'feature',
      });
    }
    if (off + 8 + length > size) {
      throw new ImportError(
        `Datensatz ${record} gibt eine Länge von ${length} Bytes an, ab Byte ${off + 8} hat die Datei aber nur noch ${size - off - 8}; ist die .shp abgeschnitten oder beschädigt?`,
        { file, row: record, unit: 'feature' },
      );
    }
    off += 8 + length;
    n++;
  }
  const declared = dv.getInt32(24, false) * 2;
  if (declared !== size) {
    warnings.push(
      `${file}: laut Kopf ist die .shp ${declared} Bytes lang, die Datei hat ${size}; alle ${n} Datensätze sind vollständig`,
    );
  }
  return n;
}

/**
 * The .dbf must hold as many records as the .shp (one attribute row per geometry) and be as
 * long as its header says; otherwise geometries and attributes would be paired wrongly or cut.
 */
function checkDbfRecords(dbf: Uint8Array, dbfFile: string, shpRecords: number, shpFile: string): void {
  if (dbf.length < 32) {
    throw new ImportError(`die .dbf-Datei hat nur ${dbf.length} Bytes, ihr Kopf allein braucht 32`, { file: dbfFile });
  }
  const dv = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const count = dv.getUint32(4, true);
  const headerLength = dv.getUint16(8, true);
  const recordLength = dv.getUint16(10, true);
  const complete = recordLength > 0 ? Math.floor(Math.max(0, dbf.length - headerLength) / recordLength) : 0;
  if (complete < count) {
    throw new ImportError(
      `die .dbf ist abgeschnitten: laut Kopf ${count} Datensätze zu ${recordLength} Bytes, vollständig sind nur ${complete}`,
      { file: dbfFile, row: complete + 1, unit: 'feature' },
    );
  }
  if (count !== shpRecords) {
    throw new ImportError(
      `die .shp hat ${shpRecords} Datensätze, die .dbf ${basename(dbfFile)} aber ${count}; beide müssen gleich viele haben (gehören sie zusammen, ist eine abgeschnitten?)`,
      { file: shpFile, row: Math.min(count, shpRecords) + 1, unit: 'feature' },
    );
  }
}

/** .cpg holds "UTF-8", "1252", "ANSI 1252", "ISO-8859-1", … → a TextDecoder label. */
function codePageLabel(cpg: string, file: string): string {
  let label = cpg.replace(/^ANSI\s*/i, '');
  if (/^\d+$/.test(label)) label = label === '65001' ? 'utf-8' : `windows-${label}`;
  try {
    new TextDecoder(label);
  } catch {
    throw new ImportError('unbekannte Zeichenkodierung in der .cpg', { file, value: cpg });
  }
  return label;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
