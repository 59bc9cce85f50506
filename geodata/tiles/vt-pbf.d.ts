/** Types for vt-pbf 3.x, which ships none: only the function we use. */
declare module 'vt-pbf' {
  import type { LegacyFeature } from 'geojson-vt';
  interface FromGeojsonVtOptions {
    /** Vector tile spec version written into each layer (vt-pbf's default is 1; we pass 2). */
    version?: number;
    /** Tile extent the coordinates are in (default 4096). */
    extent?: number;
  }
  export function fromGeojsonVt(
    layers: Record<string, { features: LegacyFeature[] }>,
    options?: FromGeojsonVtOptions,
  ): Uint8Array;
}
