/**
 * Formula Kennzahlen in the value engine: each formula indicator is evaluated per area and period
 * on the values the level already has (imported, or summed from the child level), so a parent's
 * value is the formula of the parent's sums. The formula is parsed by pure code
 * (analysis/formula-*.ts) and compiled to SQL from its syntax tree (formula-sql.ts): no eval, and
 * no SQL is ever built from formula text — keys and numbers travel as bind parameters.
 */
import type { Queryable } from '../db.js';
import {
  formulaKeys,
  formulaOrder,
  formulaPointInputs,
  parseFormula,
  ratioParts,
  type Formula,
  type PointInput,
} from '../../analysis/formula.js';
import { formulaToSql } from './formula-sql.js';

export interface FormulaIndicator {
  key: string;
  formula: Formula;
  /** Indicator keys the formula reads. */
  keys: string[];
  /** Point-layer inputs (count(L), sum(L.F), distance(L)), computed by point-inputs.ts. */
  points: PointInput[];
  /** Everything the evaluation pivots: the keys, then the point inputs' lookup keys. */
  inputs: string[];
}

/** Formula indicators in an order where each comes after the formula indicators it reads. */
export async function loadFormulas(tx: Queryable): Promise<Map<string, FormulaIndicator>> {
  const rows = (
    await tx.query<{ key: string; formula: string }>('SELECT key, formula FROM indicator WHERE formula IS NOT NULL')
  ).rows;
  const parsed = new Map(rows.map((r) => [r.key, parseFormula(r.formula)]));
  const ordered = new Map<string, FormulaIndicator>();
  for (const key of formulaOrder(parsed)) {
    const formula = parsed.get(key)!;
    const keys = formulaKeys(formula);
    const points = formulaPointInputs(formula);
    ordered.set(key, { key, formula, keys, points, inputs: [...keys, ...points.map((p) => p.key)] });
  }
  return ordered;
}

/** The level's values and, as further inputs, the formula's point inputs (point_input_value, by $2 = the formula). */
const WITH_POINT_INPUTS = `(SELECT level, code, period, indicator, value, coverage, n_children, n_children_total FROM level_value
      UNION ALL
      SELECT level, code, period, input, value, NULL::float8, NULL::int, NULL::int FROM point_input_value WHERE indicator = $2)`;

/**
 * Evaluates every formula on one level where the area has all inputs for the period and no value
 * of its own (an imported value, or a sum of imported child values, wins). One INSERT … SELECT per
 * formula: the inputs are pivoted per area and period, the formula is compiled to SQL
 * (formula-sql.ts: keys and numbers bound, operators from a fixed list). A formula over partial
 * sums carries the coverage of its least covered input. Returns rows written.
 */
export async function evaluateFormulaLevel(
  tx: Queryable,
  level: string,
  formulas: ReadonlyMap<string, FormulaIndicator>,
): Promise<number> {
  let written = 0;
  for (const f of formulas.values()) {
    const params: unknown[] = [level, f.key, f.inputs];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const keyParam = new Map(f.inputs.map((k) => [k, bind(k)]));
    const sql = { column: (key: string) => `g.k_${f.inputs.indexOf(key)}`, bind: (n: number) => `${bind(n)}::float8` };
    const ratio = ratioParts(f.formula);
    const value = formulaToSql(f.formula.ast, sql);
    const numerator = ratio ? formulaToSql(ratio.numerator, sql) : 'NULL::float8';
    const denominator = ratio ? formulaToSql(ratio.denominator, sql) : 'NULL::float8';
    const pivot = f.inputs
      .map((k, i) => {
        const p = keyParam.get(k)!;
        return `max(v.value) FILTER (WHERE v.indicator = ${p}) AS k_${i}, bool_or(v.indicator = ${p}) AS has_${i}`;
      })
      .join(',\n              ');
    const r = await tx.query(
      `INSERT INTO level_value (level, code, indicator, period, value, numerator, denominator, source, coverage, n_children, n_children_total)
       SELECT $1, g.code, $2, g.period, ${value}, ${numerator}, ${denominator}, 'formula', g.coverage, g.n_children, g.n_children_total
         FROM (SELECT v.code, v.period,
              ${pivot},
              min(v.coverage) AS coverage,
              (array_agg(v.n_children ORDER BY v.coverage) FILTER (WHERE v.coverage IS NOT NULL))[1] AS n_children,
              (array_agg(v.n_children_total ORDER BY v.coverage) FILTER (WHERE v.coverage IS NOT NULL))[1] AS n_children_total
                 FROM ${f.points.length > 0 ? WITH_POINT_INPUTS : 'level_value'} v
                WHERE v.level = $1 AND v.indicator = ANY($3::text[])
                GROUP BY v.code, v.period) g
        WHERE ${f.inputs.map((_, i) => `g.has_${i}`).join(' AND ')}
          AND NOT EXISTS (SELECT 1 FROM level_value t WHERE t.level = $1 AND t.indicator = $2 AND t.period = g.period AND t.code = g.code)`,
      params,
    );
    written += r.rowCount;
  }
  return written;
}
