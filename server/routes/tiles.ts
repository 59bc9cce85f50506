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
 * - z is 0…14 (TileJSON maxzoom; clients overzoom beyond), x and y 0…2^z−1; anything else is 400.
 *   Unknown layer, level, indicator, period or run: 404 with a message. A tile without features: 204.
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
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { badRequest, notFound } from '../http/errors.js';
import { parseOr400 } from '../http/validate.js';
import { BREAK_METHODS, type BreakMethod } from '../../analysis/class-breaks.js';
import { LAYERS, layerKey, type LayerSpec } from '../../geodata/tiles/layers.js';
import { LayerNotFoundError, defaultLevel } from '../../geodata/tiles/layer-source.js';
import { buildLayer, type BuiltLayer } from '../../geodata/tiles/built-layer.js';
import { IndexCache } from '../../geodata/tiles/index-cache.js';
import { DataVersionReader } from '../../geodata/tiles/data-version.js';
import { RunExistence } from '../../geodata/tiles/run-existence.js';
import { tileJson } from '../../geodata/tiles/tilejson.js';
import { POLYGON_TILE_OPTIONS } from '../../geodata/tiles/tile-index.js';
import { isIsoDate, levelKey } from '../http/params.js';
import { typeKParam } from '../services/typology.js';

const MAX_ZOOM = POLYGON_TILE_OPTIONS.maxZoom;
const MVT_TYPE = 'application/vnd.mapbox-vector-tile';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'public, no-cache';
/** Bumped when the tile content for the same data changes (new options or fields): changes every ETag. */
const TILE_FORMAT = 1;

const levelQuery = z.object({ level: levelKey.optional() });
const indicatorQuery = z.object({
  level: levelKey.optional(),
  method: z.enum(BREAK_METHODS as [BreakMethod, ...BreakMethod[]]).default('quantile'),
  classes: z.coerce.number().int().min(3).max(7).default(5),
});
const typologyQuery = z.object({ k: typeKParam.optional() });
const INDICATOR_KEY = /^[A-Za-z0-9_.-]{1,60}$/;
const RUN_ID = /^[1-9][0-9]{0,14}$/;

type Parsed =
  | { kind: 'tile'; layer: string[]; z: number; x: number; y: number }
  | { kind: 'tilejson'; layer: string[] };

/** Splits /tiles/<layer…>/{z}/{x}/{y}.pbf or /tiles/<layer…>.json; 400 for bad tile coordinates. */
function parsePath(rawPath: string): Parsed {
  let segments: string[];
  try {
    segments = rawPath.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw badRequest('Ungültig kodierter Pfad');
  }
  const last = segments[segments.length - 1] ?? '';
  if (last.endsWith('.json')) {
    return { kind: 'tilejson', layer: [...segments.slice(0, -1), last.slice(0, -'.json'.length)] };
  }
  if (!last.endsWith('.pbf') || segments.length < 4) {
    throw notFound(`Unbekannter Kachelpfad /tiles/${segments.join('/')}: erwartet /tiles/{layer}/{z}/{x}/{y}.pbf oder /tiles/{layer}.json`);
  }
  const [zs, xs, ys] = [segments[segments.length - 3], segments[segments.length - 2], last.slice(0, -'.pbf'.length)];
  const int = (s: string) => (/^[0-9]{1,8}$/.test(s) ? Number(s) : NaN);
  const [zz, x, y] = [int(zs), int(xs), int(ys)];
  if (!Number.isInteger(zz) || !Number.isInteger(x) || !Number.isInteger(y)) {
    throw badRequest(`Kachelkoordinaten müssen ganze Zahlen sein: ${zs}/${xs}/${ys}`, { z: zs, x: xs, y: ys });
  }
  if (zz > MAX_ZOOM) throw badRequest(`Zoomstufe ${zz} außerhalb 0–${MAX_ZOOM} (darüber vergrößert der Client die Kacheln von z${MAX_ZOOM})`, { z: zz });
  const n = 2 ** zz;
  if (x >= n || y >= n) throw badRequest(`Kachel ${zz}/${x}/${y} außerhalb des Bereichs 0–${n - 1}`, { z: zz, x, y });
  return { kind: 'tile', layer: segments.slice(0, -3), z: zz, x, y };
}


/** The layer named by the path segments and query, with the level still possibly unresolved. */
function parseLayer(segments: string[], query: unknown): { spec: LayerSpec; levelGiven: boolean } {
  const [kind, ...rest] = segments;
  const known = Object.keys(LAYERS).join(', ');
  switch (kind) {
    case 'areas':
    case 'labels': {
      if (rest.length) break;
      const q = parseOr400(levelQuery, query);
      return { spec: { kind, level: q.level ?? '' }, levelGiven: Boolean(q.level) };
    }
    case 'indicator': {
      if (rest.length !== 2) break;
      const [key, period] = rest;
      if (!INDICATOR_KEY.test(key)) throw badRequest(`Ungültiger Indikatorschlüssel '${key}'`);
      if (!isIsoDate(period)) throw badRequest(`Ungültiger Zeitraum '${period}': erwartet JJJJ-MM-TT`);
      const q = parseOr400(indicatorQuery, query);
      return { spec: { kind, key, period, level: q.level ?? '', method: q.method, classes: q.classes }, levelGiven: Boolean(q.level) };
    }
    case 'typology':
    case 'hotspots': {
      if (rest.length !== 1) break;
      if (!RUN_ID.test(rest[0])) throw badRequest(`Ungültige Lauf-ID '${rest[0]}': erwartet eine positive ganze Zahl`);
      if (kind === 'hotspots') return { spec: { kind, runId: Number(rest[0]) }, levelGiven: true };
      // ?k=N: that k's types of the run. A run's tiles for one k never change, so they stay immutable
      // under their own URL; whether the run stored that k is known once the layer is read (404 there).
      const { k } = parseOr400(typologyQuery, query);
      return { spec: k === undefined ? { kind, runId: Number(rest[0]) } : { kind, runId: Number(rest[0]), k }, levelGiven: true };
    }
  }
  throw notFound(`Unbekannte Kachelebene '${segments.join('/')}' (bekannt: ${known}; indicator/{key}/{period}, typology/{runId}, hotspots/{runId})`);
}

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
  let seenVersion = -1;
  let levelDefault: { version: number; level: Promise<string | null> } | null = null;

  /** Resolves the layer's level and its cache key; data-addressed keys start with the data version. */
  async function resolve(spec: LayerSpec, levelGiven: boolean): Promise<{ spec: LayerSpec; key: string; version: string }> {
    if (LAYERS[spec.kind].runAddressed) return { spec, key: `run|${layerKey(spec)}`, version: `run-${'runId' in spec ? spec.runId : ''}` };
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
      return await cache.getOrBuild(key, () => buildLayer(db, spec, { encodedBudget }));
    } catch (err) {
      if (err instanceof LayerNotFoundError) throw notFound(err.message, err.details);
      throw err;
    }
  }

  r.get(/^\/tiles\/.+/, async (req: Request, res: Response) => {
    const parsed = parsePath(req.path.slice('/tiles/'.length));
    const { spec: raw, levelGiven } = parseLayer(parsed.layer, req.query);
    const { spec, key, version } = await resolve(raw, levelGiven);
    const runAddressed = LAYERS[spec.kind].runAddressed;
    res.set('Access-Control-Allow-Origin', '*');
    if ((spec.kind === 'typology' || spec.kind === 'hotspots') && !(await runs.exists(spec.kind, spec.runId))) {
      cache.deleteWhere((k) => k === key); // a deleted run's index must not be served from the cache
      throw notFound(spec.kind === 'typology' ? `Unbekannter Typisierungslauf ${spec.runId}` : `Unbekannter Hotspot-Lauf ${spec.runId}`, { runId: spec.runId });
    }

    if (parsed.kind === 'tilejson') {
      const base = `${req.protocol}://${req.get('host')}/tiles`;
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
    res.writeHead(200, { ETag: etag, 'Cache-Control': cacheControl, 'Content-Type': MVT_TYPE, 'Content-Length': tile.length }).end(tile);
  });

  return r;
}

// ---- OpenAPI ----

const coord = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'integer', minimum: 0 } });
const zxy = [
  coord('z', `Zoomstufe 0–${MAX_ZOOM}`),
  coord('x', 'Spalte 0 … 2^z − 1'),
  coord('y', 'Zeile 0 … 2^z − 1 (XYZ-Schema, Norden oben)'),
];
const levelParam = {
  name: 'level',
  in: 'query',
  required: false,
  description: "Ebene (Standard: die feinste Ebene mit den meisten Gebieten, in Berlin 'plr'; 'bzr' für die Umrisse der Bezirksregionen)",
  schema: { type: 'string' },
};
const indicatorParams = [
  { name: 'key', in: 'path', required: true, description: 'Indikatorschlüssel, z. B. S4', schema: { type: 'string' } },
  { name: 'period', in: 'path', required: true, description: 'Zeitraum JJJJ-MM-TT, z. B. 2020-12-31', schema: { type: 'string', format: 'date' } },
  levelParam,
  { name: 'method', in: 'query', required: false, description: 'Klassifikation', schema: { type: 'string', enum: BREAK_METHODS, default: 'quantile' } },
  { name: 'classes', in: 'query', required: false, description: 'Anzahl Klassen', schema: { type: 'integer', minimum: 3, maximum: 7, default: 5 } },
];
const runParam = { name: 'runId', in: 'path', required: true, description: 'ID des gespeicherten Laufs', schema: { type: 'integer', minimum: 1 } };
const typologyKParam = {
  name: 'k',
  in: 'query',
  required: false,
  description: 'Typen für dieses k aus dem k-Bereich des Laufs (eigene, ebenso unveränderliche URL); Standard: das gewählte k. Ein k, das der Lauf nicht gespeichert hat: 404',
  schema: { type: 'integer', minimum: 2 },
};
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function tileOp(summary: string, params: unknown[], runAddressed: boolean) {
  return {
    get: {
      tags: ['tiles'],
      summary,
      description: runAddressed
        ? 'Unveränderlich: Cache-Control public, max-age=31536000, immutable; ETag. Ein neuer Lauf bekommt eine neue URL.'
        : 'ETag aus der Datenversion und den Parametern; Cache-Control public, no-cache; If-None-Match → 304.',
      parameters: [...params, ...zxy],
      responses: {
        200: { description: 'Mapbox Vector Tile 2.1', content: { [MVT_TYPE]: { schema: { type: 'string', format: 'binary' } } } },
        204: { description: 'Die Kachel enthält keine Gebiete' },
        304: { description: 'Unverändert (If-None-Match)' },
        400: errorResponse('Ungültige Kachelkoordinaten oder Parameter'),
        404: errorResponse('Unbekannte Ebene, Indikator, Zeitraum oder Lauf'),
      },
    },
  };
}

function tileJsonOp(summary: string, params: unknown[]) {
  return {
    get: {
      tags: ['tiles'],
      summary,
      description: 'TileJSON 3.0.0 (tiles, bounds, center, minzoom, maxzoom, vector_layers mit Feldern); für QGIS, OpenLayers, MapLibre.',
      parameters: params,
      responses: {
        200: { description: 'TileJSON 3.0.0', content: { 'application/json': { schema: { type: 'object' } } } },
        304: { description: 'Unverändert (If-None-Match)' },
        400: errorResponse('Ungültige Parameter'),
        404: errorResponse('Unbekannte Ebene, Indikator, Zeitraum oder Lauf'),
      },
    },
  };
}

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const tilesPaths: Record<string, unknown> = {
  '/tiles/areas/{z}/{x}/{y}.pbf': tileOp('Gebietsumrisse (code, name, level, parent, population)', [levelParam], false),
  '/tiles/areas.json': tileJsonOp('TileJSON der Gebietsumrisse', [levelParam]),
  '/tiles/labels/{z}/{x}/{y}.pbf': tileOp('Beschriftungspunkte je Gebiet (code, name)', [levelParam], false),
  '/tiles/labels.json': tileJsonOp('TileJSON der Beschriftungspunkte', [levelParam]),
  '/tiles/indicator/{key}/{period}/{z}/{x}/{y}.pbf': tileOp('Indikatorwerte mit Klasse (code, name, value, class, suppressed)', indicatorParams, false),
  '/tiles/indicator/{key}/{period}.json': tileJsonOp('TileJSON eines Indikators, mit den Klassengrenzen in breaks', indicatorParams),
  '/tiles/typology/{runId}/{z}/{x}/{y}.pbf': tileOp('Sozialraumtypen eines Laufs (code, type, label, silhouette, stability)', [runParam, typologyKParam], true),
  '/tiles/typology/{runId}.json': tileJsonOp('TileJSON eines Typisierungslaufs', [runParam, typologyKParam]),
  '/tiles/hotspots/{runId}/{z}/{x}/{y}.pbf': tileOp('Hotspots eines Laufs (code, class, giZ, quadrant)', [runParam], true),
  '/tiles/hotspots/{runId}.json': tileJsonOp('TileJSON eines Hotspot-Laufs', [runParam]),
};
