/**
 * Coordinate reference systems of input files, as EPSG codes. Files name their
 * CRS in three ways: a GeoJSON `crs` member (legacy, pre RFC 7946), a Shapefile
 * `.prj` (ESRI WKT1, often without an AUTHORITY), or nothing (RFC 7946 GeoJSON
 * = WGS 84). The transformation itself happens in PostGIS (ST_Transform).
 */
import type { Queryable } from '../db.js';
import { ImportError } from './errors.js';

export const WGS84 = 4326;

/**
 * EPSG code from a legacy GeoJSON crs name: "urn:ogc:def:crs:EPSG::25833",
 * "urn:ogc:def:crs:EPSG:6.6:25833", "EPSG:25833", "urn:ogc:def:crs:OGC:1.3:CRS84".
 * Returns undefined for a name it cannot read.
 */
export function epsgFromCrsName(name: string): number | undefined {
  const s = name.trim();
  if (/(^|:)CRS84$/i.test(s)) return WGS84;
  const m =
    /^(?:urn:ogc:def:crs:)?EPSG:(?:[\d.]*:)?(\d+)$/i.exec(s) ?? /opengis\.net\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i.exec(s);
  return m ? Number(m[1]) : undefined;
}

/** A node of WKT1: KEYWORD["name", child, child, …]. */
interface WktNode {
  key: string;
  args: (string | number | WktNode)[];
}

/** Parses WKT1 (OGC or ESRI flavour). Throws a plain Error on malformed text. */
export function parseWkt1(text: string): WktNode {
  let i = 0;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const node = (): WktNode => {
    skip();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!m) throw new Error(`WKT: keyword expected at ${i}`);
    i += m[0].length;
    skip();
    const open = text[i];
    if (open !== '[' && open !== '(') throw new Error(`WKT: '[' expected at ${i}`);
    const close = open === '[' ? ']' : ')';
    i++;
    const args: WktNode['args'] = [];
    for (;;) {
      skip();
      const c = text[i];
      if (c === '"') {
        const end = text.indexOf('"', i + 1);
        if (end < 0) throw new Error('WKT: unterminated string');
        args.push(text.slice(i + 1, end));
        i = end + 1;
      } else if (/[-+.\d]/.test(c)) {
        const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i));
        if (!num) throw new Error(`WKT: number expected at ${i}`);
        args.push(Number(num[0]));
        i += num[0].length;
      } else if (c === close) {
        i++;
        return { key: m[0].toUpperCase(), args };
      } else if (c === undefined) {
        throw new Error('WKT: unexpected end');
      } else {
        // Either a nested node or a bare enum word such as NORTH/EAST in AXIS.
        const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
        const after = word ? text.slice(i + word[0].length).trimStart()[0] : undefined;
        if (word && after !== '[' && after !== '(') {
          args.push(word[0]);
          i += word[0].length;
        } else args.push(node());
      }
      skip();
      if (text[i] === ',') i++;
    }
  };
  const root = node();
  return root;
}

const child = (n: WktNode, key: string): WktNode | undefined =>
  n.args.find((a): a is WktNode => typeof a === 'object' && a.key === key);
const nameOf = (n: WktNode | undefined): string => (n && typeof n.args[0] === 'string' ? n.args[0] : '');

/**
 * EPSG code for a .prj text: its own top-level AUTHORITY["EPSG",n] if present,
 * else recognised from datum, projection and parameters for the systems German
 * municipalities actually use (UTM 32/33 on ETRS89 or WGS 84, Gauss-Krüger
 * zones 2–5 on DHDN, ETRS89-LAEA, Web Mercator, geographic WGS 84/ETRS89).
 * Returns undefined when it cannot tell; the caller then asks for --srid.
 */
export function epsgFromPrj(text: string): number | undefined {
  let root: WktNode;
  try {
    root = parseWkt1(text);
  } catch {
    return undefined;
  }
  const auth = child(root, 'AUTHORITY');
  if (auth && String(auth.args[0]).toUpperCase() === 'EPSG') return Number(auth.args[1]);

  const geog = root.key === 'GEOGCS' ? root : child(root, 'GEOGCS');
  const datum = nameOf(geog && child(geog, 'DATUM')).toLowerCase();
  const spheroid = nameOf(geog && child(child(geog, 'DATUM') ?? { key: '', args: [] }, 'SPHEROID')).toLowerCase();
  const isEtrs = /etrs|european_terrestrial_reference_system_1989/.test(datum);
  const isWgs = /wgs_?(19)?84/.test(datum);
  const isDhdn = /hauptdreiecksnetz|dhdn|potsdam/.test(datum) || spheroid.includes('bessel');

  if (root.key === 'GEOGCS') {
    if (isWgs) return 4326;
    if (isEtrs) return 4258;
    return undefined;
  }
  if (root.key !== 'PROJCS') return undefined;

  const projection = nameOf(child(root, 'PROJECTION')).toLowerCase();
  const params = new Map<string, number>();
  for (const a of root.args) {
    if (typeof a === 'object' && a.key === 'PARAMETER' && typeof a.args[1] === 'number') {
      params.set(String(a.args[0]).toLowerCase(), a.args[1]);
    }
  }
  const p = (name: string) => params.get(name);
  const near = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) < 1e-6;
  const cm = p('central_meridian') ?? p('longitude_of_center') ?? p('longitude_of_origin');
  const fe = p('false_easting');
  const k = p('scale_factor');
  const projName = nameOf(root).toLowerCase();

  if (
    /mercator_auxiliary_sphere|popular_visualisation|web_mercator|pseudo.?mercator/.test(projection + ' ' + projName)
  ) {
    return 3857;
  }
  if (projection.includes('lambert_azimuthal_equal_area')) {
    const lat0 = p('latitude_of_origin') ?? p('latitude_of_center');
    if (isEtrs && near(lat0, 52) && near(cm, 10) && near(fe, 4321000)) return 3035;
    return undefined;
  }
  if (projection.includes('transverse_mercator') || projection.includes('gauss_kruger')) {
    if (cm === undefined || fe === undefined) return undefined;
    // UTM: scale 0.9996, false easting 500 km, zone from the central meridian.
    if (near(k, 0.9996) && near(fe, 500000) && (p('false_northing') ?? 0) === 0) {
      const zone = Math.round((cm + 183) / 6);
      if (Math.abs(zone * 6 - 183 - cm) > 1e-6) return undefined;
      if (isEtrs && zone >= 28 && zone <= 38) return 25800 + zone;
      if (isWgs) return 32600 + zone;
      return undefined;
    }
    // Gauss-Krüger on DHDN: scale 1, false easting = zone·1 000 km + 500 km, CM = 3°·zone.
    if (isDhdn && near(k, 1) && cm % 3 === 0) {
      const zone = cm / 3;
      if (near(fe, zone * 1e6 + 500000) && zone >= 2 && zone <= 5) return 31464 + zone;
    }
  }
  return undefined;
}

/** The PostGIS spatial_ref_sys must know the code, else ST_Transform fails later with a vague message. */
export async function requireKnownSrid(db: Queryable, srid: number, file: string, source: string): Promise<void> {
  if (!Number.isInteger(srid) || srid <= 0) {
    throw new ImportError('kein gültiger EPSG-Code', { file, field: source, value: srid });
  }
  const r = await db.query('SELECT 1 FROM spatial_ref_sys WHERE srid = $1', [srid]);
  if (r.rows.length === 0) {
    throw new ImportError(`EPSG:${srid} ist unbekannt: PostGIS hat dieses Koordinatensystem nicht in spatial_ref_sys`, {
      file,
      field: source,
      value: srid,
    });
  }
}

/** Where a CRS may be used, as a longitude/latitude box in degrees (WGS 84). */
export interface AreaOfUse {
  name: string;
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * EPSG areas of use of the systems German offices deliver (the ones epsgFromPrj recognises,
 * plus DHDN and the zone-prefixed UTM variants), rounded to 0.01°. Other codes get the
 * general ±180°/±90° check only.
 */
const AREAS_OF_USE: Record<number, AreaOfUse> = {
  4326: { name: 'WGS 84', west: -180, south: -90, east: 180, north: 90 },
  4258: { name: 'ETRS89', west: -16.1, south: 32.88, east: 40.18, north: 84.73 },
  4314: { name: 'DHDN', west: 5.86, south: 47.27, east: 13.84, north: 55.09 },
  3857: { name: 'WGS 84 / Pseudo-Mercator', west: -180, south: -85.06, east: 180, north: 85.06 },
  3035: { name: 'ETRS89-extended / LAEA Europe', west: -35.58, south: 24.6, east: 44.83, north: 84.73 },
  31466: { name: 'DHDN / 3-degree Gauss-Kruger zone 2', west: 5.86, south: 49.11, east: 7.5, north: 53.81 },
  31467: { name: 'DHDN / 3-degree Gauss-Kruger zone 3', west: 7.5, south: 47.27, east: 10.51, north: 55.09 },
  31468: { name: 'DHDN / 3-degree Gauss-Kruger zone 4', west: 10.5, south: 47.27, east: 13.51, north: 55.09 },
  31469: { name: 'DHDN / 3-degree Gauss-Kruger zone 5', west: 13.5, south: 50.2, east: 15.04, north: 54.74 },
  4647: { name: 'ETRS89 / UTM zone 32N (zE-N)', west: 6, south: 47.27, east: 12, north: 55.09 },
  5650: { name: 'ETRS89 / UTM zone 33N (zE-N)', west: 12, south: 47.46, east: 18, north: 55.09 },
};

/**
 * How far coordinates may lie outside the EPSG area of use, in degrees of longitude and
 * latitude. Whole countries are routinely delivered in one zone (all of Germany, 5.9–15.0° E,
 * in UTM 32 or Gauss-Krüger zone 3), and PROJ transforms those exactly; what the check is for
 * are coordinates in the wrong system (degrees read as UTM metres land at 0.0005° N, UTM metres
 * read as degrees at longitude 390 000) and garbage such as longitude 500.
 */
export const AREA_OF_USE_MARGIN = { lon: 10, lat: 5 };

/** The EPSG area of use of `srid` where known (UTM zones are computed), else undefined. */
export function areaOfUse(srid: number): AreaOfUse | undefined {
  const known = AREAS_OF_USE[srid];
  if (known) return known;
  const utm = (zone: number) => ({ west: zone * 6 - 186, east: zone * 6 - 180 });
  if (srid >= 25828 && srid <= 25838) {
    const zone = srid - 25800;
    return { name: `ETRS89 / UTM zone ${zone}N`, ...utm(zone), south: 32.88, north: 84.73 };
  }
  if (srid >= 32601 && srid <= 32660) {
    const zone = srid - 32600;
    return { name: `WGS 84 / UTM zone ${zone}N`, ...utm(zone), south: 0, north: 84 };
  }
  return undefined;
}

/** The box coordinates must lie in after transformation to WGS 84: the widened area of use, within ±180°/±90°. */
export function allowedLonLatBox(srid: number): AreaOfUse & { widened: boolean } {
  const a = areaOfUse(srid);
  if (!a) return { name: `EPSG:${srid}`, west: -180, south: -90, east: 180, north: 90, widened: false };
  const m = AREA_OF_USE_MARGIN;
  return {
    name: a.name,
    west: Math.max(-180, a.west - m.lon),
    south: Math.max(-90, a.south - m.lat),
    east: Math.min(180, a.east + m.lon),
    north: Math.min(90, a.north + m.lat),
    widened: a.west - m.lon > -180 || a.east + m.lon < 180 || a.south - m.lat > -90 || a.north + m.lat < 90,
  };
}

/** True when PostGIS knows `srid` as a geographic (longitude/latitude) system. */
export async function isGeographic(db: Queryable, srid: number): Promise<boolean> {
  const r = await db.query<{ proj4text: string | null }>('SELECT proj4text FROM spatial_ref_sys WHERE srid = $1', [
    srid,
  ]);
  return /\+proj=(longlat|latlong|lonlat|latlon)\b/.test(r.rows[0]?.proj4text ?? '');
}
