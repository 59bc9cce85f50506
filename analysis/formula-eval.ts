/**
 * Evaluation of Kennzahl formulas on the counts of one area and period, and the split of a
 * ratio formula into scale × numerator / denominator.
 *
 * The caller supplies the counts through `lookup` (for a parent level: the SUMS of its children's
 * counts, so a parent's rate is Σnum/Σden and never a mean of its children's rates). Missing data
 * are never guessed: a missing input, a division by zero or any non-finite intermediate makes the
 * whole value null (no Infinity, no NaN). `sum()` is strict in the same way (unlike SQL's SUM it
 * does not skip missing arguments), because a sum with a gap would silently understate the value.
 */
import { type Formula, type FormulaNode } from './formula-ast.js';
import { formatNode } from './formula-format.js';

/** Reads one input of an area: an indicator key, or for point layers the canonical text (`count(kita)`). */
export type FormulaLookup = (key: string) => number | null | undefined;

export function evaluateFormula(f: Formula, lookup: FormulaLookup): number | null {
  return evaluateNode(f.ast, lookup);
}

export function evaluateNode(node: FormulaNode, lookup: FormulaLookup): number | null {
  switch (node.type) {
    case 'number':
      return node.value;
    case 'key':
      return finiteOrNull(lookup(node.key));
    case 'field':
      return finiteOrNull(lookup(`${node.layer}.${node.field}`));
    case 'call': {
      // Point-layer functions are computed elsewhere (in the database) and handed in by their text.
      if (node.name !== 'sum') return finiteOrNull(lookup(formatNode(node)));
      let total = 0;
      for (const arg of node.args) {
        const v = evaluateNode(arg, lookup);
        if (v === null) return null;
        total += v;
      }
      return finiteOrNull(total);
    }
    case 'neg': {
      const v = evaluateNode(node.arg, lookup);
      return v === null ? null : 0 - v; // 0 - v, not -v: no -0 for a zero input
    }
    case 'binary': {
      const left = evaluateNode(node.left, lookup);
      if (left === null) return null;
      const right = evaluateNode(node.right, lookup);
      if (right === null) return null;
      switch (node.op) {
        case '+':
          return finiteOrNull(left + right);
        case '-':
          return finiteOrNull(left - right);
        case '*':
          return finiteOrNull(left * right);
        case '/':
          return right === 0 ? null : finiteOrNull(left / right);
      }
    }
  }
}

/**
 * The value of a subtree that reads no inputs (`2 - 2`, `100`), or null when it reads any input
 * or cannot be computed (`1 / 0`). Used to fold constant divisors and constant factors.
 */
export function constantValue(node: FormulaNode): number | null {
  return evaluateNode(node, () => null);
}

export interface RatioParts {
  /** Constant factor: value = scale × numerator / denominator. */
  scale: number;
  numerator: FormulaNode;
  denominator: FormulaNode;
}

/**
 * Splits a formula that is a constant times a quotient (`100 * E_65 / EW`, `A / B * 100`,
 * `(A + B) / C * 100`, `100 * sum(A, B) / C`, `-A / (2 * B)`) into scale, numerator and
 * denominator, so the caller can store numerator and denominator (Σnum/Σden aggregation,
 * confidentiality on the counts). The returned nodes are subtrees of `f` (frozen, not copies).
 *
 * Null when the formula is not such a quotient, or when numerator or denominator are not sums of
 * counts (a linear combination of inputs without a constant term, e.g. `A + B`, `EW - E_65`,
 * `sum(A, B)`, `2 * A`): only then is the sum over the children's numerators the numerator of the
 * summed counts; `(A + 5) / B` or `A * B / C` would not aggregate as Σnum/Σden.
 */
export function ratioParts(f: Formula): RatioParts | null {
  const numerators: FormulaNode[] = [];
  const denominators: FormulaNode[] = [];
  let scale = 1;
  // Walks the top-level chain of * and / (and unary minus), moving constants into the scale.
  const collect = (node: FormulaNode, inDenominator: boolean): void => {
    const c = constantValue(node);
    if (c !== null) scale = inDenominator ? scale / c : scale * c;
    else if (node.type === 'neg') {
      scale = -scale;
      collect(node.arg, inDenominator);
    } else if (node.type === 'binary' && (node.op === '*' || node.op === '/')) {
      collect(node.left, inDenominator);
      collect(node.right, node.op === '/' ? !inDenominator : inDenominator);
    } else (inDenominator ? denominators : numerators).push(node);
  };
  collect(f.ast, false);
  if (numerators.length !== 1 || denominators.length !== 1) return null;
  if (!Number.isFinite(scale) || scale === 0) return null;
  const [numerator] = numerators;
  const [denominator] = denominators;
  if (!isSumOfCounts(numerator) || !isSumOfCounts(denominator)) return null;
  return { scale, numerator, denominator };
}

/** True for a linear combination of inputs without a constant term (so it is additive over areas). */
function isSumOfCounts(node: FormulaNode): boolean {
  switch (node.type) {
    case 'key':
      return true;
    case 'call':
      // count(…) of a point layer is a count; distance(…) is not additive.
      return node.name === 'count' || (node.name === 'sum' && node.args.every(isSumOfCounts));
    case 'neg':
      return isSumOfCounts(node.arg);
    case 'binary':
      switch (node.op) {
        case '+':
        case '-':
          return isSumOfCounts(node.left) && isSumOfCounts(node.right);
        case '*':
          return (
            (constantValue(node.left) !== null && isSumOfCounts(node.right)) ||
            (constantValue(node.right) !== null && isSumOfCounts(node.left))
          );
        case '/': {
          const divisor = constantValue(node.right);
          return divisor !== null && divisor !== 0 && isSumOfCounts(node.left);
        }
      }
      return false;
    case 'field':
      // `sum(L.F)`: a field summed over the points in the area adds up over areas like a count.
      return true;
    default:
      // Constants (`A + 5`) are not additive.
      return false;
  }
}

function finiteOrNull(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
