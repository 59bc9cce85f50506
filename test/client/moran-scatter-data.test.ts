import { describe, expect, it } from 'vitest';
import { axisLimit, moranScatter } from '../../client/src/moran-scatter-data.js';
import { localMoran } from '../../analysis/local-moran.js';
import { rowStandardise, weightsFromLists } from '../../analysis/spatial-weights.js';

// Five areas on a line a–b–c–d–e and an island f: values 1, 2, 4, 7, 11, 5.
const codes = ['a', 'b', 'c', 'd', 'e', 'f'];
const vals = [1, 2, 4, 7, 11, 5];
const lists = { a: ['b'], b: ['a', 'c'], c: ['b', 'd'], d: ['c', 'e'], e: ['d'], f: [] };

describe('Moran scatter plot', () => {
  it('recovers the standardised lag from I_i and the values; the slope is the global Moran I', () => {
    // By hand: mean = 30/6 = 5; deviations −4, −3, −1, 2, 6, 0; m2 = (16+9+1+4+36+0)/6 = 11.
    // Lags (row-standardised): a: −3; b: (−4−1)/2 = −2,5; c: (−3+2)/2 = −0,5; d: (−1+6)/2 = 2,5; e: 2; f: island.
    const lm = localMoran(Float64Array.from(vals), rowStandardise(weightsFromLists(codes, lists)));
    const members = codes.map((code, i) => ({
      code,
      lisaI: Number.isFinite(lm.Ii[i]) ? lm.Ii[i] : null,
      quadrant: code === 'e' ? 'HH' : null,
    }));
    const s = moranScatter(members, new Map(codes.map((c, i) => [c, vals[i]])));
    const sd = Math.sqrt(11);
    const lag = [-3, -2.5, -0.5, 2.5, 2];
    const dev = [-4, -3, -1, 2, 6];
    expect(s.points.map((p) => p.code)).toEqual(['a', 'b', 'c', 'd', 'e']); // f: island (and x = 0)
    s.points.forEach((p, i) => {
      expect(p.x).toBeCloseTo(dev[i] / sd, 12);
      expect(p.y).toBeCloseTo(lag[i] / sd, 12);
    });
    expect(s.points[4].quadrant).toBe('HH');
    // Global I = Σ z·lag / Σ z² = (12 + 7,5 + 0,5 + 5 + 12 + 0) / 66 = 37 / 66.
    expect(s.slope).toBeCloseTo(37 / 66, 12);
    expect([s.n, s.missing, s.skipped]).toEqual([6, 0, 1]);
  });

  it('counts hidden values and skips hidden I_i', () => {
    const s = moranScatter(
      [
        { code: 'a', lisaI: 0.5, quadrant: null },
        { code: 'b', lisaI: null, quadrant: null },
        { code: 'c', lisaI: 0.2, quadrant: null },
      ],
      new Map([
        ['a', 1],
        ['c', 3],
      ]),
    );
    // Public values 1 and 3: mean 2, m2 = 1, x = −1 and +1; y = I / x.
    expect(s.points).toEqual([
      { code: 'a', x: -1, y: -0.5, quadrant: null },
      { code: 'c', x: 1, y: 0.2, quadrant: null },
    ]);
    expect([s.missing, s.skipped]).toEqual([1, 1]);
    expect(s.slope).toBeCloseTo(0.7 / 2, 12);
    // Two more areas analysed but left out of the members list (hidden): counted as missing.
    const withHidden = moranScatter([{ code: 'a', lisaI: 0.5, quadrant: null }], new Map([['a', 1]]), 3);
    expect([withHidden.n, withHidden.missing, withHidden.skipped]).toEqual([3, 2, 3]);
  });

  it('axis limit: symmetric, at least 1, rounded up to a half unit', () => {
    expect(axisLimit([])).toBe(1);
    expect(axisLimit([{ code: 'a', x: -2.2, y: 0.3, quadrant: null }])).toBe(2.5);
    expect(axisLimit([{ code: 'a', x: 0.1, y: 3, quadrant: null }])).toBe(3);
  });
});
