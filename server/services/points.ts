/**
 * Point layers ("Georessourcen") for readers: the list of layers with their stands, and the
 * facilities nearest to an area for the counselling view and its handout ("die nächsten Kitas und
 * Pflegeheime mit Adresse und Entfernung"). Distances are metres on the WGS 84 spheroid
 * (geography) from the area's point on surface (ST_PointOnSurface: always inside the area, unlike
 * a centroid of a crescent-shaped area), the same reference point as the formula distance(KEY).
 *
 * Facility locations are public data; no area value is read here, so confidentiality is not touched.
 */
import { z } from 'zod';
import type { Queryable } from '../../geodata/db.js';
import { unknownName } from '../http/errors.js';
import { areaCode, levelKey } from '../http/params.js';
import { requireLevel } from './catalog.js';
import type { NearbyPoint, PointLayerInfo } from '../api-types-points.js';

export type { NearbyPoint, PointLayerInfo } from '../api-types-points.js';

/** Default and largest number of facilities in a nearby list. */
export const NEARBY_DEFAULT_LIMIT = 5;
export const NEARBY_MAX_LIMIT = 50;

/** Layer keys as formulas and URLs name them (letters, digits, underscore). */
export const pointLayerKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'Punktlayer: Buchstaben, Ziffern, _');

/** GET /api/areas/{code}/nearby query; shared by the route and its OpenAPI part. */
export const nearbyQuery = z.object({
  layer: pointLayerKey.describe('Punktlayer, z. B. kitas oder pflege'),
  level: levelKey.optional().describe('Ebene des Gebiets (Standard: die Ebene, die den Schlüssel hat)'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(NEARBY_MAX_LIMIT)
    .default(NEARBY_DEFAULT_LIMIT)
    .describe(`Anzahl (1–${NEARBY_MAX_LIMIT}, Standard ${NEARBY_DEFAULT_LIMIT})`),
});
export const nearbyPath = z.object({ code: areaCode });

/** Every layer with its stands (newest first), label, attribution and number of points. */
export async function listPointLayers(db: Queryable): Promise<PointLayerInfo[]> {
  const r = await db.query<{
    key: string;
    label: string;
    attribution: string | null;
    periods: { period: string; count: number }[];
  }>(
    `SELECT key, (array_agg(label ORDER BY period DESC))[1] AS label,
            (array_agg(attribution ORDER BY period DESC))[1] AS attribution,
            json_agg(json_build_object('period', period::text, 'count', n_points) ORDER BY period DESC) AS periods
       FROM point_layer GROUP BY key ORDER BY key`,
  );
  const fields = await db.query<{ key: string; fields: string[] | null }>(
    `SELECT l.key, (SELECT array_agg(DISTINCT k ORDER BY k) FROM point_feature f, jsonb_object_keys(f.attrs) k
                     WHERE f.layer = l.key AND f.period = l.period) AS fields
       FROM (SELECT key, max(period) AS period FROM point_layer GROUP BY key) l`,
  );
  const fieldsOf = new Map(fields.rows.map((f) => [f.key, f.fields ?? []]));
  return r.rows.map((l) => ({
    key: l.key,
    label: l.label,
    attribution: l.attribution,
    period: l.periods[0]?.period ?? null,
    periods: l.periods,
    fields: fieldsOf.get(l.key) ?? [],
  }));
}

/** The layer's newest stand, or 400 (the layer comes in the query string) naming the known layers. */
export async function requirePointLayer(
  db: Queryable,
  layer: string,
  source: 'query' | 'path',
): Promise<{ key: string; period: string; idField: string | null; nameField: string | null; template: string | null }> {
  const r = await db.query<{
    key: string;
    period: string;
    idField: string | null;
    nameField: string | null;
    template: string | null;
  }>(
    `SELECT key, period::text AS period, id_field AS "idField", name_field AS "nameField", address_template AS template
       FROM point_layer WHERE key = $1 ORDER BY period DESC LIMIT 1`,
    [layer],
  );
  if (r.rows[0]) return r.rows[0];
  const known = (await db.query<{ key: string }>('SELECT DISTINCT key FROM point_layer ORDER BY key')).rows.map(
    (k) => k.key,
  );
  throw unknownName(source, `Unbekannter Punktlayer '${layer}'`, { layer, known });
}

/**
 * The `limit` facilities of `layer` (its newest stand) nearest to the area's point on surface,
 * nearest first (ties by id). The area is looked up by code, on `level` when given, else on the
 * level that has the code (several: the finest, i.e. the one with the most areas). Unknown level
 * → 400, unknown area → 404, unknown layer → 400.
 */
export async function nearestPoints(
  db: Queryable,
  layer: string,
  level: string | undefined,
  code: string,
  limit: number = NEARBY_DEFAULT_LIMIT,
): Promise<NearbyPoint[]> {
  if (level !== undefined) await requireLevel(db, level, 'query');
  const stand = await requirePointLayer(db, layer, 'query');
  const area = await db.query<{ level: string }>(
    `SELECT a.level FROM area a
      WHERE a.code = $1 AND ($2::text IS NULL OR a.level = $2)
      ORDER BY (SELECT count(*) FROM area b WHERE b.level = a.level) DESC, a.level LIMIT 1`,
    [code, level ?? null],
  );
  const found = area.rows[0];
  if (!found) {
    throw unknownName('path', `Unbekanntes Gebiet '${code}'${level ? ` auf Ebene '${level}'` : ''}`, {
      code,
      level: level ?? null,
    });
  }
  const n = Math.min(NEARBY_MAX_LIMIT, Math.max(1, Math.trunc(limit)));
  // Candidates by planar KNN on the GiST index (a generous multiple), then ranked on the spheroid.
  const r = await db.query<{
    fid: string;
    name: string | null;
    address: string | null;
    distanceM: number;
    attrs: Record<string, unknown>;
    lon: number;
    lat: number;
  }>(
    `WITH ref AS (SELECT ST_PointOnSurface(geom) AS pt FROM area WHERE level = $1 AND code = $2),
     cand AS (SELECT p.fid, p.name, p.address, p.attrs, p.geom
                FROM point_feature p, ref
               WHERE p.layer = $3 AND p.period = $4::date
               ORDER BY p.geom <-> ref.pt LIMIT $5)
     SELECT c.fid, c.name, c.address, ST_Distance(c.geom::geography, ref.pt::geography) AS "distanceM",
            c.attrs, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat
       FROM cand c, ref
      ORDER BY 4, c.fid LIMIT $6`,
    [found.level, code, stand.key, stand.period, Math.max(50, n * 10), n],
  );
  const shown = new Set([stand.idField, stand.nameField].filter((f): f is string => f !== null));
  for (const m of (stand.template ?? '').matchAll(/\{([^{}]+)\}/g)) shown.add(m[1]);
  return r.rows.map((p) => ({
    fid: p.fid,
    name: p.name,
    address: p.address,
    distanceM: Math.round(p.distanceM),
    lon: p.lon,
    lat: p.lat,
    attrs: attrsSubset(p.attrs, shown),
  }));
}

/** Scalar attributes not already shown as id, name or address (at most 12). */
function attrsSubset(
  attrs: Record<string, unknown>,
  shown: ReadonlySet<string>,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (shown.has(k) || v === null || v === '' || typeof v === 'object') continue;
    out[k] = v as string | number | boolean;
    if (Object.keys(out).length >= 12) break;
  }
  return out;
}
