/**
 * Vector tiles (Mapbox Vector Tile 2.1) and TileJSON 3.0 (issue 4).
 *
 * URL scheme — a layer path, then either /{z}/{x}/{y}.pbf (a tile) or .json (its TileJSON):
 *
 *   /tiles/areas/{z}/{x}/{y}.pbf?level=plr                 outlines: code, name, level, parent, population
 *   /tiles/labels/{z}/{x}/{y}.pbf?level=plr                one point per area (ST_PointOnSurface): code, name
 *   /tiles/indicator/{key}/{period}/{z}/{x}/{y}.pbf?level=plr&method=quantile&classes=5
 *                                                          code, name, value, class, suppressed
 *   /tiles/typology/{runId}/{z}/{x}/{y}.pbf[?k=N]          code, type, label, silhouette, stability
 *                                                          (k: another k of the run's range; default the chosen k)
 *   /tiles/hotspots/{runId}/{z}/{x}/{y}.pbf                code, class, giZ, quadrant
 *   /tiles/areas.json?level=bzr, /tiles/indicator/S4/2020-12-31.json?method=jenks, /tiles/typology/7.json …
 *
 * - `level` defaults to the finest level (the one with most areas: 'plr' in the Berlin sample), as
 *   in GET /api/areas; the client asks for the parent outlines with ?level=bzr.
 * - Indicator classes: method quantile (default) | equal | jenks | sd, classes 3…7 (default 5),
 *   computed over the level's shown (non-suppressed) values; `class` is 0 … classes−1.
 *   The TileJSON of the same URL carries the thresholds in `breaks` for the legend.
 * - TileJSON `tiles` URLs start with config.publicUrl (SOZIALATLAS_PUBLIC_URL), never with the
 *   request's Host header.
 * - z is 0…14 (TileJSON maxzoom; clients overzoom beyond), x and y 0…2^z−1; anything else is 400.
 *   A name that matches nothing follows the API's one rule (errors.unknownName): unknown layer,
 *   indicator, period or run in the path: 404; unknown ?level or ?k in the query string: 400.
 *   A tile without features: 204. Path parsing: server/http/tile-path.ts; OpenAPI: tiles-openapi.ts.
 * - Caching. Run-addressed layers (typology, hotspots) never change under their URL: a new run
 *   gets a new id and so new URLs, and old tiles stay valid: `Cache-Control: public,
 *   max-age=31536000, immutable` plus an ETag. Data-addressed layers (areas, labels, indicator)
 *   carry an ETag derived from data_version.version and the layer parameters, `Cache-Control:
 *   public, no-cache` (revalidate every time), and answer a matching If-None-Match with 304
 *   without building anything. When data_version changes, their indexes are rebuilt.
 * - Each layer's geojson-vt index is built once, on first use, from one indexed read of the layer
 *   (concurrent requests share the build) and kept in an LRU bounded by config.tileCacheMb.
 *   A tile request reads at most data_version (one row) from the database.
 * - Features carry `code`; the feature id is derived from it (digit codes: their integer value),
 *   so polygons split at tile borders stay selectable by code.
 */
import { Router, type Request, type Response } from 'express';
import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import { notFound, unknownName } from '../http/errors.js';
import { LAYER_INPUT_SOURCE, parseTileLayer, parseTilePath } from '../http/tile-path.js';
import { LAYERS, layerKey, type LayerSpec } from '../../geodata/tiles/layers.js';
import { LayerNotFoundError, defaultLevel } from '../../geodata/tiles/layer-source.js';
import { buildLayer, type BuiltLayer } from '../../geodata/tiles/built-layer.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { IndexCache } from '../../geodata/tiles/index-cache.js';
import { DataVersionReader } from '../../geodata/tiles/data-version.js';
import { RunExistence } from '../../geodata/tiles/run-existence.js';
import { tileJson } from '../../geodata/tiles/tilejson.js';

/** Media type of a Mapbox Vector Tile (also in the OpenAPI document, tiles-openapi.ts). */
export const MVT_TYPE = 'application/vnd.mapbox-vector-tile';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'public, no-cache';
/** Bumped when the tile content for the same data changes (new options or fields): changes every ETag. */
const TILE_FORMAT = 1;

const etags = new Map<string, string>();
/** ETag of a layer key (memoised: one per layer and version, not per tile; cleared when it grows large). */
function etagOf(s: string): string {
  let e = etags.get(s);
  if (e === undefined) {
    if (etags.size > 10_000) etags.clear();
    e = `"${createHash('sha1').update(`${TILE_FORMAT}|${s}`).digest('base64url').slice(0, 22)}"`;
    etags.set(s, e);
  }
  return e;
}

function matches(req: Request, etag: string): boolean {
  const inm = req.get('if-none-match');
  if (!inm) return false;
  return inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export function tilesRoutes(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.db;
  const versions = new DataVersionReader(db);
  const runs = new RunExistence(db);
  const cache = new IndexCache<BuiltLayer>(Math.max(1, ctx.config.tileCacheMb) * 2 ** 20, (l) => l.estimatedBytes());
  // A layer's encoded tiles may use a quarter of the bound, so one busy layer cannot crowd out the rest.
  const encodedBudget = (Math.max(1, ctx.config.tileCacheMb) * 2 ** 20) / 4;
  const tilesBase = `${ctx.config.publicUrl}/tiles`;
  let seenVersion = -1;
  let levelDefault: { version: number; level: Promise<string | null> } | null = null;

  /** Resolves the layer's level and its cache key; data-addressed keys start with the data version. */
  async function resolve(
    spec: LayerSpec,
    levelGiven: boolean,
  ): Promise<{ spec: LayerSpec; key: string; version: string }> {
    if (LAYERS[spec.kind].runAddressed)
      return { spec, key: `run|${layerKey(spec)}`, version: `run-${'runId' in spec ? spec.runId : ''}` };
    const version = await versions.read();
    if (version !== seenVersion) {
      // The data changed: the indexes of older versions can never be served again.
      if (seenVersion !== -1) cache.deleteWhere((k) => k.startsWith('v') && !k.startsWith(`v${version}|`));
      seenVersion = version;
    }
    let resolved = spec;
    if (!levelGiven && 'level' in spec) {
      if (levelDefault?.version !== version) levelDefault = { version, level: defaultLevel(db) };
      const level = await levelDefault.level;
      if (!level) throw notFound('Es sind noch keine Gebiete importiert');
      resolved = { ...spec, level };
    }
    return { spec: resolved, key: `v${version}|${layerKey(resolved)}`, version: String(version) };
  }

  async function layerFor(spec: LayerSpec, key: string): Promise<BuiltLayer> {
    try {
      // A layer is (re)built only when the data version moved: bring the read model up to date first.
      return await cache.getOrBuild(key, async () => {
        await refreshValues(db);
        return buildLayer(db, spec, { encodedBudget });
      });
    } catch (err) {
      if (err instanceof LayerNotFoundError) throw unknownName(LAYER_INPUT_SOURCE[err.input], err.message, err.details);
      throw err;
    }
  }

  r.get(/^\/tiles\/.+/, async (req: Request, res: Response) => {
    const parsed = parseTilePath(req.path.slice('/tiles/'.length));
    const { spec: raw, levelGiven } = parseTileLayer(parsed.layer, req.query);
    const { spec, key, version } = await resolve(raw, levelGiven);
    const runAddressed = LAYERS[spec.kind].runAddressed;
    res.set('Access-Control-Allow-Origin', '*');
    if ((spec.kind === 'typology' || spec.kind === 'hotspots') && !(await runs.exists(spec.kind, spec.runId))) {
      cache.deleteWhere((k) => k === key); // a deleted run's index must not be served from the cache
      throw notFound(
        spec.kind === 'typology'
          ? `Unbekannter Typisierungslauf ${spec.runId}`
          : `Unbekannter Hotspot-Lauf ${spec.runId}`,
        { runId: spec.runId },
      );
    }

    if (parsed.kind === 'tilejson') {
      // From the configured public URL, never from the Host header (which any client can set).
      const base = tilesBase;
      const etag = etagOf(`json|${key}|${base}`);
      res.set({ ETag: etag, 'Cache-Control': REVALIDATE });
      if (matches(req, etag)) {
        res.status(304).end();
        return;
      }
      const layer = await layerFor(spec, key);
      res.json(tileJson(layer, base, version));
      return;
    }

    const etag = etagOf(key);
    const cacheControl = runAddressed ? IMMUTABLE : REVALIDATE;
    // Data-addressed: the ETag names the data version, so a match needs no index at all.
    // Run-addressed: a run's tiles never change, so a client holding the ETag holds the tile.
    // The tile path writes its headers in one writeHead instead of express's res.set/res.send:
    // under load this is the hot path, and res.send re-checks freshness and content type per tile.
    if (matches(req, etag)) {
      res.writeHead(304, { ETag: etag, 'Cache-Control': cacheControl }).end();
      return;
    }
    const layer = await layerFor(spec, key);
    const tile = layer.tile(parsed.z, parsed.x, parsed.y);
    cache.resize(key);
    if (!tile) {
      res.writeHead(204, { ETag: etag, 'Cache-Control': cacheControl }).end();
      return;
    }
    res
      .writeHead(200, {
        ETag: etag,
        'Cache-Control': cacheControl,
        'Content-Type': MVT_TYPE,
        'Content-Length': tile.length,
      })
      .end(tile);
  });

  return r;
}
