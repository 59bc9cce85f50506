/**
 * Vector tiles of a point layer ("Georessource": Kitas, care homes): one feature per facility with
 * fid, name, address and capacity (places or beds, from the first of CAPACITY_FIELDS the point has), cut by geojson-vt like the label points of the area layers (no buffer:
 * each point lives in exactly one tile). The newest stand of the layer is shown. Built once per
 * layer and data version by the route (server/routes/point-tiles.ts).
 */
import type { Queryable } from '../db.js';
import { buildTileIndex, type TileIndex } from './tile-index.js';
import { encodeTile } from './encode.js';
import { featureId } from './feature-id.js';
import type { SourceFeature } from './layer-source.js';

/** Name of the vector layer inside the tiles. */
export const POINT_TILE_LAYER = 'points';

/** Fields of a point tile feature (TileJSON vector_layers.fields). */
export const POINT_TILE_FIELDS: Record<string, string> = {
  fid: 'Kennung der Einrichtung',
  name: 'Name',
  address: 'Adresse',
  layer: 'Punktlayer',
  capacity: 'Plätze bzw. Betten (falls die Einrichtung ein solches Feld hat)',
};

/** Attributes read as a facility's capacity, in order (Kita places, care-home places, generic names). */
export const CAPACITY_FIELDS = ['e_platz', 'platzzahl', 'plaetze', 'betten', 'kapazitaet'] as const;

export interface BuiltPointLayer {
  key: string;
  label: string;
  period: string;
  attribution: string | null;
  featureCount: number;
  bounds: [number, number, number, number] | null;
  maxZoom: number;
  tile(z: number, x: number, y: number): Buffer | null;
}

/** The layer's newest stand as a tile layer; null when the layer does not exist. */
export async function buildPointLayer(db: Queryable, layer: string): Promise<BuiltPointLayer | null> {
  const meta = await db.query<{ label: string; period: string; attribution: string | null }>(
    'SELECT label, period::text AS period, attribution FROM point_layer WHERE key = $1 ORDER BY period DESC LIMIT 1',
    [layer],
  );
  const m = meta.rows[0];
  if (!m) return null;
  const rows = await db.query<{
    fid: string;
    name: string | null;
    address: string | null;
    capacity: number | null;
    x: number;
    y: number;
  }>(
    `SELECT fid, name, address,
            (SELECT point_number(attrs ->> f) FROM unnest($3::text[]) WITH ORDINALITY AS c(f, n)
              WHERE point_number(attrs ->> f) IS NOT NULL ORDER BY n LIMIT 1) AS capacity,
            ST_X(geom) AS x, ST_Y(geom) AS y
       FROM point_feature WHERE layer = $1 AND period = $2::date ORDER BY fid`,
    [layer, m.period, [...CAPACITY_FIELDS]],
  );
  const features: SourceFeature[] = rows.rows.map((r) => ({
    id: featureId(r.fid),
    code: r.fid,
    properties: { fid: r.fid, name: r.name, address: r.address, layer, capacity: r.capacity },
    geometry: null,
    point: [r.x, r.y],
  }));
  let bounds: [number, number, number, number] | null = null;
  for (const f of features) {
    const [x, y] = f.point!;
    bounds = bounds
      ? [Math.min(bounds[0], x), Math.min(bounds[1], y), Math.max(bounds[2], x), Math.max(bounds[3], y)]
      : [x, y, x, y];
  }
  const index: TileIndex = buildTileIndex(features, 'point');
  const encoded = new Map<string, Buffer | null>();
  return {
    key: layer,
    label: m.label,
    period: m.period,
    attribution: m.attribution,
    featureCount: features.length,
    bounds,
    maxZoom: index.maxZoom,
    tile(z, x, y) {
      const k = `${z}/${x}/${y}`;
      let buf = encoded.get(k);
      if (buf === undefined) {
        const fs = index.getTile(z, x, y);
        buf = fs.length ? encodeTile(POINT_TILE_LAYER, fs) : null;
        if (encoded.size > 20_000) encoded.clear();
        encoded.set(k, buf);
      }
      return buf;
    },
  };
}
