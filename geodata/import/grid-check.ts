/**
 * The check of a grid aggregation across levels: where a parent level (Kreis) received the Zensus
 * values straight from the cells (`aggregate grid --to-level kreis`) and its children (Gemeinden)
 * too, the value engine keeps the imported parent value and its gap to the children's aggregate
 * (level_value.imported_gap). Both come from the same cells, so they agree up to the cells whose
 * centre falls on a different side of a generalised border; this lists, per level and Zensus
 * indicator, how many areas were compared and the largest relative gap.
 */
import type { Queryable } from '../db.js';
import { GRID_INDICATORS, ZENSUS_2022_PERIOD } from './grid-aggregate.js';

/** Relative gap up to which a parent value counts as equal to its children's aggregate (rounding only). */
export const GRID_CHECK_TOLERANCE = 1e-9;

export interface GridLevelCheck {
  level: string;
  indicator: string;
  /** areas with a value from the cells and an aggregate of their children */
  compared: number;
  /** of them, areas whose relative gap exceeds GRID_CHECK_TOLERANCE */
  differing: number;
  /** largest |imported − aggregated| / |imported| (0 when all agree) and its area (null when none compared) */
  maxRelativeGap: number;
  worstCode: string | null;
}

/** One row per level × Zensus indicator that has imported values with a children's aggregate. period default: Zensus day. */
export async function checkGridLevels(
  db: Queryable,
  levels: readonly string[],
  period: string = ZENSUS_2022_PERIOD,
): Promise<GridLevelCheck[]> {
  const r = await db.query<{
    level: string;
    indicator: string;
    compared: number;
    differing: number;
    max: number | null;
    worst: string | null;
  }>(
    `WITH g AS (
       SELECT level, indicator, code,
              abs(imported_gap) / NULLIF(abs(value), 0) AS rel
         FROM level_value
        WHERE level = ANY($1::text[]) AND indicator = ANY($2::text[]) AND period = $3::date
          AND source = 'imported' AND imported_gap IS NOT NULL
     )
     SELECT level, indicator, count(*)::int AS compared,
            count(*) FILTER (WHERE COALESCE(rel, 0) > $4)::int AS differing,
            max(COALESCE(rel, 0)) AS max,
            (array_agg(code ORDER BY COALESCE(rel, 0) DESC, code))[1] AS worst
       FROM g GROUP BY level, indicator`,
    [levels, GRID_INDICATORS.map((i) => i.key), period, GRID_CHECK_TOLERANCE],
  );
  const order = new Map(GRID_INDICATORS.map((i, k) => [i.key, k]));
  return r.rows
    .map((x) => ({
      level: x.level,
      indicator: x.indicator,
      compared: x.compared,
      differing: x.differing,
      maxRelativeGap: x.max ?? 0,
      worstCode: x.differing > 0 ? x.worst : null,
    }))
    .sort(
      (a, b) => levels.indexOf(a.level) - levels.indexOf(b.level) || order.get(a.indicator)! - order.get(b.indicator)!,
    );
}
