/**
 * Spatial weights from PostGIS (sql/004_hotspots.sql), stored per level, geometry version and
 * spec, so the second request for the same weights is a lookup. Only writers store: a hotspot
 * run and POST /api/weights (both need the token) and the CLI; GET /api/weights computes a spec
 * that is not stored on the fly and leaves the database as it was, so reading cannot grow it.
 *
 * Specs (canonical text):
 *   queen              any contact (ST_Intersects): shared vertices found in TypeScript
 *                      (analysis/queen-contiguity.ts), PostGIS asked only about pairs whose
 *                      bounding boxes meet without a shared vertex (non-noded borders)
 *   queen:snap=<m>     contact or a gap of at most m metres
 *   rook               a shared boundary line
 *   knn:<k>            k nearest area-weighted centroids in the metric CRS (ties: lower code)
 *   distance:<m>       centroids within m metres
 * The metric CRS is the UTM zone of the level's centre (EPSG:32633 for Berlin).
 */
import type { Queryable } from '../../geodata/db.js';
import { badRequest } from '../http/errors.js';
import { queenContiguity, wkbVerticesAll } from '../../analysis/queen-contiguity.js';

export type WeightsSpec =
  | { kind: 'queen'; snapMetres: number }
  | { kind: 'rook' }
  | { kind: 'knn'; k: number }
  | { kind: 'distance'; metres: number };

/** Parses 'queen' | 'queen:snap=2' | 'rook' | 'knn:6' | 'distance:1500'; anything else is a 400. */
export function parseWeightsSpec(text: string): WeightsSpec {
  const t = text.trim().toLowerCase();
  let m: RegExpExecArray | null;
  if (t === 'queen') return { kind: 'queen', snapMetres: 0 };
  if ((m = /^queen:snap=(\d+(?:\.\d+)?)$/.exec(t))) {
    const snap = Number(m[1]);
    if (snap > 1000) throw badRequest(`Fangtoleranz höchstens 1000 m, nicht ${snap}`);
    return { kind: 'queen', snapMetres: snap };
  }
  if (t === 'rook') return { kind: 'rook' };
  if ((m = /^knn:(\d+)$/.exec(t))) {
    const k = Number(m[1]);
    if (k < 1 || k > 100) throw badRequest(`knn: k zwischen 1 und 100, nicht ${k}`);
    return { kind: 'knn', k };
  }
  if ((m = /^distance:(\d+(?:\.\d+)?)$/.exec(t))) {
    const metres = Number(m[1]);
    if (!(metres > 0) || metres > 100_000)
      throw badRequest(`distance: Abstand in Metern, > 0 und ≤ 100 000, nicht ${metres}`);
    return { kind: 'distance', metres };
  }
  throw badRequest(
    `Unbekannter Gewichtstyp '${text}': erlaubt sind queen, queen:snap=<m>, rook, knn:<k>, distance:<m>`,
    {
      weights: text,
      allowed: ['queen', 'queen:snap=<m>', 'rook', 'knn:<k>', 'distance:<m>'],
    },
  );
}

export function canonicalSpec(spec: WeightsSpec): string {
  switch (spec.kind) {
    case 'queen':
      return spec.snapMetres > 0 ? `queen:snap=${spec.snapMetres}` : 'queen';
    case 'rook':
      return 'rook';
    case 'knn':
      return `knn:${spec.k}`;
    case 'distance':
      return `distance:${spec.metres}`;
  }
}

function specParam(spec: WeightsSpec): number | null {
  switch (spec.kind) {
    case 'queen':
      return spec.snapMetres || null;
    case 'rook':
      return null;
    case 'knn':
      return spec.k;
    case 'distance':
      return spec.metres;
  }
}

export interface NeighbourLists {
  level: string;
  spec: string;
  geometryVersion: number;
  srid: number;
  /** Areas covered, sorted by code (the order the analysis uses, and "input order" for ties). */
  codes: string[];
  /** code → sorted neighbour codes. */
  lists: Record<string, string[]>;
  islands: string[];
  nLinks: number;
  /** True when read from spatial_weights, false when computed now. */
  cached: boolean;
  buildMs: number;
}

async function levelInfo(db: Queryable, level: string): Promise<{ geometryVersion: number; srid: number; n: number }> {
  const r = await db.query<{ geometry_version: number; srid: number | null; n: number }>(
    `SELECT l.geometry_version, hotspot_metric_srid(l.key) AS srid, (SELECT count(*)::int FROM area a WHERE a.level = l.key) AS n
       FROM level l WHERE l.key = $1`,
    [level],
  );
  const row = r.rows[0];
  // The level arrives in a query string or a body, never in a path: unknown → 400 (catalog rule).
  if (!row) throw badRequest(`Unbekannte Ebene '${level}'`, { level });
  if (row.n === 0 || row.srid === null) throw badRequest(`Ebene '${level}' hat keine Gebiete`);
  return { geometryVersion: Number(row.geometry_version), srid: Number(row.srid), n: row.n };
}

/**
 * Queen contiguity without snapping, the same pairs as hotspot_links' ST_Intersects: pairs that
 * share a vertex are neighbours (analysis/queen-contiguity.ts), and PostGIS tests only the pairs
 * whose bounding boxes meet without a shared vertex. On PGlite's WASM GEOS the full ST_Intersects
 * join took 8 s for 10 000 grid cells; the Berlin layers are noded (every contact is a shared
 * vertex), so there the exact test only confirms that the remaining box contacts are no contact.
 * The geometries travel as hex text (decoded natively by Buffer): PGlite's bytea decoding took
 * five times as long for the 200 000 vertices of the Berlin Planungsräume.
 */
async function queenLinks(db: Queryable, level: string): Promise<{ codes: string[]; links: Map<string, string[]> }> {
  // One row: the codes as a JSON array and all geometries as one hex string, in the same order.
  const r = await db.query<{ codes: string | null; g: string | null }>(
    `SELECT json_agg(code ORDER BY code)::text AS codes,
            encode(string_agg(ST_AsBinary(geom), ''::bytea ORDER BY code), 'hex') AS g
       FROM area WHERE level = $1`,
    [level],
  );
  const codes = JSON.parse(r.rows[0]?.codes ?? '[]') as string[];
  const q = queenContiguity(wkbVerticesAll(Buffer.from(r.rows[0]?.g ?? '', 'hex'), codes.length));
  const links = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const l = links.get(a);
    if (l) l.push(b);
    else links.set(a, [b]);
  };
  for (let k = 0; k < q.shared.length; k += 2) {
    link(codes[q.shared[k]], codes[q.shared[k + 1]]);
    link(codes[q.shared[k + 1]], codes[q.shared[k]]);
  }
  if (q.unresolved.length > 0) {
    const a: string[] = [];
    const b: string[] = [];
    for (let k = 0; k < q.unresolved.length; k += 2) {
      a.push(codes[q.unresolved[k]]);
      b.push(codes[q.unresolved[k + 1]]);
    }
    const touching = await db.query<{ a: string; b: string }>(
      `SELECT p.a, p.b FROM unnest($2::text[], $3::text[]) AS p(a, b)
         JOIN area x ON x.level = $1 AND x.code = p.a
         JOIN area y ON y.level = $1 AND y.code = p.b
        WHERE ST_Intersects(x.geom, y.geom)`,
      [level, a, b],
    );
    for (const row of touching.rows) {
      link(row.a, row.b);
      link(row.b, row.a);
    }
  }
  return { codes, links };
}

async function computeLinks(
  db: Queryable,
  level: string,
  spec: WeightsSpec,
  srid: number,
  codes: string[] | null,
): Promise<Map<string, string[]>> {
  const r = await db.query<{ code: string; neighbour: string }>(
    'SELECT code, neighbour FROM hotspot_links($1, $2, $3, $4, $5::text[])',
    [level, spec.kind, specParam(spec), srid, codes],
  );
  const lists = new Map<string, string[]>();
  for (const row of r.rows) {
    const l = lists.get(row.code);
    if (l) l.push(row.neighbour);
    else lists.set(row.code, [row.neighbour]);
  }
  return lists;
}

function finish(
  codes: string[],
  links: Map<string, string[]>,
): { lists: Record<string, string[]>; islands: string[]; nLinks: number } {
  const lists: Record<string, string[]> = {};
  const islands: string[] = [];
  let nLinks = 0;
  for (const c of codes) {
    const l = [...new Set(links.get(c) ?? [])].sort();
    lists[c] = l;
    nLinks += l.length;
    if (l.length === 0) islands.push(c);
  }
  return { lists, islands, nLinks };
}

/**
 * The neighbour lists of all areas of a level: from storage if present for the current geometry
 * version, else computed in PostGIS and, unless `store` is false, stored.
 */
export async function levelWeights(
  db: Queryable,
  level: string,
  spec: WeightsSpec,
  { store = true }: { store?: boolean } = {},
): Promise<NeighbourLists> {
  const info = await levelInfo(db, level);
  const specText = canonicalSpec(spec);
  const stored = await db.query<{ id: string; srid: number; build_ms: number | null }>(
    'SELECT id::text, srid, build_ms FROM spatial_weights WHERE level = $1 AND geometry_version = $2 AND spec = $3',
    [level, info.geometryVersion, specText],
  );
  if (stored.rows[0]) {
    // One row of two JSON arrays: on PGlite a third of the time of 10 000 rows with a text[] each.
    const rows = await db.query<{ codes: string | null; lists: string | null }>(
      `SELECT json_agg(code ORDER BY code)::text AS codes, json_agg(neighbours ORDER BY code)::text AS lists
         FROM spatial_weights_list WHERE weights_id = $1`,
      [stored.rows[0].id],
    );
    const codes = JSON.parse(rows.rows[0]?.codes ?? '[]') as string[];
    const neighbours = JSON.parse(rows.rows[0]?.lists ?? '[]') as string[][];
    const links = new Map(codes.map((c, i) => [c, neighbours[i]]));
    return {
      level,
      spec: specText,
      geometryVersion: info.geometryVersion,
      srid: Number(stored.rows[0].srid),
      codes,
      ...finish(codes, links),
      cached: true,
      buildMs: Number(stored.rows[0].build_ms ?? 0),
    };
  }
  const t0 = performance.now();
  let codes: string[];
  let links: Map<string, string[]>;
  if (spec.kind === 'queen' && spec.snapMetres === 0) {
    ({ codes, links } = await queenLinks(db, level));
  } else {
    // Fresh statistics first: right after an import the planner believes a level has a few
    // hundred rows and probes the level index once per area, which made queen on 40 000 areas
    // take 25 s instead of 2.5 s. Without the privilege to ANALYZE the build is merely slower.
    // A read (store: false) leaves even the statistics alone.
    if (store) await db.query('ANALYZE area').catch(() => undefined);
    codes = (
      await db.query<{ code: string }>('SELECT code FROM area WHERE level = $1 ORDER BY code', [level])
    ).rows.map((r) => r.code);
    links = await computeLinks(db, level, spec, info.srid, null);
  }
  const done = finish(codes, links);
  const buildMs = performance.now() - t0;
  if (!store)
    return {
      level,
      spec: specText,
      geometryVersion: info.geometryVersion,
      srid: info.srid,
      codes,
      ...done,
      cached: false,
      buildMs,
    };
  const ins = await db.query<{ id: string }>(
    `INSERT INTO spatial_weights (level, geometry_version, spec, kind, param, srid, n_areas, n_links, islands, build_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10)
     ON CONFLICT (level, geometry_version, spec) DO NOTHING RETURNING id::text`,
    [
      level,
      info.geometryVersion,
      specText,
      spec.kind,
      specParam(spec),
      info.srid,
      codes.length,
      done.nLinks,
      done.islands,
      buildMs,
    ],
  );
  if (ins.rows[0]) {
    // one statement for all lists: the object code → neighbours travels as one JSON parameter
    await db.query(
      `INSERT INTO spatial_weights_list (weights_id, code, neighbours)
       SELECT $1::bigint, e.key, ARRAY(SELECT jsonb_array_elements_text(e.value)) FROM jsonb_each($2::jsonb) AS e`,
      [ins.rows[0].id, JSON.stringify(done.lists)],
    );
  }
  return {
    level,
    spec: specText,
    geometryVersion: info.geometryVersion,
    srid: info.srid,
    codes,
    ...done,
    cached: false,
    buildMs,
  };
}

/**
 * Neighbour lists among a subset of a level's areas (those with a value). Contiguity and
 * distance bands do not depend on which other areas exist, so the stored level lists are
 * restricted (induced sub-graph); k nearest neighbours do, so they are recomputed among the
 * subset, as the reference does.
 */
export async function subsetWeights(
  db: Queryable,
  level: string,
  spec: WeightsSpec,
  codes: string[],
): Promise<NeighbourLists> {
  const sorted = [...codes].sort();
  const full = await levelWeights(db, level, spec);
  if (spec.kind === 'knn' && sorted.length < full.codes.length) {
    const t0 = performance.now();
    const links = await computeLinks(db, level, spec, full.srid, sorted);
    return { ...full, codes: sorted, ...finish(sorted, links), cached: false, buildMs: performance.now() - t0 };
  }
  const keep = new Set(sorted);
  const restricted = new Map(sorted.map((c) => [c, (full.lists[c] ?? []).filter((n) => keep.has(n))]));
  return { ...full, codes: sorted, ...finish(sorted, restricted) };
}
