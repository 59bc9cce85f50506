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
