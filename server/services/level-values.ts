/**
 * What the monitoring services read per level, from the read model (sql/007, geodata/values):
 * values of a level in a period — every level has its own, imported, aggregated from the child
 * level or computed by a formula, with the coverage of an aggregate — the whole region's values,
 * each indicator's "Stand", and the comparability register (sql/005: area_change). Shared by
 * indicator change, area profiles, area comparison and warnings. Hidden values (primary or
 * secondary suppression) never leave as numbers.
 */
import type { Queryable } from '../../geodata/db.js';
import { perVersion } from './version-memo.js';

/**
 * Each indicator's "Stand" for a requested period: its latest period up to that one on the level.
 * Indicators are not all updated at the same dates, so a profile shows each at its Stand, the way
 * printed monitoring reports do.
 */
export async function indicatorStand(db: Queryable, level: string, period: string): Promise<Map<string, string>> {
  const rows = await perVersion(
    db,
    `stand:${level}:${period}`,
    async () =>
      (
        await db.query<{ indicator: string; period: string }>(
          'SELECT indicator, max(period)::text AS period FROM level_value WHERE level = $1 AND period <= $2 GROUP BY indicator',
          [level, period],
        )
      ).rows,
  );
  return new Map(rows.map((x) => [x.indicator, x.period]));
}

/** How a value was made (sql/007: level_value.source). */
export type ValueSource = 'imported' | 'aggregated' | 'formula';
/** Why a value is hidden: 'population' (fewer residents than the threshold) or 'secondary' (protects a hidden sibling). */
export type SuppressionReason = 'population' | 'secondary';

export interface LevelValue {
  code: string;
  indicator: string;
  value: number | null;
  suppressed: boolean;
  suppressionReason: SuppressionReason | null;
  /** true when the value is the aggregate of the child level. */
  aggregated: boolean;
  source: ValueSource;
  /** Of an aggregate: children that contributed, children in all, their share of the children's population (0..1). */
  nChildren: number | null;
  nChildrenTotal: number | null;
  coverage: number | null;
  /** An aggregate below the coverage threshold (setting coverage_threshold, default 90 %). */
  incomplete: boolean;
  /** Carried over from another geometry by `sozialatlas harmonize` (sql/013): "geschätzt aus Ebene plr"; else null. */
  estimatedFrom: string | null;
}

/**
 * Values of a level in a period (hidden → null with its reason). Index and class indicators are
 * never aggregated, so on a parent level they are simply missing.
 */
export async function levelValues(
  db: Queryable,
  level: string,
  period: string,
  indicators?: string[],
  codes?: string[],
): Promise<LevelValue[]> {
  const r = await db.query<LevelValue>(
    `SELECT v.code, v.indicator, CASE WHEN v.suppressed THEN NULL ELSE v.value END AS value, v.suppressed,
            v.suppression_reason AS "suppressionReason", v.source = 'aggregated' AS aggregated, v.source,
            v.n_children AS "nChildren", v.n_children_total AS "nChildrenTotal", v.coverage, v.incomplete,
            'geschätzt aus Ebene ' || e.source_level AS "estimatedFrom"
       FROM indicator_value v
       LEFT JOIN estimated_observation e
         ON v.source = 'imported' AND e.level = v.level AND e.indicator = v.indicator AND e.period = v.period AND e.code = v.code
      WHERE v.level = $1 AND v.period = $2 AND ($3::text[] IS NULL OR v.indicator = ANY($3)) AND ($4::text[] IS NULL OR v.code = ANY($4))`,
    [level, period, indicators ?? null, codes ?? null],
  );
  return r.rows;
}

/** Whole-region values of a level (all its areas together: Σnum/Σden, Σ, weighted mean). */
export async function regionValues(db: Queryable, level: string, period: string): Promise<Map<string, number | null>> {
  const rows = await perVersion(
    db,
    `region:${level}:${period}`,
    async () =>
      (
        await db.query<{ indicator: string; value: number | null }>(
          'SELECT indicator, value FROM region_value WHERE level = $1 AND period = $2',
          [level, period],
        )
      ).rows,
  );
  return new Map(rows.map((row) => [row.indicator, row.value]));
}

/**
 * Each indicator's ranks over a level's areas in a period (1 = most need: highest value, lowest
 * where polarity is −1; ties share the lowest rank) and the number of ranked areas. Hidden and
 * missing values take no rank; class indicators are not ranked. Kept per data version: every
 * area's profile of the level reads the same ranking.
 */
export async function levelRanks(
  db: Queryable,
  level: string,
  period: string,
): Promise<Map<string, { n: number; rank: Map<string, number> }>> {
  return perVersion(db, `ranks:${level}:${period}`, async () => {
    const r = await db.query<{ indicator: string; code: string; rank: number; n: number }>(
      `SELECT v.indicator, v.code,
              rank() OVER (PARTITION BY v.indicator ORDER BY CASE WHEN i.polarity = -1 THEN v.value ELSE -v.value END)::int AS rank,
              count(*) OVER (PARTITION BY v.indicator)::int AS n
         FROM indicator_value v JOIN indicator i ON i.key = v.indicator
        WHERE v.level = $1 AND v.period = $2 AND v.value IS NOT NULL AND NOT v.suppressed AND i.kind <> 'class'`,
      [level, period],
    );
    const out = new Map<string, { n: number; rank: Map<string, number> }>();
    for (const row of r.rows) {
      let e = out.get(row.indicator);
      if (!e) out.set(row.indicator, (e = { n: row.n, rank: new Map() }));
      e.rank.set(row.code, row.rank);
    }
    return out;
  });
}

export interface AreaChangeNote {
  changedOn: string;
  kind: string;
  note: string | null;
}

/** Areas with a registered geometry/code change in (from, to] (sql/005_monitoring.sql, area_change). */
export async function changedAreas(
  db: Queryable,
  level: string,
  from: string,
  to: string,
): Promise<Map<string, AreaChangeNote[]>> {
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
