/**
 * Formula Kennzahlen in the value engine: each formula indicator is evaluated per area and period
 * on the values the level already has (imported, or summed from the child level), so a parent's
 * value is the formula of the parent's sums. The formula is parsed and evaluated by pure code
 * (analysis/formula-*.ts): no eval, and no SQL is ever built from formula text — keys travel as
 * bind parameters, results go back as arrays.
 */
import type { Queryable } from '../db.js';
import {
  evaluateFormula,
  evaluateNode,
  formulaKeys,
  formulaOrder,
  parseFormula,
  ratioParts,
  type Formula,
} from '../../analysis/formula.js';

interface InputRow {
  code: string;
  period: string;
  indicator: string;
  value: number | null;
  coverage: number | null;
  n_children: number | null;
  n_children_total: number | null;
}

/** The input with the lowest coverage (aggregates only), or undefined when none was aggregated. */
function leastCovered(inputs: InputRow[]): InputRow | undefined {
  let weakest: InputRow | undefined;
  for (const r of inputs)
    if (r.coverage !== null && (weakest === undefined || r.coverage < weakest.coverage!)) weakest = r;
  return weakest;
}

export interface FormulaIndicator {
  key: string;
  formula: Formula;
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
    ordered.set(key, { key, formula, inputs: formulaKeys(formula) });
  }
  return ordered;
}

/**
 * Evaluates every formula on one level where the area has all inputs for the period and no value
 * of its own (an imported value, or a sum of imported child values, wins). Returns rows written.
 */
export async function evaluateFormulaLevel(
  tx: Queryable,
  level: string,
  formulas: ReadonlyMap<string, FormulaIndicator>,
): Promise<number> {
  let written = 0;
  for (const f of formulas.values()) {
    const inputs = await tx.query<InputRow>(
      `SELECT code, period::text AS period, indicator, value, coverage, n_children, n_children_total FROM level_value
        WHERE level = $1 AND indicator = ANY($2::text[])`,
      [level, f.inputs],
    );
    const taken = new Set(
      (
        await tx.query<{ code: string; period: string }>(
          'SELECT code, period::text AS period FROM level_value WHERE level = $1 AND indicator = $2',
          [level, f.key],
        )
      ).rows.map((r) => `${r.code}\u0000${r.period}`),
    );
    const byArea = new Map<string, Map<string, InputRow>>();
    for (const r of inputs.rows) {
      const id = `${r.code}\u0000${r.period}`;
      let m = byArea.get(id);
      if (!m) byArea.set(id, (m = new Map()));
      m.set(r.indicator, r);
    }
    const ratio = ratioParts(f.formula);
    const out = {
      code: [] as string[],
      period: [] as string[],
      value: [] as (number | null)[],
      num: [] as (number | null)[],
      den: [] as (number | null)[],
      coverage: [] as (number | null)[],
      nChildren: [] as (number | null)[],
      nTotal: [] as (number | null)[],
    };
    for (const [id, values] of byArea) {
      if (taken.has(id) || f.inputs.some((k) => values.get(k) === undefined)) continue;
      const lookup = (k: string) => values.get(k)?.value ?? null;
      const [code, period] = id.split('\u0000');
      out.code.push(code);
      out.period.push(period);
      out.value.push(evaluateFormula(f.formula, lookup));
      out.num.push(ratio ? evaluateNode(ratio.numerator, lookup) : null);
      out.den.push(ratio ? evaluateNode(ratio.denominator, lookup) : null);
      // A formula over partial sums is as incomplete as its least complete input.
      const weakest = leastCovered(f.inputs.map((k) => values.get(k)!));
      out.coverage.push(weakest?.coverage ?? null);
      out.nChildren.push(weakest?.n_children ?? null);
      out.nTotal.push(weakest?.n_children_total ?? null);
    }
    if (out.code.length === 0) continue;
    await tx.query(
      `INSERT INTO level_value (level, code, indicator, period, value, numerator, denominator, source, coverage, n_children, n_children_total)
       SELECT $1, c, $2, p::date, v, n, d, 'formula', cov, nc, nt
         FROM unnest($3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::int[], $10::int[])
              AS t(c, p, v, n, d, cov, nc, nt)`,
      [level, f.key, out.code, out.period, out.value, out.num, out.den, out.coverage, out.nChildren, out.nTotal],
    );
    written += out.code.length;
  }
  return written;
}
