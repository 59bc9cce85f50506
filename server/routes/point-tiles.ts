/**
 * Vector tiles of the point layers:
 *   GET /tiles/points/{layer}/{z}/{x}/{y}.pbf   facilities of the layer's newest stand: fid, name, address, layer
 *   GET /tiles/points/{layer}.json              its TileJSON 3.0
 * Unknown layer in the path: 404; malformed z/x/y: 400; a tile without points: 204. ETag from the
 * data version (every import bumps it), `Cache-Control: public, no-cache` as the other
 * data-addressed layers (server/routes/tiles.ts). Registered before the area tile router, which
 * would otherwise answer /tiles/points/… with "unknown layer".
 */
import { Router, type Request, type Response } from 'express';
import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import { badRequest, notFound } from '../http/errors.js';
import { DataVersionReader } from '../../geodata/tiles/data-version.js';
import {
  buildPointLayer,
  POINT_TILE_FIELDS,
  POINT_TILE_LAYER,
  type BuiltPointLayer,
} from '../../geodata/tiles/point-tiles.js';

const MVT_TYPE = 'application/vnd.mapbox-vector-tile';
const REVALIDATE = 'public, no-cache';
const PATH = /^\/tiles\/points\/([A-Za-z_][A-Za-z0-9_]{0,63})(?:\/(\d{1,2})\/(\d{1,9})\/(\d{1,9})\.pbf|\.json)$/;

export function pointTileRoutes(ctx: AppContext): Router {
  const r = Router();
  const versions = new DataVersionReader(ctx.db);
  let cacheVersion = -1;
  const cache = new Map<string, Promise<BuiltPointLayer | null>>();

  async function layerFor(key: string): Promise<{ layer: BuiltPointLayer; version: number }> {
    const version = await versions.read();
    if (version !== cacheVersion) {
      cache.clear();
      cacheVersion = version;
    }
    let p = cache.get(key);
    if (!p) {
      p = buildPointLayer(ctx.db, key);
      cache.set(key, p);
      p.catch(() => cache.delete(key));
    }
    const layer = await p;
    if (!layer) {
      cache.delete(key);
      throw notFound(`Unbekannter Punktlayer '${key}'`, { layer: key });
    }
    return { layer, version };
  }

  r.get(/^\/tiles\/points\//, async (req: Request, res: Response) => {
    const m = PATH.exec(req.path);
    if (!m) throw notFound(`Unbekannter Pfad: ${req.method} ${req.originalUrl}`);
    const [, key, zs, xs, ys] = m;
    res.set('Access-Control-Allow-Origin', '*');
    if (zs === undefined) {
      const { layer, version } = await layerFor(key);
      const base = `${req.protocol}://${req.get('host')}/tiles`;
      const etag = etagOf(`json|${key}|${version}|${base}`);
      res.set({ ETag: etag, 'Cache-Control': REVALIDATE });
      if (req.get('if-none-match') === etag) {
        res.status(304).end();
        return;
      }
      res.json(pointTileJson(layer, base, String(version)));
      return;
    }
    const [z, x, y] = [Number(zs), Number(xs), Number(ys)];
    if (z > 14 || x >= 2 ** z || y >= 2 ** z) {
      throw badRequest(`Ungültige Kachel ${z}/${x}/${y}: z 0–14, x und y 0–2^z−1`, { z, x, y });
    }
    const { layer, version } = await layerFor(key);
    const etag = etagOf(`${key}|${version}`);
    if (req.get('if-none-match') === etag) {
      res.writeHead(304, { ETag: etag, 'Cache-Control': REVALIDATE }).end();
      return;
    }
    const tile = layer.tile(z, x, y);
    if (!tile) {
      res.writeHead(204, { ETag: etag, 'Cache-Control': REVALIDATE }).end();
      return;
    }
    res
      .writeHead(200, {
        ETag: etag,
        'Cache-Control': REVALIDATE,
        'Content-Type': MVT_TYPE,
        'Content-Length': tile.length,
      })
      .end(tile);
  });
  return r;
}

function etagOf(s: string): string {
  return `"${createHash('sha1').update(s).digest('base64url').slice(0, 22)}"`;
}

const WORLD: [number, number, number, number] = [-180, -85.05112877980659, 180, 85.05112877980659];

/** TileJSON 3.0.0 of a point layer (as geodata/tiles/tilejson.ts for the area layers). */
export function pointTileJson(layer: BuiltPointLayer, baseUrl: string, version: string) {
  const bounds = layer.bounds ?? WORLD;
  const span = Math.max(bounds[2] - bounds[0], 1e-9);
  const zoom = Math.max(0, Math.min(layer.maxZoom, Math.round(Math.log2(360 / span)) + 1));
  const description = `${layer.label} (Stand ${layer.period})`;
  return {
    tilejson: '3.0.0',
    name: `Sozialatlas points/${layer.key}`,
    description,
    version,
    scheme: 'xyz',
    tiles: [`${baseUrl}/points/${layer.key}/{z}/{x}/{y}.pbf`],
    minzoom: 0,
    maxzoom: layer.maxZoom,
    bounds,
    center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, zoom],
    ...(layer.attribution ? { attribution: layer.attribution } : {}),
    vector_layers: [
      { id: POINT_TILE_LAYER, description, minzoom: 0, maxzoom: layer.maxZoom, fields: POINT_TILE_FIELDS },
    ],
  };
}

const layerParam = {
  name: 'layer',
  in: 'path',
  required: true,
  description: 'Punktlayer, z. B. kitas',
  schema: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' },
};
const zxyParams = (['z', 'x', 'y'] as const).map((name) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 0, ...(name === 'z' ? { maximum: 14 } : {}) },
}));

/** OpenAPI path items of the point tiles. */
export const pointTilesPaths: Record<string, unknown> = {
  '/tiles/points/{layer}/{z}/{x}/{y}.pbf': {
    get: {
      summary: 'Vektorkachel eines Punktlayers (Einrichtungen: fid, name, address, layer)',
      parameters: [layerParam, ...zxyParams],
      responses: {
        '200': { description: 'Mapbox Vector Tile', content: { [MVT_TYPE]: {} } },
        '204': { description: 'Kachel ohne Punkte' },
        '400': { description: 'Ungültige Kachelkoordinaten' },
        '404': { description: 'Unbekannter Punktlayer' },
      },
    },
  },
  '/tiles/points/{layer}.json': {
    get: {
      summary: 'TileJSON 3.0 eines Punktlayers',
      parameters: [layerParam],
      responses: { '200': { description: 'TileJSON' }, '404': { description: 'Unbekannter Punktlayer' } },
    },
  },
};
