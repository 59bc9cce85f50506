/**
 * Compiles a Kennzahl formula's syntax tree (analysis/formula-*.ts) to a SQL expression, so the
 * value engine evaluates a formula for every area of a level in one statement instead of moving
 * each input through Node. Safe by construction: the SQL is assembled only from a fixed list of
 * operators and from column names the caller makes; every number and every indicator key travels
 * as a bind parameter — nothing of the formula's text reaches the SQL.
 *
 * The expression follows analysis/formula-eval.ts exactly (a test compares both on seeded random
 * formulas): IEEE double arithmetic in the same order, null propagates, division by zero gives
 * null (NULLIF), `sum(a, b)` is 0 + a + b, and a negation is 0 − x. Point-layer inputs
 * (`count(kitas)`, `kitas.e_platz` inside sum, `distance(pflege)`) are columns the caller computed
 * beforehand (point-inputs.ts), named by their canonical text as formula-eval.ts looks them up.
 */
import { formatNode, type FormulaNode } from '../../analysis/formula.js';

export interface SqlBuilder {
  /** The SQL column holding the value of indicator `key` for the row (made by the caller, never user text). */
  column(key: string): string;
  /** Binds a number and returns its placeholder (`$7::float8`). */
  bind(value: number): string;
}

/** The SQL expression of a formula node; point-layer inputs are columns like indicator keys (`count(kitas)`). */
export function formulaToSql(node: FormulaNode, sql: SqlBuilder): string {
  switch (node.type) {
    case 'number':
      return sql.bind(node.value);
    case 'key':
      return sql.column(node.key);
    case 'neg':
      return `(0::float8 - ${formulaToSql(node.arg, sql)})`;
    case 'binary': {
      const left = formulaToSql(node.left, sql);
      const right = formulaToSql(node.right, sql);
      return node.op === '/' ? `(${left} / NULLIF(${right}, 0::float8))` : `(${left} ${OPERATORS[node.op]} ${right})`;
    }
    case 'call':
      if (node.name === 'sum') return `(${['0::float8', ...node.args.map((a) => formulaToSql(a, sql))].join(' + ')})`;
      // count(L) / distance(L): computed per area beforehand (point-inputs.ts), read by their canonical text.
      return sql.column(formatNode(node));
    case 'field':
      // L.F inside sum(): the field summed over the area's points, computed beforehand like count(L).
      return sql.column(`${node.layer}.${node.field}`);
  }
}

/** The only operator tokens that ever reach the SQL text. */
const OPERATORS = { '+': '+', '-': '-', '*': '*' } as const;
