/**
 * The syntax tree of a Kennzahl formula (e.g. `100 * E_65 / EW`) and the one error type every
 * formula step throws. Shared by the parser, checker, evaluator and formatter in the
 * `formula-*.ts` modules; `formula.ts` is the public entry point.
 *
 * Nodes are plain frozen objects, so a parsed formula can be cached and handed around (also as
 * subtrees, see `ratioParts`) without anyone changing it. Every node carries `pos`, the 1-based
 * character column it starts at (for operators: the operator's column), so that checks after
 * parsing can still point at the offending place in the text.
 */

export type BinaryOp = '+' | '-' | '*' | '/';

/**
 * `sum(…)` adds its arguments (a `layer.field` argument: the field summed over the layer's points in
 * the area); `count(layer)` counts the points in the area; `distance(layer)` is the distance in
 * metres from the area to the nearest point (geodata/values/point-inputs.ts computes all three).
 */
export type FunctionName = 'sum' | 'count' | 'distance';
export const FUNCTION_NAMES: readonly FunctionName[] = ['sum', 'count', 'distance'];

export type FormulaNode =
  | { readonly type: 'number'; readonly value: number; readonly pos: number }
  /** An indicator key (a Grunddatum or another formula indicator of kind count). */
  | { readonly type: 'key'; readonly key: string; readonly pos: number }
  /** `layer.field` of a point layer: only as an argument of sum(), the field summed over the points. */
  | { readonly type: 'field'; readonly layer: string; readonly field: string; readonly pos: number }
  | { readonly type: 'neg'; readonly arg: FormulaNode; readonly pos: number }
  | {
      readonly type: 'binary';
      readonly op: BinaryOp;
      readonly left: FormulaNode;
      readonly right: FormulaNode;
      readonly pos: number;
    }
  | { readonly type: 'call'; readonly name: FunctionName; readonly args: readonly FormulaNode[]; readonly pos: number };

/** Short alias used in the API description (shadows the DOM's `Node` only where imported). */
export type Node = FormulaNode;

/** A parsed formula: the text it came from and its tree. */
export interface Formula {
  readonly text: string;
  readonly ast: FormulaNode;
}

/** Why a formula was rejected (for API error details and tests; the message is for people). */
export type FormulaErrorReason =
  | 'syntax'
  | 'too-long'
  | 'unknown-key'
  | 'kind'
  | 'division-by-zero'
  | 'reserved'
  | 'cycle'
  /** count()/distance() without exactly one layer name, or `layer.field` outside sum(). */
  | 'point-syntax'
  | 'unknown-layer'
  | 'unknown-field';

/**
 * A formula that cannot be parsed, checked or ordered. The message names the formula and the
 * position: `Formel '100 * E_65 / ' : Ausdruck erwartet an Position 12`.
 */
export class FormulaError extends Error {
  /** The formula text as given. */
  readonly formula: string;
  /** 1-based character column the problem is at. */
  readonly position: number;
  /** The indicator key concerned (unknown key, wrong kind, cycle), when there is one. */
  readonly key?: string;
  readonly reason: FormulaErrorReason;
  /** The message without the "Formel '…' :" prefix and the position, for inline display. */
  readonly detail: string;

  constructor(formula: string, position: number, detail: string, reason: FormulaErrorReason, key?: string) {
    super(`Formel '${formula}' : ${detail} an Position ${position}`);
    this.name = 'FormulaError';
    this.formula = formula;
    this.position = position;
    this.detail = detail;
    this.reason = reason;
    if (key !== undefined) this.key = key;
  }
}

/** The children of a node, in source order. */
export function childrenOf(node: FormulaNode): readonly FormulaNode[] {
  switch (node.type) {
    case 'neg':
      return [node.arg];
    case 'binary':
      return [node.left, node.right];
    case 'call':
      return node.args;
    default:
      return [];
  }
}

/** Point-layer constructs: `count(…)`, `distance(…)` and `layer.field`. */
export function isPointLayerNode(node: FormulaNode): boolean {
  return node.type === 'field' || (node.type === 'call' && node.name !== 'sum');
}

/**
 * The indicator keys a formula reads: unique, in order of appearance. Names inside point-layer
 * constructs (`count(kita)`) are layer references, not indicator keys, and are not listed.
 */
export function formulaKeys(f: Formula | FormulaNode): string[] {
  const keys = new Set<string>();
  const visit = (node: FormulaNode): void => {
    if (node.type === 'key') keys.add(node.key);
    else if (!isPointLayerNode(node)) childrenOf(node).forEach(visit);
  };
  visit('ast' in f ? f.ast : f);
  return [...keys];
}

/** One point-layer input of a formula: what the value engine computes per area and hands in by `key`. */
export interface PointInput {
  /** The lookup key: canonical text `count(kitas)`, `distance(pflege)`, or `kitas.e_platz` for sum(kitas.e_platz). */
  readonly key: string;
  readonly kind: 'count' | 'sum' | 'distance';
  readonly layer: string;
  /** sum only: the summed attribute. */
  readonly field?: string;
}

/**
 * The point-layer inputs of a formula, unique by key, in order of appearance: `count(L)` and
 * `distance(L)` with one layer name, and each `L.F` (summed over the points; the checker allows it
 * only inside sum()). Malformed calls (no layer name) are left out: the checker reports them.
 */
export function formulaPointInputs(f: Formula | FormulaNode): PointInput[] {
  const out = new Map<string, PointInput>();
  const visit = (node: FormulaNode): void => {
    if (node.type === 'field') {
      const key = `${node.layer}.${node.field}`;
      if (!out.has(key)) out.set(key, { key, kind: 'sum', layer: node.layer, field: node.field });
      return;
    }
    if (node.type === 'call' && node.name !== 'sum') {
      const [arg] = node.args;
      if (node.args.length === 1 && arg.type === 'key') {
        const key = `${node.name}(${arg.key})`;
        if (!out.has(key)) out.set(key, { key, kind: node.name, layer: arg.key });
      }
      return;
    }
    childrenOf(node).forEach(visit);
  };
  visit('ast' in f ? f.ast : f);
  return [...out.values()];
}
