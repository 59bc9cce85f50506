import { describe, expect, it } from 'vitest';
import { correlationMatrix, pearson } from '../../client/src/correlation.js';

describe('correlation', () => {
  it('pearson of perfectly related columns is ±1', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
  });
  it('matches a hand computation', () => {
    // x = 1..5, y = 2,4,5,4,5: r = 6 / sqrt(10·6) = 0.7745966692
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.7745966692414834, 12);
  });
  it('is NaN for constant columns or fewer than 3 pairs', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(pearson([1, NaN, 3, NaN], [1, 2, NaN, 4])).toBeNaN();
  });
  it('aligns by code and flags |r| ≥ 0.9', () => {
    const a = new Map([
      ['x', 1],
      ['y', 2],
      ['z', 3],
      ['w', 4],
    ]);
    const b = new Map([
      ['w', 8],
      ['z', 6],
      ['y', 4],
      ['x', 2],
    ]);
    const c = new Map<string, number | null>([
      ['x', 1],
      ['y', 3],
      ['z', 2],
      ['w', null],
    ]);
    const res = correlationMatrix(
      new Map([
        ['A', a],
        ['B', b],
        ['C', c],
      ]),
    );
    expect(res.r[0][1]).toBeCloseTo(1, 12);
    expect(res.redundant).toEqual([{ a: 'A', b: 'B', r: expect.closeTo(1, 12) }]);
    expect(res.r[0][2]).toBeCloseTo(0.5, 12);
  });
});
