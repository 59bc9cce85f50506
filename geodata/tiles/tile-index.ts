/**
 * A layer's tile index: geojson-vt cuts the layer's features into tiles (coarse tiles when the
 * index is built, finer ones on first request, each kept inside the index afterwards).
 *
 * Polygon layers get a second, point index of their label points. geojson-vt drops a polygon ring
 * whose size is below the simplification tolerance at that zoom; at z0 every Berlin area is below
 * it (Berlin is ~7 tile units wide there). So that every area stays present and selectable by code
 * at every zoom (the client selects by code, and legends count features), a dropped area is put
 * back as a tiny square at its label point. That keeps the simplification (small tiles at low
 * zooms) without losing features.
 */
import GeoJSONVT, { type LegacyFeature, type Options } from 'geojson-vt';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { SourceFeature } from './layer-source.js';

/** Tile coordinate space: 4096 units per side, the MVT convention and what every client expects. */
export const TILE_EXTENT = 4096;

/**
 * geojson-vt options for polygon layers, each chosen for small-area statistics data.
 * (geojson-vt's own defaults are given for comparison.)
 */
export const POLYGON_TILE_OPTIONS: Required<
  Pick<Options, 'maxZoom' | 'indexMaxZoom' | 'indexMaxPoints' | 'tolerance' | 'extent' | 'buffer'>
> = {
  // Highest zoom with its own tiles (default 14). At z14 one unit is ≈ 0.36 m in Berlin (52.5° N),
  // finer than anything a boundary of a statistical area needs, and
  // geojson-vt keeps every vertex at maxZoom. The smallest Planungsraum (0.13 km², ≈ 365 m across)
  // then spans ~1000 units. Clients overzoom z14 tiles beyond that (TileJSON maxzoom = 14).
  maxZoom: 14,
  // Pre-cut tiles down to z7 at build time (default 5), where a tile still has indexMaxPoints.
  // A tile cut on demand drills down from its deepest pre-cut ancestor, clipping all of that
  // ancestor's features at each level. Measured on 100 000 polygons: z5 → build 1.8 s, first z10
  // tile 25 ms; z7 → build 2.4 s, 12 ms; z8 with 5 000 points → build 3.9 s, 7.5 ms. z7 halves
  // cold tiles for a third more build time and about half more memory (bench: 238 → 361 MB for
  // that layer); a city (Berlin fits in one z7 tile) barely notices.
  indexMaxZoom: 7,
  // Stop pre-cutting a tile with fewer points than this (default 100 000): a city layer
  // (198 000 vertices for Berlin's 542 areas) is pre-cut a few levels, a national layer where dense.
  indexMaxPoints: 20_000,
  // Douglas-Peucker tolerance in tile units below maxZoom (default 3). 3/4096 of a tile is
  // 0.4 px on a 512 px tile: invisible, and Berlin's z10–14 tiles come out at half the bytes of
  // grid snapping alone (bench: 1.1 MB vs 2.1 MB from ST_AsMVT for the same 1 159 tiles).
  tolerance: 3,
  // Tile extent (default 4096): see TILE_EXTENT.
  extent: TILE_EXTENT,
  // Geometry kept beyond each tile edge, in units (default 64 = 1.6 %): 8 px on a 512 px tile,
  // enough that outline strokes up to 8 px wide show no seam at tile borders.
  buffer: 64,
};

/** Point layers (labels, and the fallback points of polygon layers). */
export const POINT_TILE_OPTIONS: typeof POLYGON_TILE_OPTIONS = {
  ...POLYGON_TILE_OPTIONS,
  // No buffer: each point belongs to exactly one tile, so a label is never drawn twice (a label
  // near an edge is placed by the client's decluttering, not by duplicating the point).
  buffer: 0,
};

/** Side of the square that stands in for an area too small to survive simplification (units). */
const FALLBACK_SIDE = 4; // 0.5 px on a 512 px tile: a visible speck, no larger than the area's true scale suggests

export interface TileIndex {
  readonly geometry: 'polygon' | 'point';
  readonly maxZoom: number;
  readonly extent: number;
  /** Vertices and features the index was built from (for the cache's memory estimate). */
  readonly vertexCount: number;
  readonly featureCount: number;
  /** Features of tile z/x/y in tile units, with ids and properties; [] where the tile is empty. */
  getTile(z: number, x: number, y: number): LegacyFeature[];
  /** How many tiles the index holds now; grows as tiles are cut on demand. */
  tileCount(): number;
  /**
   * Estimated bytes the index holds: the source geometry (12 B per vertex: Int32 x, y and a
   * simplification weight), a fixed cost per feature, and every tile cut so far (its typed
   * arrays, counted once when it first appears; freed parent sources are not subtracted, so the
   * figure errs high). The bench prints it next to the measured heap.
   */
  estimatedBytes(): number;
}

// Calibrated on 100 000 synthetic polygons (V8, Node 20): the index held 153 MB for 1.7 M
// vertices, 107 000 source features and 207 000 tile features, i.e. ~430 B per feature object
// beyond the coordinates (object, bbox fields, typed-array header and backing store).
const BYTES_PER_SOURCE_VERTEX = 12; // Int32 x, y and simplification weight
const BYTES_PER_FEATURE = 600; // source feature, its typed array, properties object, label point
const BYTES_PER_TILE_FEATURE = 250; // a cut tile's feature object besides its rings
const BYTES_PER_RING = 100; // typed-array header and backing store of one ring

/** Counts the memory of tiles as they appear in an index's tileCoords (appended in order). */
function tileMeter(index: GeoJSONVT): () => number {
  let counted = 0;
  let bytes = 0;
  return () => {
    const coords = index.tileCoords;
    for (; counted < coords.length; counted++) {
      const { z, x, y } = coords[counted];
      const tile = index.getTileRaw(z, x, y); // already cut: a lookup, no work
      if (!tile) continue;
      for (const f of tile.features) {
        bytes += BYTES_PER_TILE_FEATURE;
        if (f.type === 4) continue;
        if (f.type === 1) bytes += f.geometry.byteLength + BYTES_PER_RING;
        else for (const ring of f.geometry) bytes += ring.byteLength + BYTES_PER_RING;
      }
    }
    return bytes;
  };
}

function countVertices(features: SourceFeature[]): number {
  let n = 0;
  for (const f of features) {
    const g = f.geometry;
    if (!g) continue;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const poly of polys) for (const ring of poly) n += ring.length;
  }
  return n;
}

function pointCollection(features: SourceFeature[]): FeatureCollection<Point> {
  const out: Feature<Point>[] = [];
  for (const f of features) {
    if (f.point)
      out.push({
        type: 'Feature',
        id: f.id,
        properties: f.properties,
        geometry: { type: 'Point', coordinates: f.point },
      });
  }
  return { type: 'FeatureCollection', features: out };
}

/** Builds the tile index of one layer. */
export function buildTileIndex(features: SourceFeature[], geometry: 'polygon' | 'point'): TileIndex {
  const points = new GeoJSONVT(pointCollection(features), POINT_TILE_OPTIONS);
  const pointMeter = tileMeter(points);
  if (geometry === 'point') {
    return {
      geometry,
      maxZoom: POINT_TILE_OPTIONS.maxZoom,
      extent: TILE_EXTENT,
      vertexCount: features.length,
      featureCount: features.length,
      getTile: (z, x, y) => points.getTile(z, x, y)?.features ?? [],
      tileCount: () => points.tileCoords.length,
      estimatedBytes: () => features.length * BYTES_PER_FEATURE + pointMeter(),
    };
  }

  const polygons: FeatureCollection = {
    type: 'FeatureCollection',
    features: features
      .filter((f) => f.geometry !== null)
      .map((f) => ({ type: 'Feature', id: f.id, properties: f.properties, geometry: f.geometry! })),
  };
  const index = new GeoJSONVT(polygons, POLYGON_TILE_OPTIONS);
  const polygonMeter = tileMeter(index);
  const vertexCount = countVertices(features);
  const half = FALLBACK_SIDE / 2;

  return {
    geometry,
    maxZoom: POLYGON_TILE_OPTIONS.maxZoom,
    extent: TILE_EXTENT,
    vertexCount,
    featureCount: features.length,
    getTile(z, x, y) {
      const cut = index.getTile(z, x, y)?.features ?? [];
      const pts = points.getTile(z, x, y)?.features;
      if (!pts?.length) return cut;
      const present = new Set<number | string | undefined>();
      for (const f of cut) present.add(f.id);
      let out: LegacyFeature[] | null = null;
      for (const p of pts) {
        if (present.has(p.id) || p.type !== 1) continue;
        const [px, py] = p.geometry[0];
        if (px < 0 || py < 0 || px >= TILE_EXTENT || py >= TILE_EXTENT) continue;
        // Clockwise with y down (positive shoelace area): an exterior ring per the MVT spec.
        const ring: [number, number][] = [
          [px - half, py - half],
          [px + half, py - half],
          [px + half, py + half],
          [px - half, py + half],
          [px - half, py - half],
        ];
        out ??= cut.slice();
        out.push({ id: p.id, type: 3, tags: p.tags, geometry: [ring] });
      }
      return out ?? cut;
    },
    tileCount: () => index.tileCoords.length + points.tileCoords.length,
    estimatedBytes: () =>
      vertexCount * BYTES_PER_SOURCE_VERTEX + features.length * BYTES_PER_FEATURE + polygonMeter() + pointMeter(),
  };
}
