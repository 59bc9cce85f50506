/**
 * The GeoJSON reader of the area import: a FeatureCollection or Feature into a SourceLayer, with
 * the CRS from a legacy `crs` member where present (many GIS exports still write one) and
 * WGS 84 otherwise, as RFC 7946 says.
 */
import { ImportError } from './errors.js';
import { readJsonFile } from './sniff.js';
import { epsgFromCrsName, WGS84 } from './crs.js';
import type { SourceFeature, SourceLayer } from './source.js';

/**
 * Reads a GeoJSON FeatureCollection (or a single Feature). RFC 7946 says
 * coordinates are WGS 84; a legacy `crs` member (GeoJSON 2008, still written by
 * many GIS exports) names another EPSG code and is honoured.
 */
export async function readGeoJson(file: string): Promise<SourceLayer> {
  // Sniffed first (sniff.ts): a BOM is dropped, UTF-16 decoded, a spreadsheet or ZIP named.
  const { doc, encoding } = await readJsonFile(file, 'GeoJSON', (p) =>
    p[0] === 'features' && typeof p[1] === 'number' ? { row: p[1] + 1, unit: 'feature' } : {},
  );
  if (!isObject(doc)) throw new ImportError('eine GeoJSON-Datei muss ein JSON-Objekt enthalten', { file });
  let features: unknown[];
  if (doc.type === 'FeatureCollection') {
    if (!Array.isArray(doc.features))
      throw new ImportError('FeatureCollection ohne Array "features"', { file, field: 'features' });
    features = doc.features;
  } else if (doc.type === 'Feature') {
    features = [doc];
  } else {
    throw new ImportError('erwartet wird eine GeoJSON-FeatureCollection oder ein Feature', {
      file,
      field: 'type',
      value: doc.type,
    });
  }

  const out: SourceFeature[] = features.map((f, k) => {
    if (!isObject(f) || f.type !== 'Feature') {
      throw new ImportError('kein GeoJSON-Feature', {
        file,
        row: k + 1,
        unit: 'feature',
        field: 'type',
        value: isObject(f) ? f.type : f,
      });
    }
    const props = f.properties == null ? {} : f.properties;
    if (!isObject(props))
      throw new ImportError('"properties" muss ein JSON-Objekt sein', {
        file,
        row: k + 1,
        unit: 'feature',
        field: 'properties',
      });
    return { props, geometry: f.geometry };
  });

  const warnings = encoding === 'windows-1252' ? [`${file}: kein UTF-8, als windows-1252 gelesen`] : [];
  const layer: SourceLayer = { format: 'geojson', features: out, sridSource: 'crs', unit: 'feature', warnings };
  if (doc.crs !== undefined && doc.crs !== null) {
    layer.srid = legacyCrs(doc.crs, file);
  } else {
    layer.srid = WGS84;
    layer.sridSource = 'RFC 7946 default';
  }
  return layer;
}

/** {type:'name', properties:{name:'urn:ogc:def:crs:EPSG::25833'}} or the older {type:'EPSG', properties:{code:25833}}. */
function legacyCrs(crs: unknown, file: string): number {
  if (isObject(crs) && isObject(crs.properties)) {
    const p = crs.properties;
    if (crs.type === 'name' && typeof p.name === 'string') {
      const srid = epsgFromCrsName(p.name);
      if (srid !== undefined) return srid;
      throw new ImportError('das im veralteten "crs"-Eintrag genannte Koordinatensystem ist nicht lesbar', {
        file,
        field: 'crs',
        value: p.name,
      });
    }
    if (String(crs.type).toUpperCase() === 'EPSG' && Number.isInteger(Number(p.code))) return Number(p.code);
  }
  throw new ImportError('veralteter "crs"-Eintrag wird nicht unterstützt (erwartet: type "name" mit einer EPSG-URN)', {
    file,
    field: 'crs',
    value: crs,
  });
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
