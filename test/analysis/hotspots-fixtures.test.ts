/** Hand-made fixtures for the spatial statistics: numbers worked out by hand, planted hotspot, bad input. */
import { describe, expect, it } from 'vitest';
import { weightsFromLists, rowStandardise, weightsFromCsr, weightsConstants } from '../../analysis/spatial-weights.js';
import { globalMoran } from '../../analysis/moran.js';
import { localMoran } from '../../analysis/local-moran.js';
import { giStar } from '../../analysis/gi-star.js';
import { hotspotAnalysis } from '../../analysis/hotspot-analysis.js';
import { benjaminiHochberg, bonferroni } from '../../analysis/multiple-testing.js';
import { hotspotClasses } from '../../analysis/hotspot-class.js';
import { dropMissing, HotspotInputError } from '../../analysis/hotspot-input.js';
import { twoSidedP, normalUpperQuantile } from '../../analysis/normal.js';
import { Prng } from '../../analysis/prng.js';

/** A path a — b — c — d with values 1, 2, 3, 4. */
const PATH_CODES = ['a', 'b', 'c', 'd'];
const PATH_LISTS = { a: ['b'], b: ['a', 'c'], c: ['b', 'd'], d: ['c'] };
const PATH_VALUES = Float64Array.from([1, 2, 3, 4]);

/** Queen contiguity of a side × side grid, row-major. */
function grid(side: number) {
  const offsets = new Int32Array(side * side + 1);
  const links: number[] = [];
  for (let r = 0; r < side; r++)
    for (let c = 0; c < side; c++) {
      offsets[r * side + c] = links.length;
      for (let dr = -1; dr <= 1; dr++)
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr;
          const cc = c + dc;
          if ((dr || dc) && rr >= 0 && cc >= 0 && rr < side && cc < side) links.push(rr * side + cc);
        }
    }
  offsets[side * side] = links.length;
  return weightsFromCsr(offsets, Int32Array.from(links));
}

describe('worked by hand: a path of four areas', () => {
  const w = weightsFromLists(PATH_CODES, PATH_LISTS);
  const ws = rowStandardise(w);

  it('weights constants S0, S1, S2', () => {
    // S1 = Σw² + Σ w_ij w_ji = 3 + 2.5; column sums 0.5, 1.5, 1.5, 0.5 → S2 = 1.5² + 2.5² + 2.5² + 1.5²
    expect(weightsConstants(ws)).toEqual({ S0: 4, S1: 5.5, S2: 17 });
  });

  it("global Moran's I = 0.4, E = −1/3, Var = 97/450", () => {
    // z = (−1.5, −0.5, 0.5, 1.5), lag = (−1.5, −0.5, 0.5, 1.5)·… = (−0.5, −0.5, 0.5, 0.5): I = (4/4)·2/5
    const g = globalMoran(PATH_VALUES, ws, { permutations: 0 });
    expect(g.I).toBeCloseTo(0.4, 15);
    expect(g.expectedI).toBeCloseTo(-1 / 3, 15);
    // n(S1(n²−3n+3) − nS2 + 3S0²) = 74, K(S1(n²−n) − 2nS2 + 6S0²) = 1.64·26; /(3·2·1·16) − 1/9
    expect(g.variance).toBeCloseTo(97 / 450, 14);
    expect(g.z).toBeCloseTo((0.4 + 1 / 3) / Math.sqrt(97 / 450), 13);
    expect(g.z).toBeCloseTo(1.579507948959024, 12);
    expect(g.pPermutation).toBeNull();
  });

  it('local Moran and quadrants (lag exactly 0 counts as L)', () => {
    const l = localMoran(PATH_VALUES, ws);
    // m2 = 5/4: I_a = (−1.5/1.25)·(−0.5) = 0.6, I_b = (−0.5/1.25)·(−0.5) = 0.2
    expect(Array.from(l.Ii)).toEqual([0.6, 0.2, 0.2, 0.6].map((v) => expect.closeTo(v, 14)));
    expect(l.quadrant).toEqual(['LL', 'LL', 'HH', 'HH']);
    expect(l.expectedTotal[1]).toBeCloseTo(-1 / 3, 15);
    // values 1, 2, 5, 4: z = (−2, −1, 2, 1); the lags of b and c are exactly 0 → L
    const zeroLag = localMoran(Float64Array.from([1, 2, 5, 4]), ws);
    expect(Array.from(zeroLag.lag)).toEqual([-1, 0, 0, 2]);
    expect(zeroLag.quadrant).toEqual(['LL', 'LL', 'HL', 'HH']);
  });

  it('Gi* of the end area: (−1.5 − 0.5)/√(1.25·(4·2 − 4)/3)', () => {
    const g = giStar(PATH_VALUES, w);
    expect(g.z[0]).toBeCloseTo(-2 / Math.sqrt(5 / 3), 14);
    expect(g.z[0]).toBeCloseTo(-1.5491933384829668, 14);
    expect(g.p[0]).toBeCloseTo(twoSidedP(-1.5491933384829668), 15);
  });
});

describe('multiple testing and classes', () => {
  it('Benjamini–Hochberg and Bonferroni, NaN not counted as a test', () => {
    const p = Float64Array.from([0.01, 0.04, 0.03, 0.005, NaN]);
    const q = benjaminiHochberg(p);
    expect(Array.from(q.subarray(0, 4))).toEqual([0.02, 0.04, 0.04, 0.02].map((v) => expect.closeTo(v, 15)));
    expect(q[4]).toBeNaN();
    expect(Array.from(bonferroni(p).subarray(0, 4))).toEqual(
      [0.04, 0.16, 0.12, 0.02].map((v) => expect.closeTo(v, 15)),
    );
  });

  it('classes from z: published thresholds without correction, stricter with Bonferroni', () => {
    const z = Float64Array.from([3, -2, 1.7, 0.5, NaN, 1.96, 1.9599]);
    const p = z.map((v) => twoSidedP(v));
    const none = hotspotClasses(z, p, 'none');
    expect(none.classes).toEqual([3, -2, 1, 0, null, 2, 1]);
    // m = 6: p(3) = 0.0027·6 = 0.016 → 95 %; p(2)·6 = 0.27 → 0
    const bonf = hotspotClasses(z, p, 'bonferroni');
    expect(bonf.classes).toEqual([2, 0, 0, 0, null, 0, 0]);
    expect(bonf.thresholds[1].effectiveZ).toBeCloseTo(normalUpperQuantile(twoSidedP(1.96) / 12), 10);
    expect(bonf.thresholds[1].effectiveZ).toBeCloseTo(2.6378, 3);
    const fdr = hotspotClasses(z, p, 'fdr');
    expect(fdr.correction).toBe('fdr');
    // BH (m = 6): q(z=3) = 6·0.0027/1 = 0.016 → 95 %; the p of ±2, 1.96, 1.9599 (ranks 2–4)
    // share q = 6·0.05002/4 = 0.075 → 90 %; z = 1.7 gets 6·0.089/5 = 0.107 → 0
    expect(fdr.classes).toEqual([2, -1, 0, 0, null, 1, 1]);
    expect(fdr.thresholds[0].effectiveZ).toBe(1.9599);
  });
});

describe('planted hotspot on a 15 × 15 grid', () => {
  const side = 15;
  const w = grid(side);
  const rng = new Prng(7);
  const values = new Float64Array(side * side);
  for (let i = 0; i < values.length; i++) values[i] = rng.next();
  const block: number[] = [];
  for (let r = 6; r <= 8; r++) for (let c = 6; c <= 8; c++) block.push(r * side + c);
  for (const i of block) values[i] += 3;

  it('is found by Gi*, local Moran and global Moran, even after FDR', () => {
    const a = hotspotAnalysis(values, w, { permutations: 999, seed: 1, correction: 'fdr' });
    const centre = 7 * side + 7;
    expect(a.classes.classes[centre]).toBe(3);
    expect(a.gi.z[centre]).toBeGreaterThan(6);
    for (const i of block) expect(a.classes.classes[i], `cell ${i}`).toBeGreaterThanOrEqual(2);
    expect(a.local.quadrant[centre]).toBe('HH');
    expect(a.lisaSignificant[centre]).toBe(true);
    expect(a.lisaPPermutation![centre]).toBe(0.001);
    // no hot spot far away from the block (Chebyshev distance > 2)
    for (let i = 0; i < values.length; i++) {
      const far = Math.max(Math.abs(Math.floor(i / side) - 7), Math.abs((i % side) - 7)) > 2;
      if (far) expect(a.classes.classes[i], `cell ${i}`).toBeLessThanOrEqual(0);
    }
    expect(a.global.z).toBeGreaterThan(4);
    expect(a.global.pPermutation).toBe(0.001);
  });

  it('the same seed gives identical results; another seed other pseudo p', () => {
    const a = hotspotAnalysis(values, w, { permutations: 199, seed: 42 });
    const b = hotspotAnalysis(values, w, { permutations: 199, seed: 42 });
    const c = hotspotAnalysis(values, w, { permutations: 199, seed: 43 });
    expect(Array.from(a.lisaPPermutation!)).toEqual(Array.from(b.lisaPPermutation!));
    expect(Array.from(a.giPPermutation!)).toEqual(Array.from(b.giPPermutation!));
    expect(a.global.simulatedSd).toBe(b.global.simulatedSd);
    expect(Array.from(a.lisaPPermutation!)).not.toEqual(Array.from(c.lisaPPermutation!));
    const perArea = hotspotAnalysis(values, w, { permutations: 199, seed: 42, draws: 'per-area' });
    expect(Array.from(perArea.lisaPPermutation!)).toEqual(
      Array.from(hotspotAnalysis(values, w, { permutations: 199, seed: 42, draws: 'per-area' }).lisaPPermutation!),
    );
  });
});

describe('bad input', () => {
  it('an island gets null statistics and a flag, the rest is computed', () => {
    const codes = [...PATH_CODES, 'island'];
    const w = weightsFromLists(codes, PATH_LISTS);
    const values = Float64Array.from([1, 2, 3, 4, 10]);
    const a = hotspotAnalysis(values, w, { permutations: 99 });
    expect(a.islands).toEqual([4]);
    expect(a.global.nEffective).toBe(4);
    expect(Number.isFinite(a.global.I)).toBe(true);
    expect(a.local.Ii[4]).toBeNaN();
    expect(a.gi.z[4]).toBeNaN();
    expect(a.local.quadrant[4]).toBeNull();
    expect(a.classes.classes[4]).toBeNull();
    expect(a.lisaPPermutation![4]).toBeNaN();
    expect(a.lisaSignificant[4]).toBeNull();
    expect(Number.isFinite(a.local.Ii[0])).toBe(true);
  });

  it('a missing value is dropped and listed, and its neighbours lose that link', () => {
    const d = dropMissing(PATH_CODES, [1, null, 3, 4]);
    expect(d.dropped).toEqual(['b']);
    expect(d.codes).toEqual(['a', 'c', 'd']);
    const w = weightsFromLists(d.codes, PATH_LISTS);
    expect(w.islands).toEqual([0]); // 'a' only touched 'b'
    const a = hotspotAnalysis(d.values, w, { permutations: 9 });
    expect(a.local.Ii[0]).toBeNaN();
    expect(dropMissing(['x', 'y'], [NaN, 2]).dropped).toEqual(['x']);
  });

  it('a constant indicator, fewer than 3 areas and too many permutations are named errors', () => {
    const w = weightsFromLists(PATH_CODES, PATH_LISTS);
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof HotspotInputError ? e.reason : String(e);
      }
      return 'no error';
    };
    expect(reason(() => hotspotAnalysis(Float64Array.from([2, 2, 2, 2]), w))).toBe('constant_indicator');
    expect(reason(() => hotspotAnalysis(Float64Array.from([1, 2]), weightsFromLists(['a', 'b'], PATH_LISTS)))).toBe(
      'too_few_areas',
    );
    expect(reason(() => hotspotAnalysis(PATH_VALUES, w, { permutations: 100_000 }))).toBe('too_many_permutations');
    expect(reason(() => hotspotAnalysis(PATH_VALUES, w, { permutations: 99_999 }))).toBe('no error');
  });
});
