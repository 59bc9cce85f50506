import { describe, expect, it } from 'vitest';
import { classCounts, divergingBreaks } from '../../client/src/classify.js';

/** 536 changes like a Berlin Planungsraum change map: most a little up, a few far out either way. */
function skewed(): number[] {
  const out: number[] = [];
  for (let i = 0; i < 489; i++) out.push(0.1 + (i % 50) * 0.02); // 0,10 … 1,08
  for (let i = 0; i < 30; i++) out.push(-0.05 - i * 0.1); // −0,05 … −2,95
  for (let i = 0; i < 17; i++) out.push(5 + i); // 5 … 21
  return out;
}

describe('diverging class breaks around 0 for the change map', () => {
  it('equal steps (the old map) put 489 of 536 areas in one class; quantiles spread them with a middle class around 0', () => {
    const v = skewed();
    const equal = divergingBreaks(v, 5, 'equal');
    expect(Math.max(...classCounts(v, equal))).toBeGreaterThanOrEqual(489);
    const q = divergingBreaks(v, 5, 'quantile');
    expect(q).toHaveLength(6);
    const counts = classCounts(v, q);
    expect(counts.reduce((a, c) => a + c, 0)).toBe(536);
    expect(Math.max(...counts)).toBeLessThan(536 / 2);
    // The middle class straddles zero: its limits are −t and t with t the 1/5 quantile of |change|.
    const abs = v.map(Math.abs).sort((a, b) => a - b);
    const t =
      abs[Math.floor((abs.length - 1) / 5)] +
      ((abs.length - 1) / 5 - Math.floor((abs.length - 1) / 5)) *
        (abs[Math.floor((abs.length - 1) / 5) + 1] - abs[Math.floor((abs.length - 1) / 5)]);
    expect(q[2]).toBeCloseTo(-t, 12);
    expect(q[3]).toBeCloseTo(t, 12);
    expect(q[0]).toBe(-2.95);
    expect(q[5]).toBe(21);
    // Decreases below, increases above: every limit left of the middle is negative.
    expect(q.slice(0, 3).every((x) => x < 0)).toBe(true);
    expect(q.slice(3).every((x) => x > 0)).toBe(true);
  });
  it('Jenks on both sides keeps the far increases (5 … 21) apart from the many small ones', () => {
    const v = skewed();
    const j = divergingBreaks(v, 5, 'jenks');
    const counts = classCounts(v, j);
    expect(counts.reduce((a, c) => a + c, 0)).toBe(536);
    expect(counts[counts.length - 1]).toBeLessThanOrEqual(17);
    expect(j[j.length - 2]).toBeGreaterThanOrEqual(1.08);
  });
  it('an even number of classes becomes odd; with only increases the decrease classes stay empty and the middle keeps its place', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(divergingBreaks(v, 4, 'quantile')).toHaveLength(6);
    const up = divergingBreaks(v, 5, 'quantile');
    expect(up).toHaveLength(6);
    for (let i = 1; i < up.length; i++) expect(up[i]).toBeGreaterThanOrEqual(up[i - 1]);
    // t = 1/5 quantile of |change| = 2.8: classes 0 and 1 (decreases) empty, the middle (class 2) holds 1 and 2.
    expect(up[2]).toBeCloseTo(-2.8, 12);
    expect(up[3]).toBeCloseTo(2.8, 12);
    const counts = classCounts(v, up);
    expect(counts.slice(0, 3)).toEqual([0, 0, 2]);
    expect(counts[3] + counts[4]).toBe(8);
  });
  it('many unchanged areas: the zeros form the middle class', () => {
    const v = [...Array(60).fill(0), -3, -2, -1, 1, 2, 3, 4];
    const q = divergingBreaks(v, 5, 'quantile');
    const counts = classCounts(v, q);
    const middle = q.indexOf(0) - 1; // the class whose upper limit is 0
    expect(counts[middle]).toBe(60);
    expect(counts.reduce((a, c) => a + c, 0)).toBe(v.length);
  });
});
