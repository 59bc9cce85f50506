/**
 * The readers of the point import (`sozialatlas import points`): GeoJSON (Point and MultiPoint,
 * a legacy `crs` member honoured), Shapefile (points, CRS from the .prj) and CSV with x/y columns
 * or a WKT column, into one list of points with their attributes, in the file's own CRS.
 *
 * Node checks the structure and the coordinates' range (so the error can name the feature);
 * PostGIS transforms. The area readers are reused for GeoJSON and Shapefile; only the geometry
 * handling differs (points instead of polygons).
 */
import { extname } from 'node:path';
import { ImportError, unitLabel } from './errors.js';
import { readGeoJson, isObject } from './read-geojson.js';
import { readShapefile } from './read-shapefile.js';
import { readCsvFile, requireRectangular } from './read-csv.js';
import { parseDecimal } from './numbers.js';
import { WGS84 } from './crs.js';
import type { SourceLayer } from './source.js';

/** One point of the file (a MultiPoint gives one per member). */
export interface SourcePoint {
  /** 1-based feature (GeoJSON, Shapefile) or data row (CSV) number. */
  feature: number;
  /** 1-based member of a MultiPoint; undefined for a Point. */
  member?: number;
  props: Record<string, unknown>;
  x: number;
  y: number;
}

export interface PointFile {
  points: SourcePoint[];
  /** EPSG code the file declares; undefined when it says nothing (CSV). */
  srid?: number;
  sridSource: string;
  crsProblem?: Error;
  unit: 'feature' | 'row';
  /** Features without a geometry (skipped and reported). */
  withoutGeometry: number[];
  warnings: string[];
}

/** Names of the coordinate columns of a CSV, in order of preference (case-insensitive). */
const XY_COLUMNS: readonly (readonly [string, string])[] = [
  ['x', 'y'],
  ['lon', 'lat'],
  ['lng', 'lat'],
  ['longitude', 'latitude'],
  ['laenge', 'breite'],
  ['easting', 'northing'],
  ['rechtswert', 'hochwert'],
];
const WKT_COLUMNS = ['wkt', 'geometry', 'geom', 'the_geom'];

/** Picks the reader by file extension: .geojson/.json, .shp, .csv/.tsv/.txt. */
export async function readPointFile(file: string): Promise<PointFile> {
  const ext = extname(file).toLowerCase();
  switch (ext) {
    case '.geojson':
    case '.json':
      return fromGeoJsonLayer(await readGeoJson(file), file);
    case '.shp':
      return fromGeoJsonLayer(await readShapefile(file), file);
    case '.csv':
    case '.tsv':
    case '.txt':
      return readPointCsv(file);
    default:
      throw new ImportError('unbekannter Dateityp für Punkte: erwartet wird .geojson, .json, .shp oder .csv', {
        file,
        value: ext,
      });
  }
}

/** GeoJSON and Shapefile layers both carry GeoJSON geometry objects. */
function fromGeoJsonLayer(layer: SourceLayer, file: string): PointFile {
  const points: SourcePoint[] = [];
  const withoutGeometry: number[] = [];
  layer.features.forEach((f, k) => {
    const feature = k + 1;
    const g = f.geometry;
    if (g === null || g === undefined) {
      withoutGeometry.push(feature);
      return;
    }
    const where = { file, row: feature, unit: layer.unit, field: 'geometry' } as const;
    if (!isObject(g)) throw new ImportError('Geometrie ist kein GeoJSON-Objekt', { ...where, value: g });
    if (g.type === 'Point') {
      const [x, y] = coordinatePair(g.coordinates, file, feature, layer.unit);
      points.push({ feature, props: f.props, x, y });
    } else if (g.type === 'MultiPoint') {
      const members: unknown = g.coordinates;
      if (!Array.isArray(members) || members.length === 0) {
        throw new ImportError('MultiPoint ohne Koordinaten', { ...where, value: members });
      }
      members.forEach((c: unknown, m) => {
        const [x, y] = coordinatePair(c, file, feature, layer.unit);
        points.push({ feature, member: members.length > 1 ? m + 1 : undefined, props: f.props, x, y });
      });
    } else {
      throw new ImportError('erwartet wird ein Punkt (Point oder MultiPoint)', {
        ...where,
        field: 'geometry.type',
        value: g.type,
      });
    }
  });
  return {
    points,
    srid: layer.srid,
    sridSource: layer.sridSource,
    crsProblem: layer.crsProblem,
    unit: layer.unit,
    withoutGeometry,
    warnings: [...layer.warnings],
  };
}

function coordinatePair(c: unknown, file: string, feature: number, unit: 'feature' | 'row'): [number, number] {
  if (!Array.isArray(c) || c.length < 2 || !c.slice(0, 2).every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new ImportError('Koordinaten müssen ein Paar endlicher Zahlen [x, y] sein', {
      file,
      row: feature,
      unit,
      field: 'geometry.coordinates',
      value: c,
    });
  }
  return [c[0] as number, c[1] as number];
}

/** A CSV with x/y (lon/lat, Rechtswert/Hochwert, …) columns or a WKT POINT column. */
async function readPointCsv(file: string): Promise<PointFile> {
  const table = await readCsvFile(file);
  requireRectangular(table, file);
  const lower = table.header.map((h) => h.trim().toLowerCase());
  const xy = XY_COLUMNS.map(([a, b]) => [lower.indexOf(a), lower.indexOf(b)] as const).find(
    ([a, b]) => a >= 0 && b >= 0,
  );
  const wktIndex = WKT_COLUMNS.map((c) => lower.indexOf(c)).find((i) => i >= 0);
  if (!xy && wktIndex === undefined) {
    throw new ImportError(
      `keine Koordinatenspalten; erwartet werden x/y (oder lon/lat, rechtswert/hochwert) oder eine WKT-Spalte (${WKT_COLUMNS.join(', ')})`,
      { file, value: table.header.join(table.delimiter) },
    );
  }
  const geomColumns = new Set(xy ? [xy[0], xy[1]] : [wktIndex!]);
  let ewktSrid: number | undefined;
  const points: SourcePoint[] = [];
  const withoutGeometry: number[] = [];
  table.rows.forEach((row, k) => {
    const feature = k + 1;
    const props: Record<string, unknown> = {};
    table.header.forEach((h, j) => {
      if (!geomColumns.has(j)) props[h] = row[j];
    });
    if (xy) {
      const [xs, ys] = [row[xy[0]].trim(), row[xy[1]].trim()];
      if (xs === '' && ys === '') {
        withoutGeometry.push(feature);
        return;
      }
      const x = csvNumber(xs, file, feature, table.header[xy[0]]);
      const y = csvNumber(ys, file, feature, table.header[xy[1]]);
      points.push({ feature, props, x, y });
      return;
    }
    let wkt = row[wktIndex!].trim();
    if (wkt === '') {
      withoutGeometry.push(feature);
      return;
    }
    const field = table.header[wktIndex!];
    const prefix = /^SRID=(\d+);/i.exec(wkt);
    if (prefix) {
      const srid = Number(prefix[1]);
      if (ewktSrid !== undefined && srid !== ewktSrid) {
        throw new ImportError(`EWKT-SRID weicht von früheren Zeilen ab (EPSG:${ewktSrid})`, {
          file,
          row: feature,
          field,
          value: `SRID=${srid}`,
        });
      }
      ewktSrid = srid;
      wkt = wkt.slice(prefix[0].length);
    }
    for (const [m, [x, y]] of wktPoints(wkt, file, feature, field).entries()) {
      points.push({ feature, member: m === 0 && !/^multipoint/i.test(wkt) ? undefined : m + 1, props, x, y });
    }
  });
  return {
    points,
    srid: ewktSrid,
    sridSource: ewktSrid !== undefined ? 'EWKT prefix' : 'none (CSV)',
    unit: 'row',
    withoutGeometry,
    warnings: table.encoding === 'windows-1252' ? [`${file}: kein UTF-8, als windows-1252 gelesen`] : [],
  };
}

function csvNumber(text: string, file: string, row: number, field: string): number {
  const v = parseDecimal(text, text.includes(',') && !text.includes('.') ? ',' : '.');
  if (v === undefined || !Number.isFinite(v))
    throw new ImportError('Koordinate ist keine Zahl', { file, row, field, value: text });
  return v;
}

/** POINT (x y), POINT Z (x y z), MULTIPOINT ((x y), (x y)) or MULTIPOINT (x y, x y). */
function wktPoints(wkt: string, file: string, row: number, field: string): [number, number][] {
  const m = /^(POINT|MULTIPOINT)\s*(?:Z|M|ZM)?\s*\((.*)\)\s*$/is.exec(wkt);
  if (!m)
    throw new ImportError('erwartet wird ein WKT-Punkt (POINT oder MULTIPOINT)', { file, row, field, value: wkt });
  const parts = m[1].toUpperCase() === 'POINT' ? [m[2]] : m[2].split(',').map((p) => p.replace(/[()]/g, ''));
  return parts.map((p) => {
    const nums = p.trim().split(/\s+/).map(Number);
    if (nums.length < 2 || !Number.isFinite(nums[0]) || !Number.isFinite(nums[1])) {
      throw new ImportError('Koordinaten des WKT-Punkts sind keine Zahlen', { file, row, field, value: wkt });
    }
    return [nums[0], nums[1]];
  });
}

/**
 * The valid range of coordinates in a CRS, where it is known: degrees for geographic systems,
 * the zone's easting/northing band for UTM (ETRS89 and WGS 84) and Gauss-Krüger. Undefined for
 * other systems (PostGIS's transformed result is checked instead).
 */
export function crsRange(srid: number): { x: [number, number]; y: [number, number]; what: string } | undefined {
  if (srid === WGS84 || srid === 4258 || srid === 4269) {
    return { x: [-180, 180], y: [-90, 90], what: 'Längengrad −180…180, Breitengrad −90…90' };
  }
  const utmNorth = (srid >= 25828 && srid <= 25838) || (srid >= 32601 && srid <= 32660);
  if (utmNorth || (srid >= 32701 && srid <= 32760)) {
    return { x: [0, 1_000_000], y: [0, 10_000_000], what: 'Rechtswert 0…1 000 000 m, Hochwert 0…10 000 000 m' };
  }
  if (srid >= 31466 && srid <= 31469) {
    const zone = srid - 31464;
    return {
      x: [zone * 1e6, zone * 1e6 + 1e6],
      y: [5_000_000, 6_200_000],
      what: `Rechtswert ${zone} 000 000…${zone + 1} 000 000 m, Hochwert 5 000 000…6 200 000 m`,
    };
  }
  return undefined;
}

/** Throws for the first point outside the CRS's range, naming the feature. */
export function requireInRange(file: PointFile, srid: number, fileName: string, sridSource: string): void {
  const range = crsRange(srid);
  if (!range) return;
  for (const p of file.points) {
    if (p.x < range.x[0] || p.x > range.x[1] || p.y < range.y[0] || p.y > range.y[1]) {
      const hint =
        srid === WGS84 && sridSource !== 'option'
          ? ' – sind die Koordinaten projiziert? Dann das Koordinatensystem mit --srid angeben'
          : '';
      throw new ImportError(`Koordinaten außerhalb des Wertebereichs von EPSG:${srid} (${range.what})${hint}`, {
        file: fileName,
        row: p.feature,
        unit: file.unit,
        field: 'geometry',
        value: [p.x, p.y],
      });
    }
  }
}

/** "Objekt 12" / "Zeile 12" (member 2 of a MultiPoint: "Objekt 12.2"). */
export function pointWhere(p: SourcePoint, unit: 'feature' | 'row'): string {
  return `${unitLabel(unit)} ${p.feature}${p.member !== undefined ? `.${p.member}` : ''}`;
}
