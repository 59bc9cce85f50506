/**
 * TileJSON 3.0.0 document of a built layer, as QGIS ("Vector Tiles" connection), OpenLayers and
 * MapLibre read it.
 */
import type { BuiltLayer } from './built-layer.js';
import { layerPath } from './layers.js';

export interface TileJson {
  tilejson: '3.0.0';
  name: string;
  description: string;
  version: string;
  scheme: 'xyz';
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number];
  center: [number, number, number];
  vector_layers: {
    id: string;
    description: string;
    minzoom: number;
    maxzoom: number;
    fields: Record<string, string>;
  }[];
  /** Not TileJSON: the class breaks of the indicator layer, for the client's legend. */
  breaks?: { method: string; classes: number; thresholds: number[]; min: number | null; max: number | null; n: number };
}

// The whole world when a layer is empty, as TileJSON's own default.
const WORLD: [number, number, number, number] = [-180, -85.05112877980659, 180, 85.05112877980659];

/**
 * @param baseUrl absolute origin and prefix of the tile service, e.g. "http://localhost:8080/tiles":
 *   the configured public URL of the service (SOZIALATLAS_PUBLIC_URL), never a request's Host header
 * @param version data version (data-addressed layers) or run id: tells clients when content changed
 */
export function tileJson(layer: BuiltLayer, baseUrl: string, version: string): TileJson {
  const { path, query } = layerPath(layer.spec);
  const bounds = layer.bounds ?? WORLD;
  // Centre zoom: where the layer's extent spans about four 256 px tiles, clamped to the tile range.
  const span = Math.max(bounds[2] - bounds[0], 1e-9);
  const zoom = Math.max(0, Math.min(layer.maxZoom, Math.round(Math.log2(360 / span)) + 1));
  return {
    tilejson: '3.0.0',
    name: `Sozialatlas ${path}`,
    description: layer.info.description,
    version,
    scheme: 'xyz',
    tiles: [`${baseUrl}/${path}/{z}/{x}/{y}.pbf${query ? `?${query}` : ''}`],
    minzoom: 0,
    maxzoom: layer.maxZoom,
    bounds,
    center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, zoom],
    vector_layers: [
      {
        id: layer.info.layerName,
        description: layer.info.description,
        minzoom: 0,
        maxzoom: layer.maxZoom,
        fields: layer.info.fields,
      },
    ],
    ...(layer.breaks ? { breaks: { ...layer.breaks } } : {}),
  };
}
