/**
 * The WKT-CSV reader of the area import: areas as a CSV with one geometry column in WKT or EWKT.
 * CSV carries no CRS, so this module decides when the coordinates may be taken as WGS 84 and
 * when the user must name the CRS with --srid.
 */
import { ImportError } from './errors.js';
import { readCsvFile, requireRectangular } from './read-csv.js';
import type { SourceFeature, SourceLayer } from './source.js';
import { WGS84 } from './crs.js';

/** Names of the geometry column, in order of preference (case-insensitive). */
const WKT_COLUMNS = ['wkt', 'geometry', 'geom', 'the_geom'];

/**
 * Reads a CSV of areas with the geometry as WKT in one column. CSV carries no
 * CRS, so the coordinates are taken as WGS 84 unless --srid says otherwise;
 * coordinates that are clearly not degrees make the caller demand --srid.
 * An EWKT prefix ("SRID=25833;POLYGON(…)") declares the CRS per row.
 */
export async function readWktCsv(file: string): Promise<SourceLayer> {
  const table = await readCsvFile(file);
  requireRectangular(table, file);
  const lower = table.header.map((h) => h.toLowerCase());
  const geomIndex = WKT_COLUMNS.map((c) => lower.indexOf(c)).find((i) => i >= 0);
  if (geomIndex === undefined) {
    throw new ImportError(`keine Geometriespalte; erwartet wird eine der Spalten ${WKT_COLUMNS.join(', ')}`, {
      file,
      value: table.header.join(table.delimiter),
    });
  }
  let ewktSrid: number | undefined;
  const features: SourceFeature[] = table.rows.map((row, k) => {
    const props: Record<string, unknown> = {};
    table.header.forEach((h, j) => {
      if (j !== geomIndex) props[h] = row[j];
    });
    let wkt = row[geomIndex];
    const m = /^\s*SRID=(\d+);/i.exec(wkt);
    if (m) {
      const srid = Number(m[1]);
      if (ewktSrid !== undefined && srid !== ewktSrid) {
        throw new ImportError(`EWKT-SRID weicht von früheren Zeilen ab (EPSG:${ewktSrid})`, {
          file,
          row: k + 1,
          field: table.header[geomIndex],
          value: `SRID=${srid}`,
        });
      }
      ewktSrid = srid;
      wkt = wkt.slice(m[0].length);
    }
    return { props, geometry: wkt };
  });
  return {
    format: 'wkt',
    features,
    srid: ewktSrid,
    sridSource: ewktSrid !== undefined ? 'EWKT prefix' : 'none (CSV)',
    unit: 'row',
    warnings: table.encoding === 'windows-1252' ? [`${file}: kein UTF-8, als windows-1252 gelesen`] : [],
  };
}

/** True when every sampled coordinate could be longitude/latitude; used to accept a CSV without --srid. */
export function looksLikeDegrees(features: SourceFeature[]): boolean {
  const sample = features.slice(0, 50);
  for (const f of sample) {
    const nums = String(f.geometry).match(/-?\d+(\.\d+)?/g) ?? [];
    for (let i = 0; i + 1 < nums.length; i += 2) {
      if (Math.abs(Number(nums[i])) > 180 || Math.abs(Number(nums[i + 1])) > 90) return false;
    }
  }
  return true;
}

export { WGS84 };
