/**
 * The GeoJSON reader of the area import: a FeatureCollection or Feature into a SourceLayer, with
 * the CRS from a legacy `crs` member where present (many GIS exports still write one) and
 * WGS 84 otherwise, as RFC 7946 says.
 */
import { readFile } from 'node:fs/promises';
import { ImportError } from './errors.js';
import { epsgFromCrsName, WGS84 } from './crs.js';
import type { SourceFeature, SourceLayer } from './source.js';

/**
 * Reads a GeoJSON FeatureCollection (or a single Feature). RFC 7946 says
 * coordinates are WGS 84; a legacy `crs` member (GeoJSON 2008, still written by
 * many GIS exports) names another EPSG code and is honoured.
 */
export async function readGeoJson(file: string): Promise<SourceLayer> {
  const text = await readFile(file, 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ImportError(`kein gültiges JSON (${jsonErrorWhere(e, text)}); ist die Datei abgeschnitten?`, { file });
  }
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

  const layer: SourceLayer = { format: 'geojson', features: out, sridSource: 'crs', unit: 'feature', warnings: [] };
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

/** "Zeile 3, Spalte 17" from a JSON.parse error that reports a character position. */
function jsonErrorWhere(e: unknown, text: string): string {
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

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
