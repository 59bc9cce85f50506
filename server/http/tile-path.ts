/**
 * Parsing of tile URLs, pure (no database): /tiles/<layer…>/{z}/{x}/{y}.pbf or /tiles/<layer…>.json
 * into a tile address and a layer spec. Kept apart from the route so the URL scheme can be read
 * and tested on its own (test/server/tile-path.test.ts).
 *
 * Statuses: malformed coordinates, keys, periods, run ids or query values are a 400; a path that
 * names no layer is a 404. Whether a well-formed name exists is decided when the layer is read:
 * LAYER_INPUT_SOURCE says where the URL carries each input, for errors.unknownName.
 */
import { z } from 'zod';
import { badRequest, notFound, type NameSource } from './errors.js';
import { parseOr400 } from './validate.js';
import { isIsoDate, levelKey } from './params.js';
import { BREAK_METHODS, type BreakMethod } from '../../analysis/class-breaks.js';
import { LAYERS, type LayerSpec } from '../../geodata/tiles/layers.js';
import type { LayerInput } from '../../geodata/tiles/layer-source.js';
import { POLYGON_TILE_OPTIONS } from '../../geodata/tiles/tile-index.js';
import { typeKParam } from '../services/typology.js';

/** Highest zoom served (TileJSON maxzoom); clients overzoom beyond it. */
export const MAX_ZOOM = POLYGON_TILE_OPTIONS.maxZoom;

/** Where a tile URL carries each layer input: level and k in the query string, the rest in the path. */
export const LAYER_INPUT_SOURCE: Record<LayerInput, NameSource> = {
  level: 'query',
  k: 'query',
  indicator: 'path',
  period: 'path',
  run: 'path',
};

const levelQuery = z.object({ level: levelKey.optional() });
const indicatorQuery = z.object({
  level: levelKey.optional(),
  method: z.enum(BREAK_METHODS as [BreakMethod, ...BreakMethod[]]).default('quantile'),
  classes: z.coerce.number().int().min(3).max(7).default(5),
});
const typologyQuery = z.object({ k: typeKParam.optional() });
const INDICATOR_KEY = /^[A-Za-z0-9_.-]{1,60}$/;
const RUN_ID = /^[1-9][0-9]{0,14}$/;

export type TilePath =
  { kind: 'tile'; layer: string[]; z: number; x: number; y: number } | { kind: 'tilejson'; layer: string[] };

/** Splits <layer…>/{z}/{x}/{y}.pbf or <layer…>.json (the path after /tiles/); 400 for bad tile coordinates. */
export function parseTilePath(rawPath: string): TilePath {
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
    throw notFound(
      `Unbekannter Kachelpfad /tiles/${segments.join('/')}: erwartet /tiles/{layer}/{z}/{x}/{y}.pbf oder /tiles/{layer}.json`,
    );
  }
  const [zs, xs, ys] = [segments[segments.length - 3], segments[segments.length - 2], last.slice(0, -'.pbf'.length)];
  const int = (s: string) => (/^[0-9]{1,8}$/.test(s) ? Number(s) : NaN);
  const [zz, x, y] = [int(zs), int(xs), int(ys)];
  if (!Number.isInteger(zz) || !Number.isInteger(x) || !Number.isInteger(y)) {
    throw badRequest(`Kachelkoordinaten müssen ganze Zahlen sein: ${zs}/${xs}/${ys}`, { z: zs, x: xs, y: ys });
  }
  if (zz > MAX_ZOOM)
    throw badRequest(
      `Zoomstufe ${zz} außerhalb 0–${MAX_ZOOM} (darüber vergrößert der Client die Kacheln von z${MAX_ZOOM})`,
      { z: zz },
    );
  const n = 2 ** zz;
  if (x >= n || y >= n) throw badRequest(`Kachel ${zz}/${x}/${y} außerhalb des Bereichs 0–${n - 1}`, { z: zz, x, y });
  return { kind: 'tile', layer: segments.slice(0, -3), z: zz, x, y };
}

/**
 * The layer named by the path segments and query. `levelGiven` is false when the request names no
 * level: the route then shows the default level (the finest one).
 */
export function parseTileLayer(segments: string[], query: unknown): { spec: LayerSpec; levelGiven: boolean } {
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
      return {
        spec: { kind, key, period, level: q.level ?? '', method: q.method, classes: q.classes },
        levelGiven: Boolean(q.level),
      };
    }
    case 'typology':
    case 'hotspots': {
      if (rest.length !== 1) break;
      if (!RUN_ID.test(rest[0])) throw badRequest(`Ungültige Lauf-ID '${rest[0]}': erwartet eine positive ganze Zahl`);
      if (kind === 'hotspots') return { spec: { kind, runId: Number(rest[0]) }, levelGiven: true };
      // ?k=N: that k's types of the run. A run's tiles for one k never change, so they stay immutable
      // under their own URL; whether the run stored that k is known once the layer is read (400 there).
      const { k } = parseOr400(typologyQuery, query);
      return {
        spec: k === undefined ? { kind, runId: Number(rest[0]) } : { kind, runId: Number(rest[0]), k },
        levelGiven: true,
      };
    }
  }
  throw notFound(
    `Unbekannte Kachelebene '${segments.join('/')}' (bekannt: ${known}; indicator/{key}/{period}, typology/{runId}, hotspots/{runId})`,
  );
}
