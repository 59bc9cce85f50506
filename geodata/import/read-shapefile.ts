/**
 * The Shapefile reader of the area import: geometry (.shp), attributes (.dbf), CRS (.prj) and
 * attribute encoding (.cpg) into a SourceLayer. Shapefiles from German offices often lack a .cpg
 * or carry an ESRI .prj without an EPSG code, so both cases are handled and reported here.
 */
import { readFile, access } from 'node:fs/promises';
// The shapefile package ships no types; the small surface we use is declared in shapefile.d.ts.
import * as shapefile from 'shapefile';
import { ImportError } from './errors.js';
import { epsgFromPrj } from './crs.js';
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
  try {
    // Pass the bytes, not paths: under bundler-style resolution (vitest, vite) the package's
    // path reader is its browser build, which tries fetch() on a file path.
    const [shpBytes, dbfBytes] = await Promise.all([readFile(file), readFile(dbf)]);
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
