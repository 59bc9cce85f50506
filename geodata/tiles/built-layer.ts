/**
 * A built tile layer: the layer's tile index plus the encoded tiles already served, with the
 * metadata TileJSON needs. Encoded tiles are kept (bounded) so a repeated tile costs a map lookup.
 */
import type { Queryable } from '../db.js';
import type { ClassBreaks } from '../../analysis/class-breaks.js';
import { LAYERS, type LayerInfo, type LayerSpec } from './layers.js';
import { loadLayer } from './layer-source.js';
import { buildTileIndex, type TileIndex } from './tile-index.js';
import { encodeTile } from './encode.js';

const BYTES_PER_ENCODED_ENTRY = 100; // map entry and key string besides the tile bytes

export interface BuiltLayer {
  readonly spec: LayerSpec;
  readonly info: LayerInfo;
  readonly bounds: [number, number, number, number] | null;
  readonly breaks?: ClassBreaks;
  readonly featureCount: number;
  readonly maxZoom: number;
  /** Milliseconds the build took (SQL + index). */
  readonly buildMs: number;
  /** The encoded tile, or null when it holds no feature (the route answers 204). */
  tile(z: number, x: number, y: number): Buffer | null;
  /** Estimated memory held by this layer, in bytes. */
  estimatedBytes(): number;
}

export interface BuildOptions {
  /** Budget in bytes for this layer's encoded tiles; the oldest are dropped beyond it (default 64 MB). */
  encodedBudget?: number;
}

export async function buildLayer(db: Queryable, spec: LayerSpec, opts: BuildOptions = {}): Promise<BuiltLayer> {
  const t0 = performance.now();
  const info = LAYERS[spec.kind];
  const data = await loadLayer(db, spec);
  const index: TileIndex = buildTileIndex(data.features, info.geometry);
  const buildMs = performance.now() - t0;
  const budget = opts.encodedBudget ?? 64 * 2 ** 20;
  const encoded = new Map<string, Buffer | null>();
  let encodedBytes = 0;

  return {
    spec,
    info,
    bounds: data.bounds,
    breaks: data.breaks,
    featureCount: data.features.length,
    maxZoom: index.maxZoom,
    buildMs,
    tile(z, x, y) {
      const key = `${z}/${x}/${y}`;
      const hit = encoded.get(key);
      if (hit !== undefined) return hit;
      const features = index.getTile(z, x, y);
      const buf = features.length ? encodeTile(info.layerName, features) : null;
      encoded.set(key, buf);
      encodedBytes += (buf?.byteLength ?? 0) + BYTES_PER_ENCODED_ENTRY;
      // Oldest first (Map insertion order) until back under budget.
      for (const [k, b] of encoded) {
        if (encodedBytes <= budget) break;
        encoded.delete(k);
        encodedBytes -= (b?.byteLength ?? 0) + BYTES_PER_ENCODED_ENTRY;
      }
      return buf;
    },
    estimatedBytes() {
      return index.estimatedBytes() + encodedBytes;
    },
  };
}
