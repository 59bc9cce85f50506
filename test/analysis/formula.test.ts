import { describe, expect, it } from 'vitest';
import {
  FormulaError,
  MAX_FORMULA_LENGTH,
  checkFormula,
  evaluateFormula,
  evaluateNode,
  formatFormula,
  formatNode,
  formulaKeys,
  formulaOrder,
  formulaProblems,
  parseFormula,
  ratioParts,
  type CatalogEntry,
  type Formula,
  type FormulaNode,
} from '../../analysis/formula.js';
import { plainNumber } from '../../analysis/formula-format.js';
import { Prng } from '../../analysis/prng.js';

/** One Planungsraum's Grunddaten (Einwohner, 65+, under 6, 6–15, 15–18). */
const PLR = { EW: 3406, E_65: 742, E_U6: 201, E_6_15: 288, E_15_18: 97 };
const lookupIn =
  (counts: Record<string, number | null>) =>
  (key: string): number | null | undefined =>
    counts[key];
const value = (text: string, counts: Record<string, number | null> = PLR): number | null =>
  evaluateFormula(parseFormula(text), lookupIn(counts));

/** The error a call throws (fails the test when it does not throw a FormulaError). */
function formulaError(fn: () => unknown): FormulaError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw e;
  }
  throw new Error('expected a FormulaError');
}

/** The tree without positions, to compare structure. */
function shape(node: FormulaNode): unknown {
  switch (node.type) {
    case 'number':
      return node.value;
    case 'key':
      return node.key;
    case 'field':
      return `${node.layer}.${node.field}`;
    case 'neg':
      return ['neg', shape(node.arg)];
    case 'binary':
      return [node.op, shape(node.left), shape(node.right)];
    case 'call':
      return [node.name, ...node.args.map(shape)];
  }
}

const CATALOG: ReadonlyMap<string, CatalogEntry> = new Map<string, CatalogEntry>([
  ['EW', { kind: 'count' }],
  ['E_65', { kind: 'count' }],
  ['E_U6', { kind: 'count' }],
  ['E_6_15', { kind: 'count' }],
  ['E_15_18', { kind: 'count' }],
  ['E_U18', { kind: 'count', formula: 'E_U6 + E_6_15 + E_15_18' }],
  ['ANT_65', { kind: 'rate', formula: '100 * E_65 / EW' }],
  ['STATUS', { kind: 'index' }],
  ['STATUS_KL', { kind: 'class' }],
  ['WOHNDAUER', { kind: 'mean' }],
]);

describe('parseFormula: precedence and associativity', () => {
  it('binds * and / tighter than + and -, and evaluates left to right', () => {
    expect(value('10 - 4 - 3')).toBe(3);
    expect(value('2 * 3 + 4')).toBe(10);
    expect(value('2 + 3 * 4')).toBe(14);
    expect(value('100 / 10 / 5')).toBe(2);
    expect(value('(2 + 3) * 4')).toBe(20);
    expect(value('10 - (4 - 3)')).toBe(9);
    expect(shape(parseFormula('10 - 4 - 3').ast)).toEqual(['-', ['-', 10, 4], 3]);
    expect(shape(parseFormula('2 * 3 + 4').ast)).toEqual(['+', ['*', 2, 3], 4]);
  });

  it('reads unary minus as binding tighter than * and allows it after an operator', () => {
    expect(shape(parseFormula('-2 * 3').ast)).toEqual(['*', ['neg', 2], 3]);
    expect(value('-2 * 3')).toBe(-6);
    expect(value('2 - -3')).toBe(5);
    expect(value('--4')).toBe(4);
    expect(value('-(2 + 3) * 2')).toBe(-10);
  });

  it('parses 100 * E_65 / EW as (100 * E_65) / EW and records 1-based positions', () => {
    const ast = parseFormula('100 * E_65 / EW').ast;
    expect(ast).toMatchObject({
      type: 'binary',
      op: '/',
      pos: 12,
      left: { type: 'binary', op: '*', pos: 5, left: { value: 100, pos: 1 }, right: { key: 'E_65', pos: 7 } },
      right: { key: 'EW', pos: 14 },
    });
  });

  it('accepts × and ÷ (and the typographic minus −) as * / -', () => {
    expect(shape(parseFormula('100 × E_65 ÷ EW').ast)).toEqual(shape(parseFormula('100 * E_65 / EW').ast));
    expect(value('100×E_65÷EW')).toBe((100 * 742) / 3406);
    expect(value('EW − E_65')).toBe(3406 - 742);
  });

  it('ignores whitespace of any kind, including line breaks, tabs and no-break spaces', () => {
    const compact = parseFormula('100*sum(E_U6,E_6_15,E_15_18)/EW');
    const spaced = parseFormula(' 100\t*\n sum( E_U6 ,\u00a0E_6_15 , E_15_18 )  /  EW ');
    expect(shape(spaced.ast)).toEqual(shape(compact.ast));
    expect(formatFormula(spaced)).toBe('100 * sum(E_U6, E_6_15, E_15_18) / EW');
  });

  it('reads decimals with a point, function names in any case, and sum(1,5) as two arguments', () => {
    expect(value('0.5 * EW')).toBe(1703);
    expect(value('2.25 + 0.75')).toBe(3);
    expect(value('SUM(E_U6, E_6_15)')).toBe(489);
    expect(parseFormula('Sum(E_U6)').ast).toMatchObject({ type: 'call', name: 'sum' });
    expect(value('sum(1,5)')).toBe(6);
  });

  it('parses the reserved point-layer forms into the tree', () => {
    expect(shape(parseFormula('count(kita) / E_U6 * 1000').ast)).toEqual(['*', ['/', ['count', 'kita'], 'E_U6'], 1000]);
    expect(shape(parseFormula('distance(schule)').ast)).toEqual(['distance', 'schule']);
    expect(parseFormula('kita.plaetze / E_U6').ast).toMatchObject({
      left: { type: 'field', layer: 'kita', field: 'plaetze', pos: 1 },
    });
  });
});

describe('parseFormula: syntax errors name the formula and the exact position', () => {
  const cases: [text: string, position: number, detail: string][] = [
    ['100 * E_65 / ', 12, 'Ausdruck erwartet'],
    ['', 1, 'Ausdruck erwartet'],
    ['E_65 * * EW', 8, 'Ausdruck erwartet'],
    ['100 * (E_65 / EW', 7, "schließende Klammer ')' fehlt zu dieser '('"],
    ['E_65 / EW)', 10, "')' ohne öffnende Klammer"],
    ['100 * E_65 % EW', 12, "unerwartetes Zeichen '%'"],
    ['2 EW', 3, 'Operator erwartet'],
    ['2(EW)', 2, 'Operator erwartet'],
    ['1,5 * EW', 2, 'Dezimalkomma: bitte einen Punkt als Dezimaltrennzeichen schreiben (1.5 statt 1,5)'],
    ['(1,5) * EW', 3, 'Dezimalkomma: bitte einen Punkt als Dezimaltrennzeichen schreiben (1.5 statt 1,5)'],
    ['E_65, EW', 5, "',' nur zwischen Argumenten einer Funktion erlaubt"],
    ['5. * EW', 2, 'Ziffer nach dem Dezimalpunkt erwartet'],
    ['.5 * EW', 1, 'Zahl ohne Ziffer vor dem Dezimalpunkt (bitte mit führender Null schreiben, z. B. 0.5)'],
    ['E_65 / EW.', 10, "Feldname nach 'EW.' erwartet"],
    ['avg(E_65, EW)', 1, "unbekannte Funktion 'avg' (verfügbar: sum, count, distance)"],
    ['10 * kita.sum(EW)', 6, "unbekannte Funktion 'kita.sum' (verfügbar: sum, count, distance)"],
    ['100 * sum() / EW', 7, 'sum() braucht mindestens ein Argument'],
    ['sum(E_U6 E_6_15)', 10, "',' oder ')' erwartet"],
    ['sum(E_U6, E_6_15', 4, "schließende Klammer ')' fehlt zu dieser '('"],
    ['+EW', 1, 'Ausdruck erwartet'],
    ['EW ^ 2', 4, "unerwartetes Zeichen '^'"],
    ['Ä_65 / EW', 1, "unerwartetes Zeichen 'Ä'"],
  ];
  it.each(cases)('%j → position %i', (text, position, detail) => {
    const e = formulaError(() => parseFormula(text));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('FormulaError');
    expect(e.reason).toBe('syntax');
    expect(e.formula).toBe(text);
    expect(e.position).toBe(position);
    expect(e.detail).toBe(detail);
    expect(e.key).toBeUndefined();
    expect(e.message).toBe(`Formel '${text}' : ${detail} an Position ${position}`);
  });

  it('gives the message of the example exactly', () => {
    expect(() => parseFormula('100 * E_65 / ')).toThrow("Formel '100 * E_65 / ' : Ausdruck erwartet an Position 12");
  });

  it('counts characters, not UTF-16 units, and shows a character outside the BMP whole', () => {
    // '𝟙' is one character but two UTF-16 code units.
    const e = formulaError(() => parseFormula('EW × 2 + 𝟙'));
    expect(e.position).toBe(10);
    expect(e.detail).toBe("unerwartetes Zeichen '𝟙'");
    const long = `${'1+'.repeat(499)}1`; // 999 characters
    expect(value(long)).toBe(500);
    expect(formulaError(() => parseFormula(`${long}+`)).position).toBe(1000);
  });

  it('rejects formulas over the length limit before parsing them', () => {
    const long = Array.from({ length: 600 }, () => 'EW').join('+'); // 1799 characters
    const e = formulaError(() => parseFormula(long));
    expect(e.reason).toBe('too-long');
    expect(e.position).toBe(MAX_FORMULA_LENGTH + 1);
    expect(e.detail).toBe('Formel zu lang (höchstens 1000 Zeichen)');
    const fits = Array.from({ length: 333 }, () => 'EW').join('+'); // 998 characters
    expect(value(fits)).toBe(333 * 3406);
    // Deep nesting within the limit neither overflows the stack nor loses the value.
    expect(value(`${'('.repeat(450)}EW${')'.repeat(450)}`)).toBe(3406);
  });
});

describe('formulaKeys', () => {
  it('lists the keys read, unique, in order of appearance, without point-layer names', () => {
    expect(formulaKeys(parseFormula('100 * sum(E_U6, E_6_15, E_15_18) / EW'))).toEqual([
      'E_U6',
      'E_6_15',
      'E_15_18',
      'EW',
    ]);
    expect(formulaKeys(parseFormula('(EW - E_65) / EW + E_65 / EW'))).toEqual(['EW', 'E_65']);
    expect(formulaKeys(parseFormula('count(kita) + kita.plaetze + E_U6'))).toEqual(['E_U6']);
    expect(formulaKeys(parseFormula('100'))).toEqual([]);
  });
});

describe('evaluateFormula on Berlin-style counts', () => {
  it('computes the shares of one Planungsraum', () => {
    // Anteil 65+: 100 · 742 / 3406 = 74200 / 3406 = 21.785 085 143 9 %
    expect(value('100 * E_65 / EW')).toBeCloseTo(21.7850851439, 9);
    // Anteil unter 15: (201 + 288) / 3406 · 100 = 48900 / 3406 = 14.357 017 028 8 %
    expect(value('(E_U6 + E_6_15) / EW * 100')).toBeCloseTo(14.3570170288, 9);
    // Anteil unter 18: 100 · (201 + 288 + 97) / 3406 = 58600 / 3406 = 17.204 932 472 1 %
    expect(value('100 * sum(E_U6, E_6_15, E_15_18) / EW')).toBeCloseTo(17.2049324721, 9);
    // Erwerbsfähiges Alter 18–65 as a count: 3406 − 742 − 201 − 288 − 97 = 2078
    expect(value('EW - E_65 - sum(E_U6, E_6_15, E_15_18)')).toBe(2078);
  });

  it('evaluates a parent as the formula of the summed counts, not the mean of the children', () => {
    const children = [
      { EW: 3406, E_65: 742 },
      { EW: 812, E_65: 95 },
      { EW: 5120, E_65: 1610 },
    ];
    const f = parseFormula('100 * E_65 / EW');
    const rates = children.map((c) => evaluateFormula(f, lookupIn(c))!);
    expect(rates[0]).toBeCloseTo(21.7850851439, 9); // 74200 / 3406
    expect(rates[1]).toBeCloseTo(11.6995073892, 9); // 9500 / 812
    expect(rates[2]).toBeCloseTo(31.4453125, 12); // 161000 / 5120
    const parent = { EW: 3406 + 812 + 5120, E_65: 742 + 95 + 1610 }; // 9338, 2447
    const parentRate = evaluateFormula(f, lookupIn(parent))!;
    expect(parentRate).toBeCloseTo(26.2047547655, 9); // 244700 / 9338
    // The same as Σnumerator / Σdenominator of the children ...
    const parts = ratioParts(f)!;
    const sumOver = (node: FormulaNode) => children.reduce((s, c) => s + evaluateNode(node, lookupIn(c))!, 0);
    expect((parts.scale * sumOver(parts.numerator)) / sumOver(parts.denominator)).toBeCloseTo(parentRate, 12);
    // ... and clearly not the unweighted mean of the children's rates (21.643 %): populations differ.
    const meanOfRates = rates.reduce((a, b) => a + b, 0) / rates.length;
    expect(meanOfRates).toBeCloseTo(21.6433016777, 9);
    expect(parentRate - meanOfRates).toBeCloseTo(4.5614530878, 9);
  });

  it('gives null for a missing input, never a guess', () => {
    expect(value('100 * E_65 / EW', { EW: 3406, E_65: null })).toBeNull();
    expect(value('100 * E_65 / EW', { EW: 3406 })).toBeNull(); // undefined
    expect(value('0 * E_65 + EW', { EW: 3406 })).toBeNull();
    expect(value('sum(E_U6, E_6_15)', { E_U6: 201 })).toBeNull(); // sum is strict, unlike SQL SUM
    expect(value('E_65 / EW', { EW: Number.NaN, E_65: 1 })).toBeNull();
    expect(value('E_65 / EW', { EW: Number.POSITIVE_INFINITY, E_65: 1 })).toBeNull();
  });

  it('gives null for a division by zero at run time, never Infinity or NaN', () => {
    expect(value('100 * E_65 / EW', { EW: 0, E_65: 0 })).toBeNull();
    expect(value('100 * E_65 / EW', { EW: 0, E_65: 5 })).toBeNull();
    expect(value('EW / (E_65 - E_65)')).toBeNull();
    expect(value('1 / (1 / (EW - EW))')).toBeNull();
    expect(value('0 * (1 / (EW - EW))')).toBeNull();
    // Overflow is not a value either.
    expect(value('EW * EW', { EW: 1e200 })).toBeNull();
  });

  it('hands point-layer inputs to the lookup by their canonical text', () => {
    const counts = { E_U6: 201, 'count(kita)': 4, 'kita.plaetze': 180 };
    expect(value('count( kita ) / E_U6 * 1000', counts)).toBeCloseTo(19.9004975124, 9); // 4000 / 201
    expect(value('kita.plaetze / E_U6 * 100', counts)).toBeCloseTo(89.552238806, 9); // 18000 / 201
    expect(value('distance(schule)', counts)).toBeNull();
  });

  it('never returns negative zero', () => {
    expect(Object.is(value('-(EW - EW)'), 0)).toBe(true);
  });
});

describe('checkFormula', () => {
  it('accepts formulas over counts, including a formula indicator of kind count', () => {
    expect(() => checkFormula(parseFormula('100 * E_65 / EW'), CATALOG)).not.toThrow();
    expect(() => checkFormula(parseFormula('100 * E_U18 / EW'), CATALOG)).not.toThrow();
    expect(() => checkFormula(parseFormula('EW / (2 - 1)'), CATALOG)).not.toThrow();
  });

  it('rejects an unknown key at its position, with a hint for another letter case', () => {
    const e = formulaError(() => checkFormula(parseFormula('100 * E_66 / EW'), CATALOG));
    expect(e).toMatchObject({ reason: 'unknown-key', key: 'E_66', position: 7, formula: '100 * E_66 / EW' });
    expect(e.message).toBe("Formel '100 * E_66 / EW' : unbekannte Kennzahl 'E_66' an Position 7");
    const cased = formulaError(() => checkFormula(parseFormula('100 * E_65 / ew'), CATALOG));
    expect(cased).toMatchObject({ key: 'ew', position: 14, detail: "unbekannte Kennzahl 'ew' (meinten Sie 'EW'?)" });
  });

  it.each([
    ['ANT_65', 'eine Quote (rate)'],
    ['STATUS', 'ein Index (index)'],
    ['STATUS_KL', 'eine Klasse (class)'],
    ['WOHNDAUER', 'ein Mittelwert (mean)'],
  ])('rejects %s as an input because it is %s, not a count', (key, kindName) => {
    const text = `EW * ${key} / 100`;
    const e = formulaError(() => checkFormula(parseFormula(text), CATALOG));
    expect(e.reason).toBe('kind');
    expect(e.key).toBe(key);
    expect(e.position).toBe(6);
    expect(e.detail).toBe(
      `'${key}' ist ${kindName}, keine Anzahl: nur Anzahlen lassen sich summieren, eine Formel darüber ergäbe auf höheren Ebenen falsche Werte`,
    );
  });

  it('rejects a divisor that folds to the constant zero, at the division sign', () => {
    const e = formulaError(() => checkFormula(parseFormula('EW / (2 - 2)'), CATALOG));
    expect(e).toMatchObject({
      reason: 'division-by-zero',
      position: 4,
      detail: "Division durch 0 ('2 - 2' ist immer 0)",
    });
    expect(e.key).toBeUndefined();
    expect(formulaError(() => checkFormula(parseFormula('100 * E_65 / 0'), CATALOG)).position).toBe(12);
    expect(formulaError(() => checkFormula(parseFormula('E_65 / (0 * 7) * 100'), CATALOG)).position).toBe(6);
    expect(formulaError(() => checkFormula(parseFormula('E_65 / sum(1, -1)'), CATALOG)).position).toBe(6);
    // A divisor that reads inputs is not constant, even if it happens to be zero: null at run time.
    expect(() => checkFormula(parseFormula('EW / (E_65 - E_65)'), CATALOG)).not.toThrow();
  });

  it('rejects point-layer forms when they are switched off', () => {
    const off = { allowPointLayers: false };
    const count = formulaError(() => checkFormula(parseFormula('count(kita) / E_U6 * 1000'), CATALOG, off));
    expect(count).toMatchObject({
      reason: 'reserved',
      position: 1,
      detail: "'count(…)' ist noch nicht verfügbar (Punktlayer)",
    });
    const field = formulaError(() => checkFormula(parseFormula('E_U6 / sum(kita.plaetze)'), CATALOG, off));
    expect(field).toMatchObject({ reason: 'reserved', position: 12 });
    expect(formulaError(() => checkFormula(parseFormula('distance(schule)'), CATALOG, off)).detail).toBe(
      "'distance(…)' ist noch nicht verfügbar (Punktlayer)",
    );
  });

  it('checks the shape of point-layer forms, and layers and fields when the layers are given', () => {
    // Default: allowed; the layer name inside count() is not looked up as an indicator.
    expect(() => checkFormula(parseFormula('count(kita) / E_U6 * 1000'), CATALOG)).not.toThrow();
    expect(() => checkFormula(parseFormula('100 * sum(kita.plaetze) / E_U6'), CATALOG)).not.toThrow();
    expect(() => checkFormula(parseFormula('distance(pflege)'), CATALOG)).not.toThrow();
    expect(formulaError(() => checkFormula(parseFormula('E_U6 / kita.plaetze'), CATALOG))).toMatchObject({
      reason: 'point-syntax',
      position: 8,
      detail: "'kita.plaetze' nur innerhalb von sum(…): sum(kita.plaetze) summiert das Feld über die Punkte im Gebiet",
    });
    expect(formulaError(() => checkFormula(parseFormula('count(kita, EW)'), CATALOG))).toMatchObject({
      reason: 'point-syntax',
      position: 1,
      detail: 'count(…) braucht genau einen Punktlayer als Argument, z. B. count(kitas)',
    });
    expect(formulaError(() => checkFormula(parseFormula('distance(2 * kita)'), CATALOG)).reason).toBe('point-syntax');
    const pointLayers = new Map([['kita', new Set(['plaetze', 'name'])]]);
    expect(() =>
      checkFormula(parseFormula('100 * sum(kita.plaetze) / E_U6 + count(kita)'), CATALOG, { pointLayers }),
    ).not.toThrow();
    expect(formulaError(() => checkFormula(parseFormula('count(kitas)'), CATALOG, { pointLayers }))).toMatchObject({
      reason: 'unknown-layer',
      position: 7,
      key: 'kitas',
      detail: "unbekannter Punktlayer 'kitas' (vorhanden: kita)",
    });
    expect(formulaError(() => checkFormula(parseFormula('sum(kita.betten)'), CATALOG, { pointLayers }))).toMatchObject({
      reason: 'unknown-field',
      position: 5,
      detail: "Punktlayer 'kita' hat kein Feld 'betten'",
    });
  });

  it('throws the first problem by position; formulaProblems lists them all', () => {
    const f = parseFormula('ANT_65 + X / (1 - 1) + count(kita)');
    const problems = formulaProblems(f, CATALOG, { allowPointLayers: false });
    expect(problems.map((p) => [p.reason, p.position, p.key])).toEqual([
      ['kind', 1, 'ANT_65'],
      ['unknown-key', 10, 'X'],
      ['division-by-zero', 12, undefined],
      ['reserved', 24, undefined],
    ]);
    expect(formulaError(() => checkFormula(f, CATALOG)).reason).toBe('kind');
  });
});

describe('formulaOrder', () => {
  const defs = (entries: [string, string][]): Map<string, Formula> =>
    new Map(entries.map(([k, t]) => [k, parseFormula(t)]));

  it('puts every formula after the formula indicators it reads, otherwise keeps the given order', () => {
    const order = formulaOrder(
      defs([
        ['ANT_U18', '100 * E_U18 / EW'],
        ['ANT_65', '100 * E_65 / EW'],
        ['E_U18', 'E_U6 + E_6_15 + E_15_18'],
        ['E_U15', 'E_U6 + E_6_15'],
      ]),
    );
    expect(order).toEqual(['E_U18', 'ANT_U18', 'ANT_65', 'E_U15']);
  });

  it('throws on a key that is neither a formula nor in the catalog when catalog keys are given', () => {
    const d = defs([['ANT_65', '100 * E_65 / EWX']]);
    expect(formulaOrder(d)).toEqual(['ANT_65']);
    const e = formulaError(() => formulaOrder(d, CATALOG.keys()));
    expect(e).toMatchObject({ reason: 'unknown-key', key: 'EWX', position: 14 });
  });

  it('names a two-member cycle and points at the offending key in its first formula', () => {
    const e = formulaError(() =>
      formulaOrder(
        defs([
          ['A', 'E_65 + B'],
          ['B', 'EW - A'],
        ]),
      ),
    );
    expect(e).toMatchObject({ reason: 'cycle', key: 'B', position: 8, formula: 'E_65 + B' });
    expect(e.message).toBe("Formel 'E_65 + B' : Zirkelbezug A → B → A an Position 8");
  });

  it('starts a longer cycle at its member that comes first in the definitions', () => {
    // P reads B (outside the cycle); the cycle is A → C → B → A.
    const e = formulaError(() =>
      formulaOrder(
        defs([
          ['P', 'B * 2'],
          ['A', 'EW + C'],
          ['B', 'E_65 + A'],
          ['C', 'B - 1'],
        ]),
      ),
    );
    expect(e).toMatchObject({ reason: 'cycle', key: 'C', position: 6, formula: 'EW + C' });
    expect(e.detail).toBe('Zirkelbezug A → C → B → A');
  });

  it('names a formula that reads itself', () => {
    const e = formulaError(() => formulaOrder(defs([['E_U18', 'E_U6 + E_6_15 + E_15_18 + E_U18']])));
    expect(e).toMatchObject({ reason: 'cycle', key: 'E_U18', position: 27, detail: 'Zirkelbezug E_U18 → E_U18' });
  });
});

describe('ratioParts', () => {
  const parts = (text: string) => {
    const p = ratioParts(parseFormula(text));
    return p && { scale: p.scale, numerator: formatNode(p.numerator), denominator: formatNode(p.denominator) };
  };

  it('splits constant-times-quotient formulas in every spelling', () => {
    expect(parts('100 * E_65 / EW')).toEqual({ scale: 100, numerator: 'E_65', denominator: 'EW' });
    expect(parts('E_65 / EW * 100')).toEqual({ scale: 100, numerator: 'E_65', denominator: 'EW' });
    expect(parts('E_65 / EW')).toEqual({ scale: 1, numerator: 'E_65', denominator: 'EW' });
    expect(parts('(E_U6 + E_6_15) / EW * 100')).toEqual({ scale: 100, numerator: 'E_U6 + E_6_15', denominator: 'EW' });
    expect(parts('100 * sum(E_U6, E_6_15, E_15_18) / EW')).toEqual({
      scale: 100,
      numerator: 'sum(E_U6, E_6_15, E_15_18)',
      denominator: 'EW',
    });
    expect(parts('1000 * E_65 / EW / 10')).toEqual({ scale: 100, numerator: 'E_65', denominator: 'EW' });
    expect(parts('-E_65 / (2 * EW)')).toEqual({ scale: -0.5, numerator: 'E_65', denominator: 'EW' });
    expect(parts('(50 + 50) * (EW - E_65) / EW')).toEqual({ scale: 100, numerator: 'EW - E_65', denominator: 'EW' });
    expect(parts('100 * (2 * E_U6 + E_6_15) / EW')).toEqual({
      scale: 100,
      numerator: '2 * E_U6 + E_6_15',
      denominator: 'EW',
    });
  });

  it('gives null where Σnum/Σden would not be the formula of the sums', () => {
    expect(parts('E_U6 + E_6_15')).toBeNull(); // no quotient
    expect(parts('E_65 * E_U6 / EW')).toBeNull(); // product of counts
    expect(parts('E_65 / EW / E_U6')).toBeNull(); // two denominators
    expect(parts('(E_65 + 5) / EW')).toBeNull(); // constant term
    expect(parts('E_65 / (EW - 2)')).toBeNull();
    expect(parts('100 * distance(schule) / EW')).toBeNull();
    expect(parts('E_65 / EW * 0')).toBeNull();
    expect(parts('100 * E_65 / EW / (2 - 2)')).toBeNull();
  });

  it('agrees with evaluateFormula: scale · numerator / denominator', () => {
    for (const text of [
      '100 * E_65 / EW',
      '(E_U6 + E_6_15) / EW * 100',
      '-E_65 / (2 * EW)',
      '100 * sum(E_U6, E_6_15, E_15_18) / (EW - E_65)',
    ]) {
      const f = parseFormula(text);
      const p = ratioParts(f)!;
      const lookup = lookupIn(PLR);
      expect((p.scale * evaluateNode(p.numerator, lookup)!) / evaluateNode(p.denominator, lookup)!).toBeCloseTo(
        evaluateFormula(f, lookup)!,
        12,
      );
    }
  });
});

describe('formatFormula', () => {
  it.each([
    ['100×E_65÷EW', '100 * E_65 / EW'],
    ['(E_U6+E_6_15)/EW*100', '(E_U6 + E_6_15) / EW * 100'],
    ['((100 * E_65)) / (EW)', '100 * E_65 / EW'],
    ['10 - (4 - 3)', '10 - (4 - 3)'],
    ['10 - (4 + 3)', '10 - (4 + 3)'],
    ['(10 - 4) - 3', '10 - 4 - 3'],
    ['a + (b + c)', 'a + (b + c)'],
    ['a / (b * c)', 'a / (b * c)'],
    ['-(a * b)', '-(a * b)'],
    ['(-a) * b', '-a * b'],
    ['- - a', '--a'],
    ['SUM( a ,b )', 'sum(a, b)'],
    ['007.50 * a', '7.5 * a'],
    ['count(kita)/E_U6', 'count(kita) / E_U6'],
    ['kita.plaetze', 'kita.plaetze'],
  ])('%j → %j', (text, canonical) => {
    const f = parseFormula(text);
    expect(formatFormula(f)).toBe(canonical);
    expect(shape(parseFormula(canonical).ast)).toEqual(shape(f.ast));
  });

  it('writes numbers in plain decimals the parser reads back', () => {
    expect(plainNumber(1e-7)).toBe('0.0000001');
    expect(plainNumber(1.5e-9)).toBe('0.0000000015');
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(1.25e22)).toBe('12500000000000000000000');
    expect(plainNumber(0.1)).toBe('0.1');
    expect(parseFormula('0.0000001').ast).toMatchObject({ value: 1e-7 });
    expect(formatFormula(parseFormula('1000000000000000000000 * a'))).toBe('1000000000000000000000 * a');
    expect(
      formatNode({
        type: 'binary',
        op: '-',
        left: { type: 'number', value: 3, pos: 1 },
        right: { type: 'number', value: -2, pos: 1 },
        pos: 1,
      }),
    ).toBe('3 - -2');
  });
});

describe('immutability', () => {
  it('leaves the parsed tree, the catalog and the definitions as they were', () => {
    const f = parseFormula('100 * sum(E_U6, E_6_15) / (EW - 0) + E_U18 - E_U18');
    const before = structuredClone(f.ast);
    const catalogBefore = structuredClone([...CATALOG]);
    const d = new Map([['X', f]]);
    checkFormula(f, CATALOG);
    formulaProblems(f, CATALOG);
    evaluateFormula(f, lookupIn({ ...PLR, E_U18: 586 }));
    ratioParts(f);
    formatFormula(f);
    formulaKeys(f);
    formulaOrder(d, CATALOG.keys());
    expect(f.ast).toEqual(before);
    expect(f.text).toBe('100 * sum(E_U6, E_6_15) / (EW - 0) + E_U18 - E_U18');
    expect([...CATALOG]).toEqual(catalogBefore);
    expect([...d.keys()]).toEqual(['X']);
    // The tree is frozen, so shared subtrees (ratioParts) cannot be changed by a caller either.
    expect(Object.isFrozen(f)).toBe(true);
    expect(Object.isFrozen(f.ast)).toBe(true);
    const p = ratioParts(parseFormula('100 * sum(E_U6, E_6_15) / EW'))!;
    expect(Object.isFrozen(p.numerator)).toBe(true);
    expect(() => {
      (p.numerator as unknown as { args: FormulaNode[] }).args.push({ type: 'key', key: 'EW', pos: 1 });
    }).toThrow(TypeError);
  });
});

describe('property: random formulas against an independent reference evaluation', () => {
  const KEYS = ['EW', 'E_65', 'E_U6', 'E_6_15', 'ZERO', 'MISSING'];
  const COUNTS: Record<string, number | null> = { EW: 3406, E_65: 742, E_U6: 201, E_6_15: 288, ZERO: 0, MISSING: null };

  /** A random tree of depth ≤ `depth` (numbers are non-negative; negatives come from unary minus). */
  function randomTree(rng: Prng, depth: number): FormulaNode {
    const leaf = depth === 0 || rng.next() < 0.3;
    if (leaf) {
      if (rng.next() < 0.5) return { type: 'key', key: KEYS[rng.int(KEYS.length)], pos: 0 };
      const v = rng.next() < 0.3 ? rng.int(1000) / 100 : rng.int(10); // 0 … 9 or two decimals
      return { type: 'number', value: v, pos: 0 };
    }
    const r = rng.next();
    if (r < 0.1) return { type: 'neg', arg: randomTree(rng, depth - 1), pos: 0 };
    if (r < 0.2)
      return {
        type: 'call',
        name: 'sum',
        args: Array.from({ length: 1 + rng.int(3) }, () => randomTree(rng, depth - 1)),
        pos: 0,
      };
    const op = (['+', '-', '*', '/'] as const)[rng.int(4)];
    return { type: 'binary', op, left: randomTree(rng, depth - 1), right: randomTree(rng, depth - 1), pos: 0 };
  }

  /** Plain JS arithmetic; NaN marks "no value" and propagates through every operation. */
  function reference(node: FormulaNode): number {
    switch (node.type) {
      case 'number':
        return node.value;
      case 'key':
        return COUNTS[node.key] ?? Number.NaN;
      case 'neg':
        return -reference(node.arg);
      case 'call':
        return node.args.reduce((s, a) => s + reference(a), 0);
      case 'binary': {
        const l = reference(node.left);
        const r = reference(node.right);
        if (node.op === '+') return l + r;
        if (node.op === '-') return l - r;
        if (node.op === '*') return l * r;
        return r === 0 ? Number.NaN : l / r;
      }
      default:
        throw new Error('not generated');
    }
  }

  it('evaluates 200 seeded random formulas like the reference and round-trips their canonical text', () => {
    const rng = new Prng(20240611);
    let nulls = 0;
    for (let i = 0; i < 200; i++) {
      const tree = randomTree(rng, 1 + rng.int(4));
      const text = formatNode(tree);
      const parsed = parseFormula(text);
      expect(shape(parsed.ast), text).toEqual(shape(tree));
      expect(formatFormula(parsed), text).toBe(text);
      const expected = reference(tree);
      const actual = evaluateFormula(parsed, lookupIn(COUNTS));
      if (Number.isFinite(expected)) expect(actual === null ? null : actual + 0, text).toBe(expected + 0);
      else {
        expect(actual, text).toBeNull();
        nulls++;
      }
      // The split of a ratio formula reproduces its value.
      const parts = ratioParts(parsed);
      if (parts && actual !== null) {
        const num = evaluateNode(parts.numerator, lookupIn(COUNTS))!;
        const den = evaluateNode(parts.denominator, lookupIn(COUNTS))!;
        expect(Math.abs((parts.scale * num) / den - actual), text).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(actual)),
        );
      }
    }
    // Both branches are exercised: values and nulls (missing input, division by zero).
    expect(nulls).toBeGreaterThan(20);
    expect(nulls).toBeLessThan(180);
  });

  /** A random linear combination of counts without a constant term (additive over areas). */
  function randomSumOfCounts(rng: Prng, depth: number): FormulaNode {
    const counts = ['EW', 'E_65', 'E_U6', 'E_6_15'];
    const r = depth === 0 ? 0 : rng.next();
    if (r < 0.35) return { type: 'key', key: counts[rng.int(counts.length)], pos: 0 };
    const constant: FormulaNode = { type: 'number', value: 1 + rng.int(9), pos: 0 };
    if (r < 0.5)
      return {
        type: 'call',
        name: 'sum',
        args: [randomSumOfCounts(rng, depth - 1), randomSumOfCounts(rng, depth - 1)],
        pos: 0,
      };
    if (r < 0.7)
      return {
        type: 'binary',
        op: '+',
        left: randomSumOfCounts(rng, depth - 1),
        right: randomSumOfCounts(rng, depth - 1),
        pos: 0,
      };
    if (r < 0.8) return { type: 'binary', op: '*', left: constant, right: randomSumOfCounts(rng, depth - 1), pos: 0 };
    if (r < 0.9) return { type: 'binary', op: '/', left: randomSumOfCounts(rng, depth - 1), right: constant, pos: 0 };
    return {
      type: 'binary',
      op: '-',
      left: randomSumOfCounts(rng, depth - 1),
      right: randomSumOfCounts(rng, depth - 1),
      pos: 0,
    };
  }

  it('splits 200 seeded ratio formulas so that Σnum/Σden of the children is the formula of the summed counts', () => {
    const rng = new Prng(7);
    const num = (value: number): FormulaNode => ({ type: 'number', value, pos: 0 });
    const bin = (op: '*' | '/', left: FormulaNode, right: FormulaNode): FormulaNode => ({
      type: 'binary',
      op,
      left,
      right,
      pos: 0,
    });
    let compared = 0;
    for (let i = 0; i < 200; i++) {
      const n = randomSumOfCounts(rng, 3);
      const d = randomSumOfCounts(rng, 3);
      const c = [10, 100, 1000][rng.int(3)];
      // The spellings planners use: c * N / D, N / D * c, N / D, N / (D * c).
      const spellings: [FormulaNode, number][] = [
        [bin('/', bin('*', num(c), n), d), c],
        [bin('*', bin('/', n, d), num(c)), c],
        [bin('/', n, d), 1],
        [bin('/', n, bin('*', d, num(c))), 1 / c],
      ];
      const [tree, scale] = spellings[rng.int(spellings.length)];
      const f = parseFormula(formatNode(tree));
      const parts = ratioParts(f);
      expect(parts, f.text).not.toBeNull();
      // Constant factors inside N or D (`7 * E_U6`) move into the scale, so compare up to those.
      const nFactor = evaluateNode(n, lookupIn(PLR))! / evaluateNode(parts!.numerator, lookupIn(PLR))!;
      const dFactor = evaluateNode(d, lookupIn(PLR))! / evaluateNode(parts!.denominator, lookupIn(PLR))!;
      if (Number.isFinite(nFactor) && Number.isFinite(dFactor) && dFactor !== 0) {
        expect(parts!.scale / ((scale * nFactor) / dFactor), f.text).toBeCloseTo(1, 9);
      }
      // Not additive any more once a constant term is added.
      expect(ratioParts(parseFormula(`(${formatNode(n)} + 1) / (${formatNode(d)})`)), f.text).toBeNull();

      const children = Array.from({ length: 2 + rng.int(4) }, () => ({
        EW: 500 + rng.int(9000),
        E_65: rng.int(2000),
        E_U6: rng.int(800),
        E_6_15: rng.int(1200),
      }));
      const parent = { EW: 0, E_65: 0, E_U6: 0, E_6_15: 0 };
      for (const child of children)
        for (const k of Object.keys(parent) as (keyof typeof parent)[]) parent[k] += child[k];
      const sumNum = children.reduce((s, ch) => s + evaluateNode(parts!.numerator, lookupIn(ch))!, 0);
      const sumDen = children.reduce((s, ch) => s + evaluateNode(parts!.denominator, lookupIn(ch))!, 0);
      const ofSums = evaluateFormula(f, lookupIn(parent));
      if (Math.abs(sumDen) < 1e-9) continue; // denominator cancels out (e.g. EW - EW)
      expect(ofSums, f.text).not.toBeNull();
      expect(Math.abs((parts!.scale * sumNum) / sumDen - ofSums!), f.text).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(ofSums!)),
      );
      compared++;
    }
    expect(compared).toBeGreaterThan(150);
  });
});
