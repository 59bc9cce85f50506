/**
 * Area lookups and indicator values for the read API (server/routes/areas.ts): areas as GeoJSON,
 * one area's profile with parent, region and rank, choropleth values with their summary,
 * coverage and export rows. Suppressed values never leave as numbers. Names are checked by the
 * routes through the catalog before these run.
 */
import type { Queryable } from '../../geodata/db.js';
import { describe } from '../../analysis/describe.js';
import { listLevels, levelDefaultPeriod, listIndicatorMeta, type IndicatorMeta } from './catalog.js';
import { indicatorStand, levelRanks, regionValues } from './level-values.js';

export async function areasGeoJson(db: Queryable, level: string, bbox?: number[]): Promise<unknown> {
  const r = await db.query<{ fc: unknown }>(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
        'type', 'Feature', 'id', code,
        'properties', json_build_object('code', code, 'name', name, 'level', level, 'parent', parent_code, 'areaKm2', area_km2),
        'geometry', ST_AsGeoJSON(geom, 6)::json) ORDER BY code), '[]'::json)) AS fc
       FROM area
      WHERE level = $1
        AND ($2::float8 IS NULL OR geom && ST_MakeEnvelope($2, $3, $4, $5, 4326))`,
    [level, bbox?.[0] ?? null, bbox?.[1] ?? null, bbox?.[2] ?? null, bbox?.[3] ?? null],
  );
  return r.rows[0].fc;
}

interface ProfileRow {
  key: string;
  label: string;
  unit: string | null;
  topic: string | null;
  polarity: number;
  kind: string;
  target: number | null;
  targetDirection: string | null;
  value: number | null;
  suppressed: boolean;
  parentValue: number | null;
  regionValue: number | null;
  rank: number | null;
  n: number;
  /** Why the value is hidden: 'population' (residents below the threshold) or 'secondary' (protects a hidden neighbour). */
  suppressionReason: 'population' | 'secondary' | null;
  /** How the value was made: imported, aggregated from the child level (with its coverage) or by its formula. */
  source: 'imported' | 'aggregated' | 'formula';
  /** Of an aggregate: children with a value, children in all, their share of the children's population (0..1), below the threshold. */
  nChildren: number | null;
  nChildrenTotal: number | null;
  coverage: number | null;
  incomplete: boolean;
  /** The period of this value ("Stand"): the requested one, or the indicator's latest before it. */
  period: string;
}

/**
 * The Sozialstruktur-Profil data of one area: every indicator's value with the parent area's
 * value, the whole region's value, the rank among the level's areas (1 = most need: highest
 * value, or lowest where polarity is −1) and the series over all periods.
 *
 * Indicators are not all updated at the same dates (the Berlin sample: MSS at 31.12.2020, the
 * register also later), so each indicator is shown at its latest period up to the requested one,
 * like a printed monitoring report's "Stand" column (level-values.indicatorStand); value, parent, region
 * and rank all belong to that period. The latest period is taken over the level, so an area
 * without a value there shows none rather than an older one.
 */
export async function areaProfile(db: Queryable, code: string, level: string | undefined, period: string | undefined) {
  const levels = await listLevels(db);
  const a = await db.query<{
    code: string;
    name: string;
    level: string;
    parent_code: string | null;
    area_km2: number;
    bbox: number[];
  }>(
    `SELECT code, name, level, parent_code, area_km2,
            ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] AS bbox
       FROM area WHERE code = $1 AND ($2::text IS NULL OR level = $2)`,
    [code, level ?? null],
  );
  if (a.rows.length === 0) return null;
  // The same code on several levels: take the finest level (most areas).
  const order = new Map(levels.map((l, i) => [l.key, i]));
  const area = [...a.rows].sort((x, y) => (order.get(x.level) ?? 99) - (order.get(y.level) ?? 99))[0];
  const lvl = levels.find((l) => l.key === area.level)!;
  const p = period ?? (await levelDefaultPeriod(db, area.level));
  const parent =
    area.parent_code && lvl.parentLevel
      ? ((
          await db.query<{ code: string; name: string }>('SELECT code, name FROM area WHERE level = $1 AND code = $2', [
            lvl.parentLevel,
            area.parent_code,
          ])
        ).rows[0] ?? null)
      : null;
  const byPeriod = new Map<string, string[]>();
  if (p)
    for (const [indicator, per] of await indicatorStand(db, area.level, p))
      byPeriod.set(per, [...(byPeriod.get(per) ?? []), indicator]);
  const rows: ProfileRow[] = [];
  // One set of queries per distinct period (usually one or two), each for that period's indicators.
  for (const [per, keys] of byPeriod) rows.push(...(await profileRowsAt(db, area, lvl.parentLevel, per, keys)));
  const sortOrder = new Map((await listIndicatorMeta(db)).map((m, i) => [m.key, i]));
  rows.sort((x, y) => (sortOrder.get(x.key) ?? 0) - (sortOrder.get(y.key) ?? 0));
  const series = await db.query<{ indicator: string; period: string; value: number | null }>(
    `SELECT indicator, period::text AS period, CASE WHEN suppressed THEN NULL ELSE value END AS value
       FROM indicator_value WHERE level = $1 AND code = $2 ORDER BY indicator, period`,
    [area.level, area.code],
  );
  const byIndicator = new Map<string, { period: string; value: number | null }[]>();
  for (const s of series.rows) {
    const list = byIndicator.get(s.indicator) ?? [];
    list.push({ period: s.period, value: s.value });
    byIndicator.set(s.indicator, list);
  }
  const population = rows.find((r) => r.key === 'EW')?.value ?? null;
  return {
    code: area.code,
    name: area.name,
    level: area.level,
    levelLabel: lvl.label,
    parent: parent ? { ...parent, level: lvl.parentLevel } : null,
    period: p,
    population,
    areaKm2: area.area_km2,
    bbox: area.bbox,
    rankOrder: '1 = größter Bedarf (höchster Wert; bei Polarität −1 niedrigster Wert)',
    indicators: rows.map((r) => ({ ...r, series: byIndicator.get(r.key) ?? [] })),
  };
}

/** Values, ranks, parent and region values of one area for some indicators at one period. */
async function profileRowsAt(
  db: Queryable,
  area: { code: string; level: string; parent_code: string | null },
  parentLevel: string | null,
  p: string,
  keys: string[],
): Promise<ProfileRow[]> {
  // Three simple queries instead of one join: PGlite's planner re-evaluates the views inside
  // nested loops, which made a single-statement profile take seconds.
  const rows = (
    await db.query<ProfileRow>(
      `SELECT i.key, i.label, i.unit, i.topic, i.polarity::int AS polarity, i.kind, i.target, i.target_direction AS "targetDirection",
              CASE WHEN v.suppressed THEN NULL ELSE v.value END AS value, v.suppressed, v.period::text AS period,
              v.suppression_reason AS "suppressionReason", v.source, v.n_children AS "nChildren",
              v.n_children_total AS "nChildrenTotal", v.coverage, v.incomplete
         FROM indicator_value v JOIN indicator i ON i.key = v.indicator
        WHERE v.level = $1 AND v.code = $2 AND v.period = $3 AND v.indicator = ANY($4)
        ORDER BY i.sort_order, i.key`,
      [area.level, area.code, p, keys],
    )
  ).rows;
  // This area's rank per indicator (null where it has no ranked value) and the number of ranked
  // areas, which the panel shows ("von 536") also for a suppressed area: from the level's ranking.
  const ranking = await levelRanks(db, area.level, p);
  const rankOf = new Map(
    keys.map((k) => {
      const e = ranking.get(k);
      return [k, { rank: e?.rank.get(area.code) ?? null, n: e?.n ?? 0 }];
    }),
  );
  // Parent and region values: every level has its own in the read model (a parent's hidden value stays hidden).
  const parentVals =
    parentLevel && area.parent_code
      ? await db.query<{ indicator: string; value: number | null }>(
          `SELECT indicator, CASE WHEN suppressed THEN NULL ELSE value END AS value FROM indicator_value
          WHERE level = $1 AND code = $2 AND period = $3 AND indicator = ANY($4)`,
          [parentLevel, area.parent_code, p, keys],
        )
      : { rows: [] };
  const regionValue = await regionValues(db, area.level, p);
  const parentValue = new Map(parentVals.rows.map((r) => [r.indicator, r.value]));
  // counts of valued areas per indicator (n) also for indicators where this area has no value
  for (const r of rows) {
    const rk = rankOf.get(r.key);
    r.rank = r.suppressed || !rk ? null : rk.rank;
    r.n = rk?.n ?? 0;
    r.parentValue = parentValue.get(r.key) ?? null;
    r.regionValue = regionValue.get(r.key) ?? null;
  }
  return rows;
}

export async function choroplethValues(db: Queryable, meta: IndicatorMeta, level: string, period: string) {
  const r = await db.query<{
    code: string;
    name: string;
    value: number | null;
    suppressed: boolean;
    suppressionReason: string | null;
    source: string | null;
    coverage: number | null;
    incomplete: boolean;
    nChildren: number | null;
    nChildrenTotal: number | null;
    /** "geschätzt aus Ebene plr" for a value carried over by `sozialatlas harmonize` (sql/013) */
    estimatedFrom: string | null;
  }>(
    `SELECT a.code, a.name, CASE WHEN v.suppressed THEN NULL ELSE v.value END AS value, COALESCE(v.suppressed, false) AS suppressed,
            v.suppression_reason AS "suppressionReason", v.source, v.coverage, COALESCE(v.incomplete, false) AS incomplete,
            v.n_children AS "nChildren", v.n_children_total AS "nChildrenTotal",
            'geschätzt aus Ebene ' || e.source_level AS "estimatedFrom"
       FROM area a
       LEFT JOIN indicator_value v ON v.level = a.level AND v.code = a.code AND v.indicator = $2 AND v.period = $3
       LEFT JOIN estimated_observation e
         ON v.source = 'imported' AND e.level = v.level AND e.indicator = v.indicator AND e.period = v.period AND e.code = v.code
      WHERE a.level = $1 ORDER BY a.code`,
    [level, meta.key, period],
  );
  const d = describe(r.rows.filter((x) => x.value !== null).map((x) => x.value as number));
  return {
    indicator: meta.key,
    label: meta.label,
    unit: meta.unit,
    polarity: meta.polarity,
    period,
    level,
    ...d,
    sdDefinition: 'Standardabweichung der Grundgesamtheit (ddof 0)',
    missing: r.rows.filter((x) => x.value === null && !x.suppressed).length,
    suppressedCount: r.rows.filter((x) => x.suppressed).length,
    values: r.rows,
  };
}

/**
 * Datenlücken across levels: per indicator × period × level, areas with a value, missing, hidden
 * (primary: population; secondary: protection against subtraction), how the values were made
 * (imported, aggregated, formula), the lowest coverage of an aggregate and the incomplete ones, and
 * for imported parent values the gap to the sum of their children (Anschlussfähigkeit: the areas
 * whose imported value differs from the aggregate by more than 0.5 %, and the largest such gap).
 */
export async function coverage(db: Queryable, f: { level?: string; period?: string; indicator?: string }) {
  const r = await db.query<CoverageRow>(
    `SELECT l.key AS level, o.indicator, o.period::text AS period,
            (SELECT count(*)::int FROM area a WHERE a.level = l.key) AS areas,
            count(*) FILTER (WHERE o.value IS NOT NULL AND NOT o.suppressed)::int AS "withValue",
            count(*) FILTER (WHERE o.suppressed)::int AS suppressed,
            count(*) FILTER (WHERE o.suppression_reason = 'population')::int AS "suppressedPopulation",
            count(*) FILTER (WHERE o.suppression_reason = 'secondary')::int AS "suppressedSecondary",
            count(*) FILTER (WHERE o.source = 'imported')::int AS imported,
            count(*) FILTER (WHERE o.source = 'aggregated')::int AS aggregated,
            count(*) FILTER (WHERE o.source = 'formula')::int AS formula,
            min(o.coverage) FILTER (WHERE o.source = 'aggregated') AS "minCoverage",
            count(*) FILTER (WHERE o.incomplete)::int AS incomplete,
            count(*) FILTER (WHERE o.imported_gap IS NOT NULL AND abs(o.imported_gap) > 0.005 * abs(o.value))::int AS "importedGaps",
            max(abs(o.imported_gap)) AS "maxImportedGap"
       FROM level l
       JOIN indicator_value o ON o.level = l.key
      WHERE ($1::text IS NULL OR l.key = $1) AND ($2::date IS NULL OR o.period = $2) AND ($3::text IS NULL OR o.indicator = $3)
      GROUP BY l.key, o.indicator, o.period
      ORDER BY l.key, o.period, o.indicator`,
    [f.level ?? null, f.period ?? null, f.indicator ?? null],
  );
  return r.rows.map((row) => ({
    ...row,
    missing: Number(row.areas) - Number(row.withValue) - Number(row.suppressed),
  }));
}

interface CoverageRow {
  level: string;
  indicator: string;
  period: string;
  areas: number;
  withValue: number;
  suppressed: number;
  suppressedPopulation: number;
  suppressedSecondary: number;
  imported: number;
  aggregated: number;
  formula: number;
  minCoverage: number | null;
  incomplete: number;
  importedGaps: number;
  maxImportedGap: number | null;
}

/**
 * Per area, where a level has its own imported values and also children: the imported value, the
 * sum of the children and the gap (the Anschlussfähigkeit check of local sums against the
 * official numbers). Hidden areas are left out.
 */
export async function importedGaps(db: Queryable, level: string, indicator: string, period: string) {
  const r = await db.query<{
    code: string;
    imported: number;
    aggregated: number;
    gap: number;
    nChildren: number;
    coverage: number | null;
  }>(
    `SELECT code, value AS imported, value - imported_gap AS aggregated, imported_gap AS gap,
            n_children AS "nChildren", coverage
       FROM indicator_value
      WHERE level = $1 AND indicator = $2 AND period = $3 AND imported_gap IS NOT NULL AND NOT suppressed
      ORDER BY abs(imported_gap) DESC, code`,
    [level, indicator, period],
  );
  return r.rows;
}

/** Wide rows (code, name, parent, one column per indicator) for CSV/GeoJSON export; suppressed as empty. */
export async function exportRows(
  db: Queryable,
  level: string,
  period: string,
  keys: string[] | undefined,
  withGeometry: boolean,
) {
  const ind = await db.query<{ key: string }>(
    `SELECT DISTINCT i.key, i.sort_order FROM indicator i JOIN level_value o ON o.indicator = i.key AND i.visibility = 'public'
      WHERE o.level = $1 AND o.period = $2 AND ($3::text[] IS NULL OR i.key = ANY($3)) ORDER BY i.sort_order, i.key`,
    [level, period, keys ?? null],
  );
  const indicators = ind.rows.map((x) => x.key);
  const r = await db.query<{
    code: string;
    name: string;
    parent: string | null;
    vals: Record<string, number | null> | null;
    geometry?: unknown;
  }>(
    `SELECT a.code, a.name, a.parent_code AS parent,
            (SELECT json_object_agg(v.indicator, CASE WHEN v.suppressed THEN NULL ELSE v.value END)
               FROM indicator_value v WHERE v.level = a.level AND v.code = a.code AND v.period = $2 AND v.indicator = ANY($3)) AS vals
            ${withGeometry ? ', ST_AsGeoJSON(a.geom, 6)::json AS geometry' : ''}
       FROM area a WHERE a.level = $1 ORDER BY a.code`,
    [level, period, indicators],
  );
  const rows = r.rows.map((row) => {
    const out: Record<string, unknown> = { code: row.code, name: row.name, parent: row.parent, period };
    for (const k of indicators) out[k] = row.vals?.[k] ?? null;
    if (withGeometry) out.geometry = row.geometry;
    return out;
  });
  return { columns: ['code', 'name', 'parent', 'period', ...indicators], rows };
}
