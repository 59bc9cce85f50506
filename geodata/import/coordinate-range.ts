/**
 * Coordinates outside the source CRS's area of use are refused at import, with the feature and
 * the coordinate named. Without this check a GeoJSON with longitude 500 was stored as it was,
 * and every later import of that level failed in the area-change comparison with PROJ's
 * "transform: Invalid coordinate", naming nothing. The usual cause is a wrong CRS (UTM metres
 * in a file that says WGS 84, degrees with --srid 25833), so the message asks about it.
 * The staging SQL of areas.ts applies the boxes; this module finds and words the culprit.
 */
import type { Queryable } from '../db.js';
import { ImportError } from './errors.js';
import { allowedLonLatBox, isGeographic, WGS84 } from './crs.js';

/** What the staging of one import checks coordinates against. */
export interface CoordinateRange {
  srid: number;
  /** The source CRS is longitude/latitude: its coordinates are checked before any transformation. */
  geographic: boolean;
  /** Where coordinates must lie in WGS 84 (source coordinates too, when geographic). */
  box: ReturnType<typeof allowedLonLatBox>;
}

export async function coordinateRange(db: Queryable, srid: number): Promise<CoordinateRange> {
  return { srid, geographic: await isGeographic(db, srid), box: allowedLonLatBox(srid) };
}

/** Bind parameters for the staging SQL: geographic flag and the box west, south, east, north. */
export function rangeParams(r: CoordinateRange): [boolean, number, number, number, number] {
  return [r.geographic, r.box.west, r.box.south, r.box.east, r.box.north];
}

const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(10))) : String(v));
/** Degrees to 6 decimals (≈ 0.1 m), bounds to 2: exact enough to find the point, short enough to read. */
const lonLat = (v: number) => (Number.isFinite(v) ? String(Number(v.toFixed(6))) : String(v));
const deg = (v: number) => `${String(Number(v.toFixed(2))).replace('-', '−')}°`;

/** "Länge −180° bis 180°, Breite −90° bis 90°" (with the CRS name and "mit Toleranz" when widened). */
function describeBox(r: CoordinateRange): string {
  const b = r.box;
  const span = `Länge ${deg(b.west)} bis ${deg(b.east)}, Breite ${deg(b.south)} bis ${deg(b.north)}`;
  return b.widened ? `${b.name}, mit Toleranz: ${span}` : span;
}

const HINT = 'stimmt das Koordinatensystem der Datei? sonst --srid mit dem richtigen EPSG-Code angeben';

/**
 * The error for a staged feature whose coordinates lie outside the allowed box: re-reads the
 * feature's source geometry and names its first coordinate outside (in the file's CRS, and in
 * WGS 84 when that differs).
 */
export async function outOfRangeError(
  tx: Queryable,
  parse: string,
  geometry: string,
  range: CoordinateRange,
  where: { file: string; row: number; unit: 'row' | 'feature'; field: string; value: string },
): Promise<ImportError> {
  const b = range.box;
  const r = await tx.query<{ x: number; y: number; lon: number; lat: number }>(
    `WITH src AS (SELECT ST_SetSRID(ST_Force2D(${parse}), $2::int) AS g),
          pts AS (SELECT (d).path AS path, (d).geom AS pt FROM (SELECT ST_DumpPoints(g) AS d FROM src) x),
          ll AS (SELECT path, ST_X(pt) AS x, ST_Y(pt) AS y,
                        CASE WHEN $3::boolean THEN pt ELSE ST_Transform(pt, ${WGS84}) END AS p FROM pts)
     SELECT x, y, ST_X(p) AS lon, ST_Y(p) AS lat FROM ll
      WHERE NOT (ST_X(p) >= $4 AND ST_X(p) <= $6 AND ST_Y(p) >= $5 AND ST_Y(p) <= $7)
      ORDER BY path LIMIT 1`,
    [geometry, range.srid, range.geographic, b.west, b.south, b.east, b.north],
  );
  const p = r.rows[0];
  if (!p) {
    // Only the float4 bounding box overshot by rounding: name the feature without a coordinate.
    return new ImportError(
      `die Geometrie liegt außerhalb des Gültigkeitsbereichs von EPSG:${range.srid} (${describeBox(range)}); ${HINT}`,
      where,
    );
  }
  const nonFinite = !Number.isFinite(p.x) || !Number.isFinite(p.y);
  const point = `(${fmt(p.x)}, ${fmt(p.y)})`;
  const reason = nonFinite
    ? `die Koordinate ${point} ist keine endliche Zahl`
    : range.geographic
      ? `die Koordinate ${point} liegt außerhalb des Gültigkeitsbereichs von EPSG:${range.srid} (${describeBox(range)}); ${HINT}`
      : `die Koordinate ${point} in EPSG:${range.srid} entspricht Länge ${lonLat(p.lon)}°, Breite ${lonLat(p.lat)}° und liegt außerhalb des Gültigkeitsbereichs (${describeBox(range)}); ${HINT}`;
  return new ImportError(reason, where);
}

/**
 * The error for a feature PROJ cannot transform at all ("Point outside of projection domain",
 * "Invalid coordinate"): bisects the feature's points with savepoints to name the first one.
 * Undefined when every point transforms on its own (then the caller reports PostGIS's message).
 */
export async function untransformableError(
  tx: Queryable,
  parse: string,
  geometry: string,
  range: CoordinateRange,
  projMessage: string,
  where: { file: string; row: number; unit: 'row' | 'feature'; field: string; value: string },
): Promise<ImportError | undefined> {
  const pts = await tx.query<{ x: number; y: number }>(
    `SELECT ST_X((d).geom) AS x, ST_Y((d).geom) AS y
       FROM (SELECT ST_DumpPoints(ST_Force2D(${parse})) AS d) q ORDER BY (d).path`,
    [geometry],
  );
  let xs = pts.rows.map((p) => p.x);
  let ys = pts.rows.map((p) => p.y);
  const fails = async (x: number[], y: number[]): Promise<boolean> => {
    await tx.query('SAVEPOINT coordinate_probe');
    try {
      await tx.query(
        `SELECT count(ST_Transform(ST_SetSRID(ST_MakePoint(x, y), $3::int), ${WGS84}))
           FROM unnest($1::float8[], $2::float8[]) AS t(x, y)`,
        [x, y, range.srid],
      );
      return false;
    } catch {
      return true;
    } finally {
      await tx.query('ROLLBACK TO SAVEPOINT coordinate_probe');
    }
  };
  if (!(await fails(xs, ys))) return undefined; // not a coordinate problem after all
  // Invariant: the points in xs/ys contain a failing one; halve until one is left.
  while (xs.length > 1) {
    const half = Math.ceil(xs.length / 2);
    if (await fails(xs.slice(0, half), ys.slice(0, half))) {
      xs = xs.slice(0, half);
      ys = ys.slice(0, half);
    } else {
      xs = xs.slice(half);
      ys = ys.slice(half);
    }
  }
  const point = xs.length === 1 ? ` ${`(${fmt(xs[0])}, ${fmt(ys[0])})`}` : '';
  return new ImportError(
    `die Koordinate${point} lässt sich nicht von EPSG:${range.srid} nach WGS 84 umrechnen (PROJ: ${projMessage.replace(/^transform:\s*/i, '')}); sie liegt außerhalb des Gültigkeitsbereichs des Koordinatensystems (${describeBox(range)}); ${HINT}`,
    where,
  );
}

/** True for PROJ's messages about a coordinate it cannot transform. */
export function isTransformError(e: unknown): boolean {
  const m = e instanceof Error ? e.message : String(e);
  return /transform:|projection domain|invalid coordinate|latitude or longitude exceeded/i.test(m);
}
