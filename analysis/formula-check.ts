/**
 * Checks of Kennzahl formulas against the indicator catalog, and the order in which formula
 * indicators must be computed.
 *
 * A formula may only read counts (kind 'count': Grunddaten, or formula indicators that are counts
 * themselves), because a parent level's value is the formula applied to the parent's SUMMED inputs:
 * rates, indexes, classes and mean values cannot be summed, so a formula over them would give wrong
 * values on every level above the lowest. Constant divisors that fold to zero are rejected too.
 * Point-layer constructs must have their shape: `count(L)` and `distance(L)` with one layer name,
 * `L.F` only as an argument of sum(); with `pointLayers` the layers and fields are looked up too.
 */
import {
  FormulaError,
  childrenOf,
  formulaKeys,
  isPointLayerNode,
  type Formula,
  type FormulaNode,
} from './formula-ast.js';
import { constantValue } from './formula-eval.js';
import { formatNode } from './formula-format.js';

export type CatalogKind = 'rate' | 'count' | 'index' | 'class' | 'mean';

export interface CatalogEntry {
  kind: CatalogKind;
  /** The indicator's own formula, when it is a formula indicator (not needed for the check). */
  formula?: string | null;
}

export interface CheckOptions {
  /** Accept `count(…)`, `distance(…)` and `layer.field` (default true; false rejects them as 'reserved'). */
  allowPointLayers?: boolean;
  /**
   * The point layers there are: key → the attribute names of its points (null: not known). When
   * given, an unknown layer or field is a problem; when absent, only the shape is checked.
   */
  pointLayers?: ReadonlyMap<string, ReadonlySet<string> | null>;
}

/** How the kind of a non-count input is named in the German message. */
const KIND_NAMES: Readonly<Record<Exclude<CatalogKind, 'count'>, string>> = {
  rate: 'eine Quote (rate)',
  index: 'ein Index (index)',
  class: 'eine Klasse (class)',
  mean: 'ein Mittelwert (mean)',
};

/** Throws the first problem (by position) of `formulaProblems`; returns quietly for a sound formula. */
export function checkFormula(f: Formula, catalog: ReadonlyMap<string, CatalogEntry>, options: CheckOptions = {}): void {
  const [first] = formulaProblems(f, catalog, options);
  if (first) throw first;
}

/** Every problem of a formula against the catalog, ordered by position (for showing them all at once). */
export function formulaProblems(
  f: Formula,
  catalog: ReadonlyMap<string, CatalogEntry>,
  options: CheckOptions = {},
): FormulaError[] {
  const allowPointLayers = options.allowPointLayers ?? true;
  const problems: FormulaError[] = [];
  const problem = (pos: number, detail: string, reason: FormulaError['reason'], key?: string): void => {
    problems.push(new FormulaError(f.text, pos, detail, reason, key));
  };
  const layer = (name: string, pos: number): ReadonlySet<string> | null | undefined => {
    const layers = options.pointLayers;
    if (!layers) return null;
    if (!layers.has(name)) {
      const known = [...layers.keys()].sort();
      problem(
        pos,
        `unbekannter Punktlayer '${name}'${known.length ? ` (vorhanden: ${known.join(', ')})` : ' (noch keine Punktlayer importiert)'}`,
        'unknown-layer',
        name,
      );
      return undefined;
    }
    return layers.get(name) ?? null;
  };
  const visit = (node: FormulaNode, parent?: FormulaNode): void => {
    if (isPointLayerNode(node)) {
      // The arguments name point layers, not indicators: nothing in them to look up in the catalog.
      if (!allowPointLayers) {
        problem(node.pos, `'${pointLayerLabel(node)}' ist noch nicht verfügbar (Punktlayer)`, 'reserved');
      } else if (node.type === 'field') {
        if (parent?.type !== 'call' || parent.name !== 'sum') {
          problem(
            node.pos,
            `'${node.layer}.${node.field}' nur innerhalb von sum(…): sum(${node.layer}.${node.field}) summiert das Feld über die Punkte im Gebiet`,
            'point-syntax',
          );
        } else {
          const fields = layer(node.layer, node.pos);
          if (fields && !fields.has(node.field)) {
            problem(
              node.pos,
              `Punktlayer '${node.layer}' hat kein Feld '${node.field}'`,
              'unknown-field',
              `${node.layer}.${node.field}`,
            );
          }
        }
      } else if (node.type === 'call') {
        const [arg] = node.args;
        if (node.args.length !== 1 || arg.type !== 'key') {
          problem(
            node.pos,
            `${node.name}(…) braucht genau einen Punktlayer als Argument, z. B. ${node.name}(kitas)`,
            'point-syntax',
          );
        } else layer(arg.key, arg.pos);
      }
      return;
    }
    if (node.type === 'key') {
      const entry = catalog.get(node.key);
      if (!entry)
        problem(node.pos, `unbekannte Kennzahl '${node.key}'${suggestion(node.key, catalog)}`, 'unknown-key', node.key);
      else if (entry.kind !== 'count') {
        problem(
          node.pos,
          `'${node.key}' ist ${KIND_NAMES[entry.kind]}, keine Anzahl: nur Anzahlen lassen sich summieren, ` +
            'eine Formel darüber ergäbe auf höheren Ebenen falsche Werte',
          'kind',
          node.key,
        );
      }
    }
    if (node.type === 'binary' && node.op === '/' && constantValue(node.right) === 0) {
      problem(node.pos, `Division durch 0 ('${formatNode(node.right)}' ist immer 0)`, 'division-by-zero');
    }
    childrenOf(node).forEach((child) => visit(child, node));
  };
  visit(f.ast);
  return problems.sort((a, b) => a.position - b.position);
}

/**
 * The formula indicators in an order where each comes after every formula indicator it reads
 * (dependencies first; otherwise in the map's order). Keys a formula reads that are not in `defs`
 * are inputs; when `catalogKeys` is given, a key in neither throws 'unknown-key'. A cycle throws
 * 'cycle', naming it from the member that comes first in `defs` (`A → B → A`), at the position of
 * the next member's key in that member's formula.
 */
export function formulaOrder(defs: ReadonlyMap<string, Formula>, catalogKeys?: Iterable<string>): string[] {
  if (catalogKeys !== undefined) {
    const known = new Set(catalogKeys);
    for (const f of defs.values()) {
      for (const key of formulaKeys(f)) {
        if (!defs.has(key) && !known.has(key))
          throw new FormulaError(f.text, keyPosition(f.ast, key), `unbekannte Kennzahl '${key}'`, 'unknown-key', key);
      }
    }
  }
  const defOrder = new Map([...defs.keys()].map((k, i) => [k, i]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const order: string[] = [];
  const visit = (key: string): void => {
    state.set(key, 'visiting');
    stack.push(key);
    for (const dep of formulaKeys(defs.get(key)!)) {
      if (!defs.has(dep)) continue;
      if (state.get(dep) === 'visiting') throw cycleError(stack.slice(stack.indexOf(dep)), defs, defOrder);
      if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(key, 'done');
    order.push(key);
  };
  for (const key of defs.keys()) if (!state.has(key)) visit(key);
  return order;
}

/** `members[i]` reads `members[i + 1]` (and the last reads the first). */
function cycleError(
  members: string[],
  defs: ReadonlyMap<string, Formula>,
  defOrder: ReadonlyMap<string, number>,
): FormulaError {
  let start = 0;
  members.forEach((m, i) => {
    if (defOrder.get(m)! < defOrder.get(members[start])!) start = i;
  });
  const cycle = [...members.slice(start), ...members.slice(0, start)];
  const first = defs.get(cycle[0])!;
  const next = cycle[1 % cycle.length];
  return new FormulaError(
    first.text,
    keyPosition(first.ast, next),
    `Zirkelbezug ${[...cycle, cycle[0]].join(' → ')}`,
    'cycle',
    next,
  );
}

/** Column of the first occurrence of an indicator key (outside point-layer constructs). */
function keyPosition(root: FormulaNode, key: string): number {
  const find = (node: FormulaNode): number | null => {
    if (node.type === 'key') return node.key === key ? node.pos : null;
    if (isPointLayerNode(node)) return null;
    for (const child of childrenOf(node)) {
      const pos = find(child);
      if (pos !== null) return pos;
    }
    return null;
  };
  return find(root) ?? 1;
}

function pointLayerLabel(node: FormulaNode): string {
  if (node.type === 'field') return `${node.layer}.${node.field}`;
  return node.type === 'call' ? `${node.name}(…)` : formatNode(node);
}

/** " (meinten Sie 'EW'?)" when the catalog has the key in another letter case. */
function suggestion(key: string, catalog: ReadonlyMap<string, CatalogEntry>): string {
  const lower = key.toLowerCase();
  for (const k of catalog.keys()) if (k.toLowerCase() === lower) return ` (meinten Sie '${k}'?)`;
  return '';
}
