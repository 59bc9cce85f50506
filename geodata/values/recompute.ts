/**
 * The value engine: fills the read model (sql/007: level_value, area_suppression) from the raw
 * material (observation, indicator, area, level, setting), for every level.
 *
 * 1. imported values, as they are;
 * 2. level by level, children first: the point-layer inputs of formulas (count, sum, distance:
 *    point-inputs.ts) on each finest level, formula Kennzahlen evaluated on the level's own values
 *    (imported or summed from below, point inputs likewise), then everything additive summed into the parent level —
 *    rates as Σnumerator/Σdenominator, counts as Σ, means weighted — with the coverage of the
 *    children that contributed. An imported parent value wins and keeps the gap to the sum;
 * 3. confidentiality per period along each chain of levels: primary (population below the
 *    threshold) and secondary suppression (analysis/secondary-suppression.ts), so that no hidden
 *    area can be recovered from a published parent total.
 *
 * Everything is recomputed in one go inside the caller's transaction: the sample recomputes in
 * well under a second and a full recompute cannot leave a stale corner behind.
 */
import type { Queryable } from '../db.js';
import { levelChains, levelsChildrenFirst, type LevelLink } from './level-chains.js';
import { evaluateFormulaLevel, loadFormulas, type FormulaIndicator } from './formula-values.js';
import { decideSuppression } from './suppression.js';
import { aggregatePointInputs, computePointInputs } from './point-inputs.js';

export interface RecomputeReport {
  /** level_value rows written, by source. */
  imported: number;
  aggregated: number;
  formula: number;
  /** hidden area × period pairs, by reason. */
  hiddenPopulation: number;
  hiddenSecondary: number;
  /** Point inputs of formulas: empty or non-numeric summed fields, unknown layers (German, for reports). */
  pointWarnings: string[];
  ms: number;
}

/** Recomputes the whole read model inside tx and marks it current. onStep (default none) hears each step and its time. */
export async function recomputeValues(
  tx: Queryable,
  onStep?: (step: string, ms: number) => void,
): Promise<RecomputeReport> {
  const t0 = performance.now();
  let last = t0;
  const step = (name: string) => {
    const now = performance.now();
    onStep?.(name, now - last);
    last = now;
  };
  const levels = (await tx.query<LevelLink>('SELECT key, parent_level AS "parentLevel" FROM level ORDER BY key')).rows;
  const formulas = await loadFormulas(tx);
  const populationKey =
    (await tx.query<{ value: string }>("SELECT value FROM setting WHERE key = 'population_indicator'")).rows[0]
      ?.value ?? null;
  // Bulk statements over whole levels: hash joins, never a nested loop that trusts the stale row
  // estimates of a table rewritten inside this very transaction (switched back on at the end).
  await tx.query('SET LOCAL enable_nestloop = off');
  await tx.query('DELETE FROM level_value');
  await tx.query('DELETE FROM area_suppression');
  await tx.query('DELETE FROM point_input_value');
  await tx.query('DELETE FROM point_input_note');

  const imported = (
    await tx.query(
      `INSERT INTO level_value (level, code, indicator, period, value, numerator, denominator, source)
       SELECT level, code, indicator, period, value, numerator, denominator, 'imported' FROM observation`,
    )
  ).rowCount;
  // Fresh statistics, so that the planner sees tens of thousands of rows and not an empty table.
  await tx.query('ANALYZE level_value');
  step('imported');

  const pointWarnings: string[] = [];
  let aggregated = 0;
  let formula = 0;
  const parentOf = new Map(levels.map((l) => [l.key, l.parentLevel]));
  const pointFormulas = [...formulas.values()].filter((f) => f.points.length > 0);
  const isParent = new Set(levels.map((l) => l.parentLevel));
  for (const level of levelsChildrenFirst(levels)) {
    if (pointFormulas.length > 0 && !isParent.has(level)) {
      for (const w of await computePointInputs(tx, level, pointFormulas, populationKey))
        if (!pointWarnings.includes(w)) pointWarnings.push(w);
      step(`point inputs ${level}`);
    }
    formula += await evaluateFormulaLevel(tx, level, formulas);
    step(`formulas ${level}`);
    const parent = parentOf.get(level);
    if (parent) aggregated += await aggregateToParent(tx, level, parent, formulas, populationKey);
    if (parent && pointFormulas.length > 0) await aggregatePointInputs(tx, level, parent);
    step(`aggregate ${level} → ${parent}`);
  }

  const hidden = await decideSuppression(tx, levelChains(levels));
  step('suppression');
  await tx.query('SET LOCAL enable_nestloop = on');
  const ms = performance.now() - t0;
  await tx.query(
    'UPDATE value_state SET computed_version = source_version, computed_at = now(), computed_ms = $1 WHERE id = 1',
    [ms],
  );
  return {
    imported,
    aggregated,
    formula,
    hiddenPopulation: hidden.population,
    hiddenSecondary: hidden.secondary,
    pointWarnings,
    ms,
  };
}

/**
 * Sums the child level's values into the parent level: rates as scale·Σnumerator/Σdenominator,
 * counts as Σ, means as Σnumerator/Σdenominator where every child brings both (the grid means:
 * Σ(mean·population)/Σpopulation of the cells with a value, so a Kreis from its Gemeinden equals
 * the Kreis from its cells), else weighted by the weight indicator. Formula indicators are summed only where
 * the children's values were imported (a formula is evaluated on the parent's own sums instead);
 * index and class indicators are never aggregated. Where the parent has an imported value, it
 * stays, and the aggregate is kept as the gap (imported − aggregated) with its coverage.
 */
async function aggregateToParent(
  tx: Queryable,
  child: string,
  parent: string,
  formulas: ReadonlyMap<string, FormulaIndicator>,
  populationKey: string | null,
): Promise<number> {
  // Joins go through level_value's primary key (level, indicator, period, code) rather than CTEs,
  // which PostgreSQL cannot index: a CTE scan inside a nested loop made this quadratic.
  await tx.query(
    `WITH kids AS (
       SELECT parent_code, count(*)::int AS n_total FROM area WHERE level = $1 AND parent_code IS NOT NULL GROUP BY parent_code
     ), kid_pop AS (
       SELECT a.parent_code, p.period, sum(p.value) AS total
         FROM area a JOIN level_value p ON p.level = a.level AND p.indicator = $4 AND p.code = a.code
        WHERE a.level = $1 GROUP BY a.parent_code, p.period
     ), agg AS (
       SELECT a.parent_code AS code, v.indicator, v.period,
              CASE i.kind
                WHEN 'rate'  THEN CASE WHEN sum(v.denominator) > 0 THEN i.scale * sum(v.numerator) / sum(v.denominator) END
                WHEN 'count' THEN sum(v.value)
                WHEN 'mean'  THEN CASE WHEN bool_and(v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
                                       THEN CASE WHEN sum(v.denominator) > 0 THEN sum(v.numerator) / sum(v.denominator) END
                                       ELSE sum(v.value * w.value) / NULLIF(sum(w.value), 0) END
              END AS value,
              CASE WHEN i.kind = 'rate' OR bool_and(v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
                   THEN sum(v.numerator) END AS numerator,
              CASE WHEN i.kind = 'rate' OR bool_and(v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
                   THEN sum(v.denominator) END AS denominator,
              count(*)::int AS n_children,
              sum(p.value) AS covered
         FROM level_value v
         JOIN indicator i ON i.key = v.indicator AND i.kind IN ('rate', 'count', 'mean')
         JOIN area a ON a.level = v.level AND a.code = v.code AND a.parent_code IS NOT NULL
         LEFT JOIN level_value p ON p.level = v.level AND p.indicator = $4 AND p.period = v.period AND p.code = v.code
         LEFT JOIN level_value w ON i.kind = 'mean' AND w.level = v.level AND w.indicator = i.weight_indicator
                                AND w.period = v.period AND w.code = v.code
        WHERE v.level = $1 AND v.value IS NOT NULL
          AND NOT (v.indicator = ANY($3::text[]) AND v.source = 'formula')
          AND (i.kind = 'count'
               OR (i.kind = 'rate' AND v.numerator IS NOT NULL AND v.denominator IS NOT NULL)
               OR (i.kind = 'mean' AND (w.value IS NOT NULL OR (v.numerator IS NOT NULL AND v.denominator IS NOT NULL))))
        GROUP BY a.parent_code, v.indicator, v.period, i.kind, i.scale
     )
     INSERT INTO level_value (level, code, indicator, period, value, numerator, denominator, source,
                              n_children, n_children_total, coverage)
     SELECT $2, g.code, g.indicator, g.period, g.value, g.numerator, g.denominator, 'aggregated',
            g.n_children, k.n_total,
            CASE WHEN kp.total > 0 THEN least(1, COALESCE(g.covered, 0) / kp.total) END
       FROM agg g
       JOIN kids k ON k.parent_code = g.code
       JOIN area pa ON pa.level = $2 AND pa.code = g.code
       LEFT JOIN kid_pop kp ON kp.parent_code = g.code AND kp.period = g.period
     ON CONFLICT (level, indicator, period, code) DO UPDATE
        SET imported_gap = level_value.value - EXCLUDED.value,
            n_children = EXCLUDED.n_children,
            n_children_total = EXCLUDED.n_children_total,
            coverage = EXCLUDED.coverage
      WHERE level_value.source = 'imported'`,
    [child, parent, [...formulas.keys()], populationKey],
  );
  const n = await tx.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM level_value WHERE level = $1 AND source = 'aggregated'",
    [parent],
  );
  return n.rows[0].n;
}
