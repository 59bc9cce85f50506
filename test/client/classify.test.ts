import { describe, expect, it } from 'vitest';
import {
  classBreaks,
  classCounts,
  classOf,
  clampClasses,
  divergingBreaks,
  quantileSorted,
} from '../../client/src/classify.js';

const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('class breaks', () => {
  it('quantiles split the areas evenly (R type 7)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    const b = classBreaks(values, 'quantile', 5);
    expect(b).toHaveLength(6);
    expect(b[0]).toBe(1);
    expect(b[5]).toBe(10);
    expect(classCounts(values, b)).toEqual([2, 2, 2, 2, 2]);
  });
  it('equal intervals have equal width', () => {
    const b = classBreaks([0, 10], 'equal', 4);
    expect(b).toEqual([0, 2.5, 5, 7.5, 10]);
  });
  it('standard deviation classes are one sd wide around the mean', () => {
    // mean 5.5, population sd √8.25
    const sd = Math.sqrt(8.25);
    const b = classBreaks(values, 'sd', 4);
    expect(b[2]).toBeCloseTo(5.5, 12);
    expect(b[3] - b[2]).toBeCloseTo(sd, 12);
    expect(b[1] - b[0]).toBeGreaterThanOrEqual(0);
  });
  it('Jenks finds the obvious natural groups', () => {
    const v = [1, 1.1, 1.2, 5, 5.1, 5.2, 10, 10.2, 10.1];
    const b = classBreaks(v, 'jenks', 3);
    expect(b).toEqual([1, 1.2, 5.2, 10.2]); // upper bounds of the groups, as mapclassify reports them
    expect(classCounts(v, b)).toEqual([3, 3, 3]);
  });
  it('Jenks never makes more classes than distinct values', () => {
    expect(classBreaks([1, 1, 2, 2], 'jenks', 5)).toHaveLength(3);
  });
  it('ignores missing values and handles constants and empty input', () => {
    expect(classBreaks([null, undefined, NaN], 'quantile', 5)).toEqual([]);
    expect(classBreaks([3, 3, 3], 'quantile', 5)).toEqual([3, 3]);
    expect(classBreaks([1, null, 2, 5], 'equal', 4)).toEqual([1, 2, 3, 4, 5]);
  });
  it('classOf puts a value on a limit into the lower class (closed at the top, like the tiles) and max into the last', () => {
    const b = [0, 1, 2, 3];
    expect(classOf(0, b)).toBe(0);
    expect(classOf(1, b)).toBe(0);
    expect(classOf(1.5, b)).toBe(1);
    expect(classOf(3, b)).toBe(2);
    expect(classOf(99, b)).toBe(2);
    expect(classOf(-5, b)).toBe(0);
    expect(classOf(null, b)).toBe(-1);
  });
  it('clamps the class count to 3..7', () => {
    expect(clampClasses(1)).toBe(3);
    expect(clampClasses(12)).toBe(7);
    expect(clampClasses(NaN)).toBe(5);
  });
  it('diverging breaks are symmetric around zero with a middle class', () => {
    const b = divergingBreaks([-2, 1, 4], 5);
    expect(b).toHaveLength(6);
    expect(b[0]).toBe(-4);
    expect(b[5]).toBe(4);
    expect(b[2]).toBeCloseTo(-b[3], 12);
  });
});
