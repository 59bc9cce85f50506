import { describe, it, expect } from 'vitest';
import { changeOf, changeArrays, summarizeChanges, absoluteUnit, direction } from '../../analysis/indicator-change.js';

describe('change between two periods', () => {
  it('gives the change of a rate in percentage points and the relative change in %', () => {
    const c = changeOf(4, 6, 1);
    expect(c.absolute).toBe(2);
    expect(c.relative).toBe(50);
    expect(c.direction).toBe('verschlechtert');
    expect(absoluteUnit('rate', '%')).toBe('Prozentpunkte');
    expect(absoluteUnit('count', 'Personen')).toBe('Personen');
  });
  it('judges direction by polarity', () => {
    expect(changeOf(10, 8, 1).direction).toBe('verbessert');
    expect(changeOf(10, 8, -1).direction).toBe('verschlechtert');
    expect(changeOf(10, 8, 0).direction).toBe('ohne Wertung');
    expect(direction(1e-12, 1)).toBe('unverändert');
  });
  it('uses |from| for the relative change of negative values (an index falling from −2 to −3 is −50 %)', () => {
    expect(changeOf(-2, -3, 1).relative).toBe(-50);
  });
  it('leaves the relative change undefined from 0 and everything undefined for missing values', () => {
    expect(changeOf(0, 5, 1)).toEqual({ from: 0, to: 5, absolute: 5, relative: null, direction: 'verschlechtert' });
    expect(changeOf(null, 5, 1)).toEqual({ from: null, to: 5, absolute: null, relative: null, direction: null });
    expect(changeOf(3, NaN, 1).absolute).toBeNull();
  });
  it('vectorises over typed arrays with NaN for undefined', () => {
    const r = changeArrays(new Float64Array([1, 0, NaN]), new Float64Array([1.5, 2, 3]));
    expect(r.absolute[0]).toBe(0.5);
    expect(r.relative[0]).toBe(50);
    expect(Number.isNaN(r.relative[1])).toBe(true);
    expect(Number.isNaN(r.absolute[2])).toBe(true);
    expect(() => changeArrays([1], [1, 2])).toThrow();
  });
  it('summarises improved, worsened and unchanged areas', () => {
    const s = summarizeChanges([changeOf(4, 6, 1), changeOf(5, 3, 1), changeOf(2, 2, 1), changeOf(null, 1, 1)]);
    expect(s).toEqual({
      n: 3,
      improved: 1,
      worsened: 1,
      unchanged: 1,
      meanAbsolute: 0,
      minAbsolute: -2,
      maxAbsolute: 2,
    });
  });
});
