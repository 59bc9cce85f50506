/**
 * Encodes one layer's tile features as a Mapbox Vector Tile (protobuf) with vt-pbf.
 */
import { fromGeojsonVt } from 'vt-pbf';
import type { LegacyFeature } from 'geojson-vt';
import { TILE_EXTENT } from './tile-index.js';

/**
 * One layer per tile, spec version 2 (vt-pbf writes 1 unless told; v2 is what the coordinates
 * follow: closed polygon rings with exterior rings clockwise, which geojson-vt produces).
 * Properties that are null are left out (MVT has no null): an absent field means "no value".
 */
export function encodeTile(layerName: string, features: LegacyFeature[], extent = TILE_EXTENT): Buffer {
  const bytes = fromGeojsonVt({ [layerName]: { features } }, { version: 2, extent });
  // pbf returns a view on its own (larger) buffer; wrap without copying.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
