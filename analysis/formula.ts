/**
 * Kennzahl formulas: indicators defined by planners as a formula over base counts (Grunddaten)
 * of the same area and period, e.g. `100 * E_65 / EW` or `100 * sum(E_U6, E_6_15) / EW`.
 *
 * Pure code, no I/O: the text is parsed by a hand-written parser into a frozen tree (never eval,
 * never Function(), never SQL text), checked against the indicator catalog (keys exist, inputs are
 * counts, no constant division by zero), ordered (no cycles) and evaluated on the counts the
 * database has summed for an area, so a parent level's value is the formula of the parent's sums.
 * This module is the entry point; the parts live in `formula-*.ts`:
 * - formula-ast.ts     tree types, FormulaError, formulaKeys
 * - formula-parse.ts   parseFormula
 * - formula-check.ts   checkFormula, formulaProblems, formulaOrder
 * - formula-eval.ts    evaluateFormula, evaluateNode, ratioParts
 * - formula-format.ts  formatFormula (canonical text for storage and display)
 */
export {
  FormulaError,
  formulaKeys,
  formulaPointInputs,
  type PointInput,
  type BinaryOp,
  type Formula,
  type FormulaErrorReason,
  type FormulaNode,
  type FunctionName,
  type Node,
} from './formula-ast.js';
export { MAX_FORMULA_LENGTH, parseFormula } from './formula-parse.js';
export {
  checkFormula,
  formulaOrder,
  formulaProblems,
  type CatalogEntry,
  type CatalogKind,
  type CheckOptions,
} from './formula-check.js';
export {
  constantValue,
  evaluateFormula,
  evaluateNode,
  ratioParts,
  type FormulaLookup,
  type RatioParts,
} from './formula-eval.js';
export { formatFormula, formatNode } from './formula-format.js';
