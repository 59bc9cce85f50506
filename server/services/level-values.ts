/**
 * What the monitoring services read per level: values of a level in a period (own observations,
 * or for a parent level without its own the Σnum/Σden aggregate of its children), the whole
 * region's values, each indicator's "Stand", and the comparability register (sql/005: area_change).
 * Shared by indicator change, area profiles, area comparison and warnings. Suppressed values
 * (population below the threshold) never leave as numbers.
 */
import type { Queryable } from '../../geodata/db.js';
import { sourceLevels } from './catalog.js';

/**
 * Each indicator's "Stand" for a requested period: its latest period up to that one on the level
 * (own or child observations). Indicators are not all updated at the same dates, so a profile
 * shows each at its Stand, the way printed monitoring reports do.
 */
export async function indicatorStand(db: Queryable, level: string, period: string): Promise<Map<string, string>> {
  const r = await db.query<{ indicator: string; period: string }>(
    'SELECT indicator, max(period)::text AS period FROM observation WHERE level = ANY($1) AND period <= $2 GROUP BY indicator',
    [await sourceLevels(db, level), period],
  );
  return new Map(r.rows.map((x) => [x.indicator, x.period]));
}

export interface LevelValue {
  code: string;
  indicator: string;
  value: number | null;
  suppressed: boolean;
  /** true when the value is the aggregate of the child level (the level has no own observation). */
  aggregated: boolean;
}

/**
 * Values of a level in a period: own observations (suppressed → null) and, where the level has
 * no own observation of an indicator, the aggregate of its children (rates Σnum/Σden, counts Σ;
 * index and class indicators are not aggregated, so they stay missing).
 */
export async function levelValues(db: Queryable, level: string, period: string, indicators?: string[], codes?: string[]): Promise<LevelValue[]> {
  const r = await db.query<LevelValue>(
    `SELECT v.code, v.indicator, CASE WHEN v.suppressed THEN NULL ELSE v.value END AS value, v.suppressed, false AS aggregated
       FROM indicator_value v
      WHERE v.level = $1 AND v.period = $2 AND ($3::text[] IS NULL OR v.indicator = ANY($3)) AND ($4::text[] IS NULL OR v.code = ANY($4))
     UNION ALL
     SELECT a.code, a.indicator, a.value, false, true
       FROM aggregated_value a
      WHERE a.level = $1 AND a.period = $2 AND ($3::text[] IS NULL OR a.indicator = ANY($3)) AND ($4::text[] IS NULL OR a.code = ANY($4))
        AND NOT EXISTS (SELECT 1 FROM observation o
                         WHERE o.level = a.level AND o.code = a.code AND o.indicator = a.indicator AND o.period = a.period)`,
    [level, period, indicators ?? null, codes ?? null],
  );
  return r.rows;
}

/** Whole-region values of a level (or, for a level without own observations, of its child level). */
export async function regionValues(db: Queryable, level: string, period: string): Promise<Map<string, number | null>> {
  const levels = await sourceLevels(db, level);
  const r = await db.query<{ level: string; indicator: string; value: number | null }>(
    'SELECT level, indicator, value FROM region_value WHERE level = ANY($1) AND period = $2',
    [levels, period],
  );
  const out = new Map<string, number | null>();
  // Own level first: the same total either way for rates and counts, but own values are the source of truth.
  for (const row of r.rows.filter((x) => x.level === level)) out.set(row.indicator, row.value);
  for (const row of r.rows) if (!out.has(row.indicator)) out.set(row.indicator, row.value);
  return out;
}

export interface AreaChangeNote {
  changedOn: string;
  kind: string;
  note: string | null;
}

/** Areas with a registered geometry/code change in (from, to] (sql/005_monitoring.sql, area_change). */
export async function changedAreas(db: Queryable, level: string, from: string, to: string): Promise<Map<string, AreaChangeNote[]>> {
  const [lo, hi] = from < to ? [from, to] : [to, from];
  const r = await db.query<{ code: string; changedOn: string; kind: string; note: string | null }>(
    `SELECT code, changed_on::text AS "changedOn", kind, note FROM area_change
      WHERE level = $1 AND changed_on > $2::date AND changed_on <= $3::date ORDER BY code, changed_on`,
    [level, lo, hi],
  );
  const out = new Map<string, AreaChangeNote[]>();
  for (const { code, ...rest } of r.rows) out.set(code, [...(out.get(code) ?? []), rest]);
  return out;
}
