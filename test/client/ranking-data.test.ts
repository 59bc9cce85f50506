import { describe, expect, it } from 'vitest';
import { changeRanking } from '../../client/src/ranking-data.js';
import type { Values } from '../../client/src/types.js';

const values: Values = {
  indicator: 'EW_65',
  period: '2024-12-31',
  level: 'plr',
  unit: '%',
  polarity: 1,
  n: 3,
  min: 10,
  max: 30,
  mean: 20,
  sd: 8,
  quantiles: { p10: 10, p25: 15, p50: 20, p75: 25, p90: 30 },
  values: [
    { code: 'A', name: 'Ahorn', value: 30, suppressed: false },
    { code: 'B', name: 'Birke', value: 10, suppressed: false, incomplete: true },
    { code: 'C', name: 'Clara', value: 20, suppressed: false },
    { code: 'D', name: 'Dorf', value: null, suppressed: true, suppressionReason: 'population' },
  ],
};

describe('ranking by change', () => {
  it('the change replaces the value; not comparable → no value; hidden stays hidden without a number', () => {
    const r = changeRanking(
      values,
      [
        { code: 'A', from: 29, to: 30, absolute: 1, relative: 0.03, comparable: true },
        { code: 'B', from: 6, to: 10, absolute: 4, relative: 0.6, comparable: true },
        { code: 'C', from: null, to: 20, absolute: null, relative: null, comparable: false },
        { code: 'D', from: 5, to: 7, absolute: 2, relative: 0.4, comparable: true },
      ],
      'Prozentpunkte',
    );
    expect(r.values.map((v) => [v.code, v.value, v.suppressed])).toEqual([
      ['A', 1, false],
      ['B', 4, false],
      ['C', null, false],
      ['D', null, true],
    ]);
    expect(r.unit).toBe('Prozentpunkte');
    expect([r.n, r.min, r.max]).toEqual([2, 1, 4]);
    expect(r.values[1].incomplete).toBe(false);
    expect(r.values[3].suppressionReason).toBe('population');
  });
});
