import { describe, expect, it } from 'vitest';
import {
  addCompareCode,
  compareTable,
  differenceUnit,
  formatDifference,
  removeCompareCode,
  type CompareAnswer,
} from '../../client/src/compare-data.js';

const answer: CompareAnswer = {
  level: 'plr',
  period: '2022-12-31',
  columns: [
    { code: '01100101', name: 'Stülerstraße' },
    { code: '01100102', name: 'Großer Tiergarten' },
    { code: '01100103', name: null },
    { code: null, name: 'Gesamt' },
  ],
  rows: [
    // A rate: values in %, differences in percentage points with one decimal.
    {
      indicator: 'S1',
      label: 'Arbeitslosigkeit',
      unit: '%',
      kind: 'rate',
      polarity: -1,
      values: [12.34, 8.1, null],
      region: 6.55,
    },
    // A count: no decimals, thousands separated, difference in the unit.
    {
      indicator: 'EW',
      label: 'Einwohner',
      unit: 'EW',
      kind: 'count',
      polarity: 0,
      values: [3419, 12500, 900],
      region: 3_850_809,
    },
  ],
};

describe('compare table', () => {
  it('formats values in German, puts the city and the parent beside them and subtracts the first area', () => {
    const parent = {
      name: 'Tiergarten Süd',
      values: new Map<string, number | null>([
        ['S1', 9.95],
        ['EW', 20_000],
      ]),
    };
    const t = compareTable(answer, parent);
    expect(t.period).toBe('2022-12-31');
    expect(t.areas).toEqual([
      { code: '01100101', name: 'Stülerstraße' },
      { code: '01100102', name: 'Großer Tiergarten' },
      { code: '01100103', name: '01100103' }, // no name: the code stands in
    ]);
    expect(t.parentName).toBe('Tiergarten Süd');
    expect(t.differenceHeaders).toEqual(['Großer Tiergarten − Stülerstraße', '01100103 − Stülerstraße']);

    const [s1, ew] = t.rows;
    expect(s1.label).toBe('Arbeitslosigkeit (%)');
    expect(s1.cells).toEqual(['12,3', '8,1', '–']);
    expect(s1.parent).toBe('10,0'); // 9.95 → "10,0": Intl rounds the shortest decimal form half away from zero
    expect(s1.region).toBe('6,6'); // 6.55 → "6,6" likewise
    // 8.1 − 12.34 = −4.24 → "−4,2 Pp."; the missing third area has no difference.
    expect(s1.differences[0]).toBeCloseTo(-4.24, 12);
    expect(s1.differences[1]).toBeNull();
    expect(s1.differenceText).toEqual(['−4,2 Pp.', '–']);

    expect(ew.label).toBe('Einwohner (EW)');
    expect(ew.cells).toEqual(['3.419', '12.500', '900']);
    expect(ew.parent).toBe('20.000');
    expect(ew.region).toBe('3.850.809');
    // 12500 − 3419 = 9081, 900 − 3419 = −2519.
    expect(ew.differences).toEqual([9081, -2519]);
    expect(ew.differenceText).toEqual(['+9.081 EW', '−2.519 EW']);
  });

  it('gives no difference for a class indicator (class 3 minus class 2 is not "one class more need")', () => {
    const t = compareTable({
      ...answer,
      rows: [
        {
          indicator: 'SI',
          label: 'Status-Index',
          unit: 'Klasse',
          kind: 'class',
          polarity: -1,
          values: [2, 3, 4],
          region: null,
        },
      ],
    });
    expect(t.rows[0].cells).toEqual(['2', '3', '4']);
    expect(t.rows[0].differences).toEqual([null, null]);
    expect(t.rows[0].differenceText).toEqual(['–', '–']);
  });

  it('has no parent column without a parent', () => {
    const t = compareTable(answer);
    expect(t.parentName).toBeNull();
    expect(t.rows[0].parent).toBeUndefined();
  });

  it('names the difference unit: percentage points for rates, the unit otherwise', () => {
    expect(differenceUnit('%', 'rate')).toBe('Pp.');
    expect(differenceUnit('%', null)).toBe('Pp.');
    expect(differenceUnit('EW', 'count')).toBe('EW');
    expect(differenceUnit(null, 'mean')).toBeNull();
    expect(formatDifference(0, '%', 'rate')).toBe('0,0 Pp.');
    expect(formatDifference(1.25, null, 'mean')).toBe('+1,3');
    expect(formatDifference(null, '%', 'rate')).toBe('–');
  });

  it('keeps 2–4 distinct codes in the order chosen', () => {
    let c: string[] = [];
    for (const code of ['a', 'b', 'a', 'c', 'd', 'e']) c = addCompareCode(c, code);
    expect(c).toEqual(['a', 'b', 'c', 'd']); // the duplicate and the fifth are not taken
    expect(removeCompareCode(c, 'b')).toEqual(['a', 'c', 'd']);
    expect(addCompareCode(['a'], '')).toEqual(['a']);
  });
});

describe('compare bars', () => {
  it('index of the city (Berlin = 100) and the bar share cut at 200', async () => {
    const { cityIndex, barShare, BAR_CAP } = await import('../../client/src/compare-data.js');
    expect(cityIndex(12.34, 6.17)).toBeCloseTo(200, 12); // twice the city's value
    expect(cityIndex(3.085, 6.17)).toBeCloseTo(50, 12);
    expect(cityIndex(null, 6.17)).toBeNull();
    expect(cityIndex(5, 0)).toBeNull();
    expect(BAR_CAP).toBe(200);
    expect(barShare(100)).toBe(0.5);
    expect(barShare(50)).toBe(0.25);
    expect(barShare(350)).toBe(1); // cut
    expect(barShare(null)).toBe(0);
    expect(barShare(-10)).toBe(0);
  });
});
