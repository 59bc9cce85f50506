/**
 * The one entry point for reading an area file: picks the GeoJSON, Shapefile or WKT-CSV reader by
 * extension, so the area import handles a single SourceLayer shape whatever the format.
 */
import { extname } from 'node:path';
import { ImportError } from './errors.js';
import { readGeoJson } from './read-geojson.js';
import { readShapefile } from './read-shapefile.js';
import { readWktCsv } from './read-wkt-csv.js';
import type { SourceLayer } from './source.js';

/** Picks the reader by file extension: .geojson/.json, .shp, .csv/.txt/.tsv. */
export async function readAreaFile(file: string): Promise<SourceLayer> {
  const ext = extname(file).toLowerCase();
  switch (ext) {
    case '.geojson':
    case '.json':
      return readGeoJson(file);
    case '.shp':
      return readShapefile(file);
    case '.csv':
    case '.tsv':
    case '.txt':
      return readWktCsv(file);
    default:
      throw new ImportError('unbekannter Dateityp für Gebiete: erwartet wird .geojson, .json, .shp oder .csv', {
        file,
        value: ext,
      });
  }
}
