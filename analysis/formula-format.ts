/**
 * Canonical text of a formula, for storage and display: ASCII operators with single spaces
 * (`100 * E_65 / EW`), lower-case function names, numbers in plain decimal notation, and only the
 * parentheses the tree needs. Parsing the canonical text gives the same tree again (positions
 * aside), so two spellings of one formula (`100×E_65÷EW`) store as one text.
 */
import type { Formula, FormulaNode } from './formula-ast.js';

/** Binding strength: sums < products < unary minus < atoms. */
const PRECEDENCE = { sum: 1, product: 2, unary: 3, atom: 4 } as const;

export function formatFormula(f: Formula): string {
  return formatNode(f.ast);
}

export function formatNode(node: FormulaNode): string {
  return format(node).text;
}

function format(node: FormulaNode): { text: string; precedence: number } {
  switch (node.type) {
    case 'number':
      return node.value < 0 || Object.is(node.value, -0)
        ? { text: `-${plainNumber(-node.value)}`, precedence: PRECEDENCE.unary }
        : { text: plainNumber(node.value), precedence: PRECEDENCE.atom };
    case 'key':
      return { text: node.key, precedence: PRECEDENCE.atom };
    case 'field':
      return { text: `${node.layer}.${node.field}`, precedence: PRECEDENCE.atom };
    case 'call':
      return { text: `${node.name}(${node.args.map(formatNode).join(', ')})`, precedence: PRECEDENCE.atom };
    case 'neg':
      return { text: `-${wrap(node.arg, PRECEDENCE.unary)}`, precedence: PRECEDENCE.unary };
    case 'binary': {
      const precedence = node.op === '+' || node.op === '-' ? PRECEDENCE.sum : PRECEDENCE.product;
      // Left-associative: a right operand of equal strength keeps its parentheses, for `-` and `/`
      // because the value depends on them, for `+` and `*` so the tree (and rounding) stays the same.
      return { text: `${wrap(node.left, precedence)} ${node.op} ${wrap(node.right, precedence + 1)}`, precedence };
    }
  }
}

function wrap(node: FormulaNode, minPrecedence: number): string {
  const { text, precedence } = format(node);
  return precedence >= minPrecedence ? text : `(${text})`;
}

/**
 * A non-negative finite number in the notation the parser reads: JavaScript's shortest
 * round-trip digits, with an exponent (`1e-7`, `1e+21`) written out as plain decimals.
 */
export function plainNumber(value: number): string {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not a plain non-negative number: ${value}`);
  const s = String(value);
  const match = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!match) return s;
  const digits = match[1] + (match[2] ?? '');
  const pointAt = 1 + Number(match[3]); // digits before the decimal point
  if (pointAt <= 0) return `0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return digits + '0'.repeat(pointAt - digits.length);
  return `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}
