/**
 * Point-layer inputs of formula indicators: `count(L)`, `sum(L.F)` and `distance(L)` computed per
 * area in PostGIS into point_input_value (sql/009), which the formula evaluation reads like the
 * area's own counts (formula-values.ts).
 *
 * - Where: on each finest level (one nobody names as parent) from the geometries; every parent
 *   level from its children — counts and sums added up, distances as the mean of the children
 *   weighted by the indicator's weight_indicator (else the population indicator) — so a point is
 *   counted once on every level.
 * - Inside: a point belongs to the area whose polygon covers it (ST_Intersects, boundary
 *   included) with the lowest code, so a point on a shared border counts once, for the lower
 *   code. Containment is decided on the stored coordinates (EPSG:4326): it is topological, and a
 *   transformation into a metric CRS would only add rounding that can move a border point to
 *   either side.
 * - Distance: metres on the WGS 84 spheroid (geography) from the area's reference point to the
 *   nearest point; candidates are found by KNN in the level's UTM zone. The reference point is the
 *   population-weighted centre where a finer population layer exists — the mean of the centres
 *   (EPSG:3035, metres) of the populated Zensus grid cells whose centre lies in the area (a centre
 *   on a border goes to the lower code, as in `aggregate grid --method centroid`), weighted by
 *   their population, from the finest grid imported — else the area's point on surface
 *   (ST_PointOnSurface, always inside the area). point_input_note.reference says which, per level
 *   (DISTANCE_REFERENCES); the areas of a level that fell back are named in a warning.
 * - When: each stand (period) T of a layer meets one period P of the formula's other inputs: the
 *   latest P on or before T, else the earliest after it (formulas without other inputs: the
 *   periods of the weight indicator, else T itself). The value is stored for P;
 *   point_input_note records P, T, the points outside every area and, for sums, the empty and
 *   non-numeric values (reported as warnings).
 */
import type { Queryable } from '../db.js';
import type { PointInput } from '../../analysis/formula.js';

export interface PointFormula {
  key: string;
  /** Indicator keys the formula reads (the denominators). */
  keys: readonly string[];
  points: readonly PointInput[];
}

/** What point_input_note.reference says for distances (and the README). */
export const DISTANCE_REFERENCE = 'point_on_surface';
/**
 * point_input_note.reference of a distance input on one level: every area from its grid cells'
 * population-weighted centre, none (point on surface), or some areas each way.
 */
export const DISTANCE_REFERENCES = {
  populationCentre: 'population_centre',
  pointOnSurface: DISTANCE_REFERENCE,
  mixed: 'population_centre+point_on_surface',
} as const;
const SHOW_IDS = 20;

/** Fills point_input_value (and point_input_note) of one finest level; returns German warnings. */
export async function computePointInputs(
  tx: Queryable,
  level: string,
  formulas: readonly PointFormula[],
  populationKey: string | null,
): Promise<string[]> {
  const warnings: string[] = [];
  if (formulas.length === 0) return warnings;
  // The recompute switches nested loops off for its bulk joins; spatial joins need them (GiST index scans).
  await tx.query('SET LOCAL enable_nestloop = on');
  try {
    await pointInputsOfLevel(tx, level, formulas, populationKey, warnings);
  } finally {
    await tx.query('SET LOCAL enable_nestloop = off');
  }
  return warnings;
}

async function pointInputsOfLevel(
  tx: Queryable,
  level: string,
  formulas: readonly PointFormula[],
  populationKey: string | null,
  warnings: string[],
): Promise<void> {
  const stands = await tx.query<{ key: string; periods: string[] }>(
    'SELECT key, array_agg(period::text ORDER BY period) AS periods FROM point_layer GROUP BY key',
  );
  const periodsOf = new Map(stands.rows.map((r) => [r.key, r.periods]));
  const weights = await tx.query<{ key: string; weight: string | null }>(
    'SELECT key, weight_indicator AS weight FROM indicator WHERE key = ANY($1::text[])',
    [formulas.map((f) => f.key)],
  );
  const weightOf = new Map(weights.rows.map((r) => [r.key, r.weight ?? populationKey]));
  let metricSrid: number | null = null;
  let reference: DistanceReference | null = null;

  for (const f of formulas) {
    const layers = [...new Set(f.points.map((p) => p.layer))];
    const missing = layers.filter((l) => !periodsOf.has(l));
    if (missing.length > 0) {
      if (!warnings.some((w) => w.startsWith(`${f.key}:`)))
        warnings.push(`${f.key}: Punktlayer ${missing.map((m) => `'${m}'`).join(', ')} gibt es nicht; nicht berechnet`);
      continue;
    }
    const weightKey = weightOf.get(f.key) ?? null;
    const candidates = await valuePeriods(tx, level, f.keys, weightKey);
    if (f.keys.length > 0 && candidates.length === 0) continue; // the level has no denominators
    // layer → value period P → the layer's stand T used for it
    const standFor = new Map<string, Map<string, string>>();
    for (const l of layers) {
      const byP = new Map<string, string>();
      for (const t of periodsOf.get(l)!) byP.set(pairedPeriod(t, candidates), t); // ascending: the latest T wins
      standFor.set(l, byP);
    }
    const valuePeriodsOfF = [...standFor.get(layers[0])!.keys()].filter((p) =>
      layers.every((l) => standFor.get(l)!.has(p)),
    );
    for (const p of valuePeriodsOfF) {
      for (const input of f.points) {
        const t = standFor.get(input.layer)!.get(p)!;
        if (input.kind === 'distance') {
          metricSrid ??= (await tx.query<{ srid: number }>('SELECT hotspot_metric_srid($1) AS srid', [level])).rows[0]
            .srid;
          reference ??= await referencePoints(tx, level);
          if (reference.reference === DISTANCE_REFERENCES.mixed) {
            const w = fallbackWarning(f.key, level, reference);
            if (!warnings.includes(w)) warnings.push(w);
          }
          await distanceInput(tx, level, f.key, input, p, t, weightKey, metricSrid);
        } else {
          const problem = await countOrSumInput(tx, level, f.key, input, p, t, weightKey);
          if (problem) warnings.push(problem);
        }
        await note(tx, level, f.key, input, p, t, input.kind === 'distance' ? reference!.reference : null);
      }
    }
  }
}

/** The latest candidate on or before t, else the earliest after it; t itself without candidates. */
export function pairedPeriod(t: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return t;
  let best: string | null = null;
  for (const c of candidates) if (c <= t) best = c;
  return best ?? candidates[0];
}

/** Periods where the level has every key input (or, without keys, the weight indicator), ascending. */
async function valuePeriods(
  tx: Queryable,
  level: string,
  keys: readonly string[],
  weightKey: string | null,
): Promise<string[]> {
  const wanted = keys.length > 0 ? [...keys] : weightKey ? [weightKey] : [];
  if (wanted.length === 0) return [];
  const r = await tx.query<{ period: string }>(
    `SELECT period::text AS period FROM level_value WHERE level = $1 AND indicator = ANY($2::text[])
      GROUP BY period HAVING count(DISTINCT indicator) = $3 ORDER BY period`,
    [level, wanted, wanted.length],
  );
  return r.rows.map((x) => x.period);
}

/** Points assigned to one area each: covered by it, lowest code first (byte order, as on both backends). */
const ASSIGNED = `SELECT DISTINCT ON (p.fid) p.fid, a.code, p.attrs
    FROM point_feature p JOIN area a ON a.level = $1 AND a.geom && p.geom AND ST_Intersects(a.geom, p.geom)
   WHERE p.layer = $2 AND p.period = $3::date
   ORDER BY p.fid, a.code COLLATE "C"`;

/** count(L) or sum(L.F) for every area of the level (0 where no point lies). Returns a warning or null. */
async function countOrSumInput(
  tx: Queryable,
  level: string,
  indicator: string,
  input: PointInput,
  period: string,
  stand: string,
  weightKey: string | null,
): Promise<string | null> {
  let problem: string | null = null;
  if (input.kind === 'sum') {
    const s = (
      await tx.query<{ present: number; numeric: number; n: number }>(
        `SELECT count(*) FILTER (WHERE attrs ? $3)::int AS present,
                count(*) FILTER (WHERE point_number(attrs ->> $3) IS NOT NULL)::int AS numeric, count(*)::int AS n
           FROM point_feature WHERE layer = $1 AND period = $2::date`,
        [input.layer, stand, input.field],
      )
    ).rows[0];
    if (s.n > 0 && s.numeric === 0) {
      return s.present === 0
        ? `${indicator}: Punktlayer '${input.layer}' (Stand ${stand}) hat kein Feld '${input.field}'; sum(${input.key}) nicht berechnet`
        : `${indicator}: Feld '${input.field}' des Punktlayers '${input.layer}' (Stand ${stand}) enthält keine Zahl; sum(${input.key}) nicht berechnet`;
    }
    const bad = (
      await tx.query<{ empty: number; invalid: number; emptyIds: string[] | null; invalidIds: string[] | null }>(
        `SELECT count(*) FILTER (WHERE NULLIF(btrim(attrs ->> $3), '') IS NULL)::int AS empty,
                count(*) FILTER (WHERE NULLIF(btrim(attrs ->> $3), '') IS NOT NULL AND point_number(attrs ->> $3) IS NULL)::int AS invalid,
                (array_agg(fid ORDER BY fid) FILTER (WHERE NULLIF(btrim(attrs ->> $3), '') IS NULL))[1:${SHOW_IDS}] AS "emptyIds",
                (array_agg(fid || '=' || (attrs ->> $3) ORDER BY fid)
                   FILTER (WHERE NULLIF(btrim(attrs ->> $3), '') IS NOT NULL AND point_number(attrs ->> $3) IS NULL))[1:${SHOW_IDS}] AS "invalidIds"
           FROM point_feature WHERE layer = $1 AND period = $2::date`,
        [input.layer, stand, input.field],
      )
    ).rows[0];
    if (bad.empty + bad.invalid > 0) {
      const parts: string[] = [];
      if (bad.empty > 0) parts.push(`${bad.empty} leer (${(bad.emptyIds ?? []).slice(0, 10).join(', ')})`);
      if (bad.invalid > 0) parts.push(`${bad.invalid} keine Zahl (${(bad.invalidIds ?? []).slice(0, 10).join(', ')})`);
      problem = `${indicator}: Feld '${input.field}' des Punktlayers '${input.layer}' (Stand ${stand}): ${parts.join(', ')}; diese Punkte zählen in sum(${input.key}) nicht mit`;
    }
  }
  await tx.query(
    `WITH asg AS (${ASSIGNED})
     INSERT INTO point_input_value (indicator, input, kind, level, code, period, value, weight)
     SELECT $4, $5, $6, $1, a.code, $7::date,
            CASE WHEN $6 = 'count' THEN count(asg.fid)::float8
                 ELSE COALESCE(sum(point_number(asg.attrs ->> $8)), 0) END,
            max(w.value)
       FROM area a
       LEFT JOIN asg ON asg.code = a.code
       LEFT JOIN level_value w ON w.level = a.level AND w.code = a.code AND w.indicator = $9 AND w.period = $7::date
      WHERE a.level = $1
      GROUP BY a.code`,
    [level, input.layer, stand, indicator, input.key, input.kind, period, input.field ?? '', weightKey],
  );
  return problem;
}

interface DistanceReference {
  reference: (typeof DISTANCE_REFERENCES)[keyof typeof DISTANCE_REFERENCES];
  /** the grid level the centres came from (null: none imported) */
  gridLevel: string | null;
  areas: number;
  /** areas without a populated cell (point on surface), codes ascending, at most SHOW_IDS */
  fallback: number;
  fallbackCodes: string[];
}

/**
 * Builds the temp table point_input_ref (code, pt in EPSG:4326, from_grid) of one level: the
 * population-weighted centre of the populated cells of the finest grid level (smallest cells)
 * whose centre lies in the area, else the area's point on surface.
 */
async function referencePoints(tx: Queryable, level: string): Promise<DistanceReference> {
  const grid = (
    await tx.query<{ level: string }>('SELECT level FROM grid_cell GROUP BY level ORDER BY min(size_m), level LIMIT 1')
  ).rows[0];
  const gridLevel = grid?.level ?? null;
  await tx.query('DROP TABLE IF EXISTS point_input_ref');
  await tx.query('DROP TABLE IF EXISTS point_input_area');
  await tx.query(
    `CREATE TEMP TABLE point_input_area ON COMMIT DROP AS
       SELECT code, geom, ST_Transform(geom, 3035) AS g FROM area WHERE level = $1`,
    [level],
  );
  if (gridLevel !== null) {
    await tx.query('CREATE INDEX ON point_input_area USING gist (g)');
    await tx.query('ANALYZE point_input_area');
  }
  // The cells' centres are tested in EPSG:3035, where they are exact (as grid-aggregate.ts does).
  await tx.query(
    `CREATE TEMP TABLE point_input_ref ON COMMIT DROP AS
     WITH cell AS (
       SELECT DISTINCT ON (c.code) a.code AS area, c.x::float8 AS x, c.y::float8 AS y, c.einwohner
         FROM grid_cell c
         JOIN point_input_area a ON ST_Intersects(a.g, ST_SetSRID(ST_MakePoint(c.x, c.y), 3035))
        WHERE c.level = $1 AND c.einwohner > 0
        ORDER BY c.code, a.code COLLATE "C"
     ), centre AS (
       SELECT area, sum(einwohner * x) / sum(einwohner) AS x, sum(einwohner * y) / sum(einwohner) AS y
         FROM cell GROUP BY area
     )
     SELECT a.code,
            COALESCE(ST_Transform(ST_SetSRID(ST_MakePoint(ce.x, ce.y), 3035), 4326), ST_PointOnSurface(a.geom)) AS pt,
            ce.area IS NOT NULL AS from_grid
       FROM point_input_area a LEFT JOIN centre ce ON ce.area = a.code`,
    [gridLevel ?? ''],
  );
  const r = (
    await tx.query<{ areas: number; fallback: number; codes: string[] | null }>(
      `SELECT count(*)::int AS areas, count(*) FILTER (WHERE NOT from_grid)::int AS fallback,
              (array_agg(code ORDER BY code COLLATE "C") FILTER (WHERE NOT from_grid))[1:${SHOW_IDS}] AS codes
         FROM point_input_ref`,
    )
  ).rows[0];
  const reference =
    r.fallback === r.areas
      ? DISTANCE_REFERENCES.pointOnSurface
      : r.fallback === 0
        ? DISTANCE_REFERENCES.populationCentre
        : DISTANCE_REFERENCES.mixed;
  return { reference, gridLevel, areas: r.areas, fallback: r.fallback, fallbackCodes: r.codes ?? [] };
}

/** German note on the areas of a level whose distances start at the point on surface. */
function fallbackWarning(indicator: string, level: string, ref: DistanceReference): string {
  const more = ref.fallback > ref.fallbackCodes.length ? ', …' : '';
  return (
    `${indicator}: Ebene '${level}': ${ref.fallback} von ${ref.areas} Gebieten ohne besiedelte Gitterzelle (${ref.gridLevel}); ` +
    `Entfernung dort vom Punkt im Gebiet (ST_PointOnSurface) statt vom einwohnergewichteten Mittelpunkt: ${ref.fallbackCodes.join(', ')}${more}`
  );
}

/** distance(L) for every area: metres (spheroid) from its reference point (point_input_ref) to the nearest point. */
async function distanceInput(
  tx: Queryable,
  level: string,
  indicator: string,
  input: PointInput,
  period: string,
  stand: string,
  weightKey: string | null,
  metricSrid: number,
): Promise<void> {
  await tx.query('DROP TABLE IF EXISTS point_input_metric');
  await tx.query(
    `CREATE TEMP TABLE point_input_metric ON COMMIT DROP AS
       SELECT geom, ST_Transform(geom, $3::int) AS g FROM point_feature WHERE layer = $1 AND period = $2::date`,
    [input.layer, stand, metricSrid],
  );
  await tx.query('CREATE INDEX ON point_input_metric USING gist (g)');
  await tx.query('ANALYZE point_input_metric');
  // Four nearest in the UTM plane (scale error < 0.1 % in a zone), then the exact distance on the spheroid.
  await tx.query(
    `WITH ref AS (SELECT code, pt FROM point_input_ref)
     INSERT INTO point_input_value (indicator, input, kind, level, code, period, value, weight)
     SELECT $2, $3, 'distance', $1, r.code, $4::date,
            (SELECT min(ST_Distance(c.geom::geography, r.pt::geography))
               FROM (SELECT m.geom FROM point_input_metric m
                      ORDER BY m.g <-> ST_Transform(r.pt, $5::int) LIMIT 4) c),
            CASE WHEN $6::text IS NULL THEN 1 ELSE w.value END
       FROM ref r
       LEFT JOIN level_value w ON w.level = $1 AND w.code = r.code AND w.indicator = $6 AND w.period = $4::date`,
    [level, indicator, input.key, period, metricSrid, weightKey],
  );
}

async function note(
  tx: Queryable,
  level: string,
  indicator: string,
  input: PointInput,
  period: string,
  stand: string,
  reference: string | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO point_input_note (indicator, input, level, period, layer, point_period, reference,
                                   n_points, n_outside, n_empty, n_invalid, empty_fids, invalid_fids)
     SELECT $1, $2, $3, $4::date, $5, $6::date, $7, count(*)::int,
            count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.level = $3 AND a.geom && p.geom
                                                AND ST_Intersects(a.geom, p.geom)))::int,
            count(*) FILTER (WHERE $8::text IS NOT NULL AND NULLIF(btrim(p.attrs ->> $8), '') IS NULL)::int,
            count(*) FILTER (WHERE $8::text IS NOT NULL AND NULLIF(btrim(p.attrs ->> $8), '') IS NOT NULL
                               AND point_number(p.attrs ->> $8) IS NULL)::int,
            (array_agg(p.fid ORDER BY p.fid) FILTER (WHERE $8::text IS NOT NULL AND NULLIF(btrim(p.attrs ->> $8), '') IS NULL))[1:${SHOW_IDS}],
            (array_agg(p.fid ORDER BY p.fid) FILTER (WHERE $8::text IS NOT NULL AND NULLIF(btrim(p.attrs ->> $8), '') IS NOT NULL
                                                     AND point_number(p.attrs ->> $8) IS NULL))[1:${SHOW_IDS}]
       FROM point_feature p WHERE p.layer = $5 AND p.period = $6::date`,
    [indicator, input.key, level, period, input.layer, stand, reference, input.field ?? null],
  );
}

/** Point inputs of the child level summed (count, sum) or weighted (distance) into the parent level. */
export async function aggregatePointInputs(tx: Queryable, child: string, parent: string): Promise<void> {
  await tx.query(
    `INSERT INTO point_input_value (indicator, input, kind, level, code, period, value, weight)
     SELECT v.indicator, v.input, v.kind, $2, a.parent_code, v.period,
            CASE WHEN v.kind = 'distance'
                 THEN sum(v.value * v.weight) FILTER (WHERE v.value IS NOT NULL AND v.weight > 0)
                      / NULLIF(sum(v.weight) FILTER (WHERE v.value IS NOT NULL AND v.weight > 0), 0)
                 ELSE sum(v.value) END,
            sum(v.weight)
       FROM point_input_value v
       JOIN area a ON a.level = v.level AND a.code = v.code AND a.parent_code IS NOT NULL
       JOIN area pa ON pa.level = $2 AND pa.code = a.parent_code
      WHERE v.level = $1
      GROUP BY v.indicator, v.input, v.kind, a.parent_code, v.period
     ON CONFLICT DO NOTHING`,
    [child, parent],
  );
}
