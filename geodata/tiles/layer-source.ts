/**
 * Reads one tile layer's features from PostGIS: geometry as GeoJSON, a label point
 * (ST_PointOnSurface, always inside the area) and the layer's properties joined in SQL.
 *
 * Every query here is restricted by an index: `area` by its primary key prefix (level),
 * the read model `level_value` by its primary key (level, indicator, period), run members by (run_id, code).
 * A layer is read once to build its tile index; tile requests never come here.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { Queryable } from '../db.js';
import { classBreaks, classify, type ClassBreaks } from '../../analysis/class-breaks.js';
import { featureId } from './feature-id.js';
import type { LayerSpec } from './layers.js';
import { typologyKView } from '../../analysis/typology-k-view.js';

export type PropertyValue = string | number | boolean | null;

export interface SourceFeature {
  /** Numeric feature id derived from the code (see feature-id.ts). */
  id: number;
  code: string;
  properties: Record<string, PropertyValue>;
  /** Polygon geometry in EPSG:4326; null for an empty geometry. */
  geometry: Polygon | MultiPolygon | null;
  /** [lon, lat] of a point inside the area; null for an empty geometry. */
  point: [number, number] | null;
}

export interface LayerData {
  features: SourceFeature[];
  /** [west, south, east, north] of all geometries; null without features. */
  bounds: [number, number, number, number] | null;
  /** The class breaks used for `class` (indicator layer only). */
  breaks?: ClassBreaks;
}

/** Which input of a layer named nothing known. */
export type LayerInput = 'level' | 'indicator' | 'period' | 'run' | 'k';

/**
 * Unknown level, indicator, period, run or k. The route answers with this message, 404 or 400
 * by where its URL carries `input` (path or query string).
 */
export class LayerNotFoundError extends Error {
  constructor(
    message: string,
    readonly input: LayerInput,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

interface GeomRow {
  code: string;
  geojson: string | null;
  px: number | null;
  py: number | null;
}

// Six decimals ≈ 0.1 m: finer than one tile unit at z14 (≈ 0.36 m in Berlin) and than the source data.
const GEOM_COLUMNS = `ST_AsGeoJSON(a.geom, 6) AS geojson, ST_X(p.pt) AS px, ST_Y(p.pt) AS py`;
const POINT_JOIN = `CROSS JOIN LATERAL (SELECT ST_PointOnSurface(a.geom) AS pt) p`;

/**
 * The level shown when a request names none: the finest level, i.e. the one with the most areas
 * ('plr', 542 areas, in the Berlin sample). Same rule as GET /api/areas. Counts use the area
 * primary key (level, code); the level table is tiny.
 */
export async function defaultLevel(db: Queryable): Promise<string | null> {
  const r = await db.query<{ key: string }>(
    `SELECT l.key FROM level l
      ORDER BY (SELECT count(*) FROM area a WHERE a.level = l.key) DESC, l.key LIMIT 1`,
  );
  return r.rows[0]?.key ?? null;
}

async function requireLevel(db: Queryable, level: string): Promise<void> {
  const r = await db.query('SELECT 1 FROM level WHERE key = $1', [level]);
  if (!r.rows.length) {
    const known = await db.query<{ key: string }>('SELECT key FROM level ORDER BY key');
    throw new LayerNotFoundError(`Unbekannte Ebene '${level}'`, 'level', {
      level,
      known: known.rows.map((k) => k.key),
    });
  }
}

function toFeature(row: GeomRow, properties: Record<string, PropertyValue>): SourceFeature {
  const geometry = row.geojson ? (JSON.parse(row.geojson) as Polygon | MultiPolygon) : null;
  const empty = !geometry || geometry.coordinates.length === 0;
  return {
    id: featureId(row.code),
    code: row.code,
    properties: { code: row.code, ...properties },
    geometry: empty ? null : geometry,
    point: row.px === null || row.py === null ? null : [Number(row.px), Number(row.py)],
  };
}

function boundsOf(features: SourceFeature[]): LayerData['bounds'] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (c: number[]) => {
    if (c[0] < w) w = c[0];
    if (c[0] > e) e = c[0];
    if (c[1] < s) s = c[1];
    if (c[1] > n) n = c[1];
  };
  for (const f of features) {
    if (!f.geometry) continue;
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    // the outer rings bound the polygon: holes lie inside them
    for (const poly of polys) for (const c of poly[0] ?? []) visit(c);
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Reads a layer's features with their properties; throws LayerNotFoundError for unknown inputs. */
export async function loadLayer(db: Queryable, spec: LayerSpec): Promise<LayerData> {
  let features: SourceFeature[];
  let breaks: ClassBreaks | undefined;
  switch (spec.kind) {
    case 'areas': {
      await requireLevel(db, spec.level);
      // Population: the latest period with a value of the population indicator (setting) in the read
      // model (every level has its own, parents by aggregation); hidden there → no population, since
      // the residents of a small area are exactly what confidentiality protects.
      const r = await db.query<
        GeomRow & { name: string | null; level: string; parent: string | null; population: number | null }
      >(
        `WITH pk AS (SELECT value AS k FROM setting WHERE key = 'population_indicator'),
         latest AS (
           SELECT DISTINCT ON (v.code) v.code, CASE WHEN v.suppressed THEN NULL ELSE v.value END AS value
             FROM indicator_value v, pk
            WHERE v.level = $1 AND v.indicator = pk.k AND v.value IS NOT NULL
            ORDER BY v.code, v.period DESC)
         SELECT a.code, a.name, a.level, a.parent_code AS parent, latest.value AS population, ${GEOM_COLUMNS}
           FROM area a ${POINT_JOIN}
           LEFT JOIN latest ON latest.code = a.code
          WHERE a.level = $1
          ORDER BY a.code`,
        [spec.level],
      );
      features = r.rows.map((row) =>
        toFeature(row, { name: row.name, level: row.level, parent: row.parent, population: num(row.population) }),
      );
      break;
    }
    case 'labels': {
      await requireLevel(db, spec.level);
      const r = await db.query<GeomRow & { name: string | null }>(
        `SELECT a.code, a.name, NULL AS geojson, ST_X(p.pt) AS px, ST_Y(p.pt) AS py
           FROM area a ${POINT_JOIN}
          WHERE a.level = $1
          ORDER BY a.code`,
        [spec.level],
      );
      features = r.rows.map((row) => toFeature(row, { name: row.name }));
      break;
    }
    case 'indicator': {
      await requireLevel(db, spec.level);
      const ind = await db.query("SELECT 1 FROM indicator WHERE key = $1 AND visibility = 'public'", [spec.key]);
      if (!ind.rows.length)
        throw new LayerNotFoundError(`Unbekannter Indikator '${spec.key}'`, 'indicator', { indicator: spec.key });
      const has = await db.query(
        'SELECT 1 FROM level_value WHERE level = $1 AND indicator = $2 AND period = $3::date LIMIT 1',
        [spec.level, spec.key, spec.period],
      );
      if (!has.rows.length) {
        throw new LayerNotFoundError(
          `Keine Werte für Indikator '${spec.key}' im Zeitraum ${spec.period} auf Ebene '${spec.level}'`,
          'period',
          {
            indicator: spec.key,
            period: spec.period,
            level: spec.level,
          },
        );
      }
      // Every area of the level, with its value where there is one: an area without a value is
      // still drawn (as "keine Angabe"), so the map has no holes.
      const r = await db.query<
        GeomRow & {
          name: string | null;
          value: number | null;
          suppressed: boolean | null;
          reason: string | null;
          incomplete: boolean | null;
        }
      >(
        `SELECT a.code, a.name, v.value, v.suppressed, v.suppression_reason AS reason, v.incomplete, ${GEOM_COLUMNS}
           FROM area a ${POINT_JOIN}
           LEFT JOIN indicator_value v
             ON v.level = a.level AND v.code = a.code AND v.indicator = $2 AND v.period = $3::date
          WHERE a.level = $1
          ORDER BY a.code`,
        [spec.level, spec.key, spec.period],
      );
      // Suppressed values never leave the database as numbers: null here, before classification.
      const shown = r.rows.map((row) => (row.suppressed ? null : num(row.value)));
      breaks = classBreaks(shown, spec.method, spec.classes);
      const thresholds = breaks.thresholds;
      features = r.rows.map((row, i) =>
        toFeature(row, {
          name: row.name,
          value: shown[i],
          class: classify(shown[i], thresholds),
          suppressed: Boolean(row.suppressed),
          suppressionReason: row.suppressed ? row.reason : null,
          incomplete: Boolean(row.incomplete),
        }),
      );
      break;
    }
    case 'typology': {
      const run = await db.query<{ level: string; chosen_k: number; types_by_k: unknown }>(
        `SELECT level, chosen_k, ${spec.k === undefined ? 'NULL' : "result->'typesByK'"} AS types_by_k FROM typology_run WHERE id = $1::bigint`,
        [spec.runId],
      );
      if (!run.rows.length)
        throw new LayerNotFoundError(`Unbekannter Typisierungslauf ${spec.runId}`, 'run', { runId: spec.runId });
      // Another k of the range reads its stored partition (type_by_k); the chosen k the original columns,
      // so ?k=<chosen k> carries exactly the features of the bare URL. An unstored k is an unknown input.
      const view = typologyKView(
        spec.runId,
        Number(run.rows[0].chosen_k),
        run.rows[0].types_by_k as Parameters<typeof typologyKView>[2],
        spec.k,
      );
      if ('error' in view) throw new LayerNotFoundError(view.error, 'k', { runId: spec.runId, k: spec.k });
      const columns =
        view.index === null
          ? 'm.type, m.label, m.silhouette, m.stability'
          : 'm.type_by_k[$3] AS type, NULL::text AS label, m.silhouette_by_k[$3] AS silhouette, NULL::float8 AS stability';
      const r = await db.query<
        GeomRow & { type: number | null; label: string | null; silhouette: number | null; stability: number | null }
      >(
        `SELECT a.code, ${columns}, ${GEOM_COLUMNS}
           FROM typology_member_public m
           JOIN area a ON a.level = $2 AND a.code = m.code
           ${POINT_JOIN}
          WHERE m.run_id = $1::bigint
          ORDER BY a.code`,
        view.index === null ? [spec.runId, run.rows[0].level] : [spec.runId, run.rows[0].level, view.index],
      );
      const labelOf = new Map((view.types ?? []).map((t) => [t.type, t.label]));
      features = r.rows.map((row) =>
        toFeature(row, {
          type: num(row.type),
          label: row.label ?? (row.type === null ? null : (labelOf.get(Number(row.type)) ?? null)),
          silhouette: num(row.silhouette),
          stability: num(row.stability),
        }),
      );
      break;
    }
    case 'hotspots': {
      const run = await db.query<{ level: string }>('SELECT level FROM hotspot_run WHERE id = $1::bigint', [
        spec.runId,
      ]);
      if (!run.rows.length)
        throw new LayerNotFoundError(`Unbekannter Hotspot-Lauf ${spec.runId}`, 'run', { runId: spec.runId });
      const r = await db.query<GeomRow & { class: number | null; gi_z: number | null; quadrant: string | null }>(
        `SELECT a.code, m.class, m.gi_z, m.quadrant, ${GEOM_COLUMNS}
           FROM hotspot_member_public m
           JOIN area a ON a.level = $2 AND a.code = m.code
           ${POINT_JOIN}
          WHERE m.run_id = $1::bigint
          ORDER BY a.code`,
        [spec.runId, run.rows[0].level],
      );
      features = r.rows.map((row) =>
        toFeature(row, { class: num(row.class), giZ: num(row.gi_z), quadrant: row.quadrant }),
      );
      break;
    }
  }
  const bounds = spec.kind === 'labels' ? pointBounds(features) : boundsOf(features);
  return { features, bounds, breaks };
}

function pointBounds(features: SourceFeature[]): LayerData['bounds'] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const f of features) {
    if (!f.point) continue;
    const [x, y] = f.point;
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
