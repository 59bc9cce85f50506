/**
 * Parser for Kennzahl formulas: a small hand-written tokenizer and recursive-descent parser
 * (no eval, no Function(), no parser generator), so that every error can name its exact
 * position in German.
 *
 * Grammar (usual precedence, binary operators left-associative):
 *   expression := term (('+' | '-') term)*
 *   term       := unary (('*' | '/') unary)*
 *   unary      := '-' unary | primary
 *   primary    := number | key | layer '.' field | name '(' expression (',' expression)* ')' | '(' expression ')'
 * - numbers: digits with an optional '.' and digits (`0.5`, not `.5` or `5.`); a decimal comma
 *   (`1,5`) is rejected with a hint, since in `sum(1,5)` the comma already separates arguments;
 * - keys: `[A-Za-z_][A-Za-z0-9_]*`; `layer.field` (inside sum) and the functions `count`/`distance`
 *   read point layers (the checker checks their shape); `sum` takes ≥ 1 argument;
 *   function names are case-insensitive (stored lower-case), keys are case-sensitive;
 * - `×`, `÷` and the typographic minus `−` (as pasted from office documents) mean `*`, `/`, `-`.
 * Positions are 1-based columns counted in Unicode code points.
 */
import {
  FUNCTION_NAMES,
  FormulaError,
  type BinaryOp,
  type Formula,
  type FormulaNode,
  type FunctionName,
} from './formula-ast.js';

/** Longest formula accepted (code points): far above real formulas, and it bounds recursion depth. */
export const MAX_FORMULA_LENGTH = 1000;

type Token =
  | { kind: 'number'; value: number; pos: number; end: number }
  | { kind: 'name'; name: string; field?: string; pos: number; end: number }
  | { kind: 'op'; op: BinaryOp; pos: number; end: number }
  | { kind: '(' | ')' | ','; pos: number; end: number }
  | { kind: 'end'; pos: number; end: number };

const OPERATORS: ReadonlyMap<string, BinaryOp> = new Map([
  ['+', '+'],
  ['-', '-'],
  ['\u2212', '-'], // − typographic minus
  ['*', '*'],
  ['\u00d7', '*'], // ×
  ['/', '/'],
  ['\u00f7', '/'], // ÷
]);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isNameStart = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z_]$/.test(c);
const isNamePart = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9_]$/.test(c);

/** Parses a formula; throws FormulaError (reason 'syntax' or 'too-long') with the position. */
export function parseFormula(text: string): Formula {
  const chars = Array.from(text);
  if (chars.length > MAX_FORMULA_LENGTH) {
    throw new FormulaError(
      text,
      MAX_FORMULA_LENGTH + 1,
      `Formel zu lang (höchstens ${MAX_FORMULA_LENGTH} Zeichen)`,
      'too-long',
    );
  }
  const parser = new Parser(text, tokenize(text, chars));
  const ast = parser.expression();
  parser.expectEnd();
  return Object.freeze({ text, ast });
}

function tokenize(text: string, chars: string[]): Token[] {
  const fail = (index: number, detail: string): never => {
    throw new FormulaError(text, index + 1, detail, 'syntax');
  };
  const tokens: Token[] = [];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    const start = i;
    if (/\s/u.test(c)) {
      i++;
    } else if (isDigit(c)) {
      while (isDigit(chars[i])) i++;
      if (chars[i] === '.') {
        const dot = i++;
        if (!isDigit(chars[i])) fail(dot, 'Ziffer nach dem Dezimalpunkt erwartet');
        while (isDigit(chars[i])) i++;
      }
      tokens.push({ kind: 'number', value: Number(chars.slice(start, i).join('')), pos: start + 1, end: i });
    } else if (isNameStart(c)) {
      while (isNamePart(chars[i])) i++;
      const name = chars.slice(start, i).join('');
      if (chars[i] === '.') {
        const dot = i++;
        if (!isNameStart(chars[i])) fail(dot, `Feldname nach '${name}.' erwartet`);
        const fieldStart = i;
        while (isNamePart(chars[i])) i++;
        tokens.push({ kind: 'name', name, field: chars.slice(fieldStart, i).join(''), pos: start + 1, end: i });
      } else {
        tokens.push({ kind: 'name', name, pos: start + 1, end: i });
      }
    } else if (OPERATORS.has(c)) {
      tokens.push({ kind: 'op', op: OPERATORS.get(c)!, pos: ++i, end: i });
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, pos: ++i, end: i });
    } else if (c === '.' && isDigit(chars[i + 1])) {
      fail(i, 'Zahl ohne Ziffer vor dem Dezimalpunkt (bitte mit führender Null schreiben, z. B. 0.5)');
    } else {
      fail(i, `unerwartetes Zeichen '${c}'`);
    }
  }
  // The end token sits on the last character, so "Ausdruck erwartet" after a trailing operator
  // points at that operator (`100 * E_65 / ` → position 12), not at invisible trailing space.
  const last = tokens[tokens.length - 1];
  tokens.push({ kind: 'end', pos: last ? last.end : 1, end: last ? last.end : 1 });
  return tokens;
}

class Parser {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private get token(): Token {
    return this.tokens[this.i];
  }

  private fail(pos: number, detail: string): never {
    throw new FormulaError(this.text, pos, detail, 'syntax');
  }

  expression(): FormulaNode {
    let left = this.term();
    for (let t = this.token; t.kind === 'op' && (t.op === '+' || t.op === '-'); t = this.token) {
      this.i++;
      left = node({ type: 'binary', op: t.op, left, right: this.term(), pos: t.pos });
    }
    return left;
  }

  private term(): FormulaNode {
    let left = this.unary();
    for (let t = this.token; t.kind === 'op' && (t.op === '*' || t.op === '/'); t = this.token) {
      this.i++;
      left = node({ type: 'binary', op: t.op, left, right: this.unary(), pos: t.pos });
    }
    return left;
  }

  private unary(): FormulaNode {
    const t = this.token;
    if (t.kind === 'op' && t.op === '-') {
      this.i++;
      return node({ type: 'neg', arg: this.unary(), pos: t.pos });
    }
    return this.primary();
  }

  private primary(): FormulaNode {
    const t = this.token;
    switch (t.kind) {
      case 'number':
        this.i++;
        return node({ type: 'number', value: t.value, pos: t.pos });
      case 'name':
        this.i++;
        if (this.token.kind === '(') return this.call(t);
        if (t.field !== undefined) return node({ type: 'field', layer: t.name, field: t.field, pos: t.pos });
        return node({ type: 'key', key: t.name, pos: t.pos });
      case '(': {
        this.i++;
        const inner = this.expression();
        this.closeParen(t.pos);
        return inner;
      }
      default:
        return this.fail(t.pos, 'Ausdruck erwartet');
    }
  }

  private call(nameToken: Extract<Token, { kind: 'name' }>): FormulaNode {
    const lower = nameToken.name.toLowerCase() as FunctionName;
    if (nameToken.field !== undefined || !FUNCTION_NAMES.includes(lower)) {
      const shown = nameToken.field === undefined ? nameToken.name : `${nameToken.name}.${nameToken.field}`;
      this.fail(nameToken.pos, `unbekannte Funktion '${shown}' (verfügbar: sum, count, distance)`);
    }
    const open = this.token;
    this.i++;
    if (this.token.kind === ')') this.fail(nameToken.pos, `${lower}() braucht mindestens ein Argument`);
    const args = [this.expression()];
    while (this.token.kind === ',') {
      this.i++;
      args.push(this.expression());
    }
    this.closeParen(open.pos);
    return node({ type: 'call', name: lower, args: Object.freeze(args), pos: nameToken.pos });
  }

  private closeParen(openPos: number): void {
    const t = this.token;
    if (t.kind === ')') {
      this.i++;
      return;
    }
    if (t.kind === 'end') this.fail(openPos, "schließende Klammer ')' fehlt zu dieser '('");
    this.unexpected("',' oder ')' erwartet");
  }

  /** After a complete expression: only the end of the text may follow. */
  expectEnd(): void {
    const t = this.token;
    if (t.kind === 'end') return;
    if (t.kind === ')') this.fail(t.pos, "')' ohne öffnende Klammer");
    this.unexpected('Operator erwartet');
  }

  /** An out-of-place token; a comma between two digits is most likely a decimal comma. */
  private unexpected(detail: string): never {
    const t = this.token;
    const before = this.tokens[this.i - 1];
    const after = this.tokens[this.i + 1];
    if (
      t.kind === ',' &&
      before?.kind === 'number' &&
      after?.kind === 'number' &&
      before.end + 1 === t.pos &&
      after.pos === t.pos + 1
    ) {
      this.fail(t.pos, 'Dezimalkomma: bitte einen Punkt als Dezimaltrennzeichen schreiben (1.5 statt 1,5)');
    }
    if (t.kind === ',') this.fail(t.pos, "',' nur zwischen Argumenten einer Funktion erlaubt");
    return this.fail(t.pos, detail);
  }
}

function node<T extends FormulaNode>(n: T): T {
  return Object.freeze(n);
}
