/**
 * Comparing two stored typology runs on the areas both classified: Adjusted Rand Index and the
 * transition table (how many areas went from type a to type b), each run at its chosen k.
 */
import type { Queryable } from '../../../geodata/db.js';
import { adjustedRandIndex, transitionTable } from '../../../analysis/adjusted-rand.js';
import { getTypologyMembers } from './reads.js';

/** ARI and transition table between two runs, on the areas both classified. */
export async function compareTypologies(db: Queryable, a: number, b: number) {
  const [ma, mb] = [await getTypologyMembers(db, a), await getTypologyMembers(db, b)];
  const typeB = new Map(mb.map((m) => [m.code, m.type]));
  const common = ma.filter((m) => typeB.has(m.code));
  const la = common.map((m) => m.type);
  const lb = common.map((m) => typeB.get(m.code)!);
  const table = common.length > 0 ? transitionTable(la, lb) : { rowLabels: [], colLabels: [], counts: [] };
  const codesA = new Set(ma.map((m) => m.code));
  return {
    a,
    b,
    nCommon: common.length,
    onlyInA: ma.length - common.length,
    onlyInB: mb.filter((m) => !codesA.has(m.code)).length,
    adjustedRandIndex: common.length > 1 ? adjustedRandIndex(la, lb) : null,
    unchanged: common.filter((m, i) => m.type === lb[i]).length,
    transitions: table.rowLabels.flatMap((from, r) =>
      table.colLabels.map((to, c) => ({ from, to, count: table.counts[r][c] })).filter((t) => t.count > 0),
    ),
    table: { typesA: table.rowLabels, typesB: table.colLabels, counts: table.counts },
  };
}
