/**
 * Comparing two partitions of the same areas: the contingency ("transition") table and the
 * Adjusted Rand Index (Hubert & Arabie 1985), which is 1 for identical partitions (up to
 * renumbering), about 0 for independent ones, and can be negative.
 */

export interface TransitionTable {
  /** Distinct labels of partition a and b, ascending. */
  rowLabels: number[];
  colLabels: number[];
  /** counts[r][c] = number of areas with label rowLabels[r] in a and colLabels[c] in b. */
  counts: number[][];
}

export function transitionTable(a: ArrayLike<number>, b: ArrayLike<number>): TransitionTable {
  if (a.length !== b.length) throw new RangeError(`partitions differ in length: ${a.length} vs ${b.length}`);
  const rowLabels = [...new Set(Array.from(a))].sort((x, y) => x - y);
  const colLabels = [...new Set(Array.from(b))].sort((x, y) => x - y);
  const rowIndex = new Map(rowLabels.map((l, i) => [l, i]));
  const colIndex = new Map(colLabels.map((l, i) => [l, i]));
  const counts = rowLabels.map(() => new Array<number>(colLabels.length).fill(0));
  for (let i = 0; i < a.length; i++) counts[rowIndex.get(a[i])!][colIndex.get(b[i])!]++;
  return { rowLabels, colLabels, counts };
}

/** n choose 2, exact for the sizes we handle (< 2^26 areas). */
const pairs = (m: number): number => (m * (m - 1)) / 2;

export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { counts } = transitionTable(a, b);
  const n = a.length;
  let sumCells = 0;
  const rowSums = counts.map((row) => row.reduce((s, v) => s + v, 0));
  const colSums = counts[0] ? counts[0].map((_, c) => counts.reduce((s, row) => s + row[c], 0)) : [];
  for (const row of counts) for (const v of row) sumCells += pairs(v);
  const sumRows = rowSums.reduce((s, v) => s + pairs(v), 0);
  const sumCols = colSums.reduce((s, v) => s + pairs(v), 0);
  const expected = (sumRows * sumCols) / pairs(n);
  const maximum = (sumRows + sumCols) / 2;
  // Both partitions trivial (one cluster each, or all singletons): identical by convention,
  // as scikit-learn returns 1.0 there.
  if (maximum === expected) return 1;
  return (sumCells - expected) / (maximum - expected);
}
