/**
 * The SQL the value engine compiles from a formula (geodata/values/formula-sql.ts) gives exactly
 * what the pure evaluator (analysis/formula-eval.ts) gives: 300 seeded random formulas over three
 * inputs with values that include zeros, negatives, fractions and missing ones, evaluated by
 * PostgreSQL (PGlite or the server) and in Node, compared with Object.is. Also: the SQL text holds
 * no key and no number of the formula (both are bound).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { Prng } from '../../analysis/prng.js';
import { evaluateFormula, parseFormula, type FormulaNode } from '../../analysis/formula.js';
import { formulaToSql } from '../../geodata/values/formula-sql.js';

const KEYS = ['A', 'B', 'C'];

/** A random formula text of depth ≤ 4 over A, B, C and small constants. */
function randomFormula(rng: Prng, depth = 0): string {
  const r = rng.next();
  if (depth >= 4 || r < 0.3) {
    return rng.next() < 0.6
      ? KEYS[Math.floor(rng.next() * 3)]
      : String([0, 1, 2, 100, 0.5, 7.25][Math.floor(rng.next() * 6)]);
  }
  if (r < 0.4) return `-(${randomFormula(rng, depth + 1)})`;
  if (r < 0.5) return `sum(${randomFormula(rng, depth + 1)}, ${randomFormula(rng, depth + 1)})`;
  const op = ['+', '-', '*', '/'][Math.floor(rng.next() * 4)];
  return `(${randomFormula(rng, depth + 1)} ${op} ${randomFormula(rng, depth + 1)})`;
}

function randomValue(rng: Prng): number | null {
  const r = rng.next();
  if (r < 0.1) return null;
  if (r < 0.25) return 0;
  return Math.round((rng.next() - 0.3) * 20000) / 8;
}

describe(`formula compiled to SQL equals the pure evaluator (${backend})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db?.close());

  it('300 seeded random formulas give identical values', async () => {
    const rng = new Prng(20261202);
    let compared = 0;
    let nonNull = 0;
    for (let n = 0; n < 300; n++) {
      const f = parseFormula(randomFormula(rng));
      const values = KEYS.map(() => randomValue(rng));
      const params: unknown[] = [...values];
      const expr = formulaToSql(f.ast, {
        column: (key) => `g.k_${KEYS.indexOf(key)}`,
        bind: (v) => {
          params.push(v);
          return `$${params.length}::float8`;
        },
      });
      const r = await db.query<{ v: number | null }>(
        `SELECT ${expr} AS v FROM (SELECT $1::float8 AS k_0, $2::float8 AS k_1, $3::float8 AS k_2) g`,
        params,
      );
      const expected = evaluateFormula(f, (k) => values[KEYS.indexOf(k)]);
      expect(r.rows[0].v === null ? null : Number(r.rows[0].v), `${f.text} with ${JSON.stringify(values)}`).toBe(
        expected,
      );
      compared++;
      if (expected !== null) nonNull++;
    }
    expect(compared).toBe(300);
    expect(nonNull).toBeGreaterThan(100); // the comparison is not only of nulls
  });

  it('binds every key and number: the SQL text holds none of the formula', () => {
    const f = parseFormula('100 * (E_U6 + E_6_15) / EW - 12.5');
    const bound: unknown[] = [];
    const expr = formulaToSql(f.ast, {
      column: (key) => `g.k_${['E_U6', 'E_6_15', 'EW'].indexOf(key)}`,
      bind: (v) => {
        bound.push(v);
        return `$${bound.length}::float8`;
      },
    });
    expect(expr).toBe('((($1::float8 * (g.k_0 + g.k_1)) / NULLIF(g.k_2, 0::float8)) - $2::float8)');
    expect(bound).toEqual([100, 12.5]);
  });

  it('reads point-layer inputs as columns named by their canonical text (computed beforehand)', () => {
    const node: FormulaNode = parseFormula('100 * SUM(kitas.e_platz) / E_U6 + Count( kitas ) + distance(pflege)').ast;
    const asked: string[] = [];
    const expr = formulaToSql(node, {
      column: (key) => {
        asked.push(key);
        return `c${asked.length}`;
      },
      bind: () => '$1::float8',
    });
    expect(asked).toEqual(['kitas.e_platz', 'E_U6', 'count(kitas)', 'distance(pflege)']);
    expect(expr).toBe('(((($1::float8 * (0::float8 + c1)) / NULLIF(c2, 0::float8)) + c3) + c4)');
  });
});
