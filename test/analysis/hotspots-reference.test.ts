/**
 * Spatial statistics against R spdep 1.2-7 (the vendored reference
 * test/fixtures/reference/berlin-mss-2021/spatial_*.json.br), using the reference's own neighbour
 * lists so that only the statistics are tested here (the PostGIS lists are compared in
 * test/server/weights.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { weightsFromLists, rowStandardise } from '../../analysis/spatial-weights.js';
import { globalMoran } from '../../analysis/moran.js';
import { localMoran } from '../../analysis/local-moran.js';
import { giStar } from '../../analysis/gi-star.js';
import { localPermutationTest } from '../../analysis/permutation.js';
import {
  loadSpatialReference,
  WEIGHTS_KEYS,
  type SpatialLocalReference,
  type SpatialReference,
  type WeightsKey,
} from '../fixtures/reference/reference.js';

/** The reference's variables; named here because the tests are generated before the file is read. */
const VARIABLES = ['S1', 'S3', 'S4', 'D1', 'D3', 'D4'];
const WEIGHTS = WEIGHTS_KEYS;
const TOL = 1e-9;

let ref: SpatialReference;
beforeAll(() => {
  ref = loadSpatialReference();
});

function setup(variable: string, key: WeightsKey) {
  const r = ref.results[variable][key];
  const codes = Object.keys(r.local);
  const values = Float64Array.from(codes.map((c) => r.local[c].x));
  const binary = weightsFromLists(codes, ref.neighbours[key].lists);
  return { r, codes, values, binary, rowStd: rowStandardise(binary) };
}

/** |a − b| ≤ tol · max(1, |b|): absolute near 0, relative for large numbers (z ≈ 18). */
function close(a: number, b: number, tol = TOL): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}

function worst(pairs: [number, number][]): number {
  let m = 0;
  for (const [a, b] of pairs) m = Math.max(m, Math.abs(a - b) / Math.max(1, Math.abs(b)));
  return m;
}

describe('spdep reference: 6 indicators × queen/rook/knn, 536 areas', () => {
  it('holds the six index indicators, each with 536 areas per weights type', () => {
    expect(ref.variables).toEqual(VARIABLES);
    for (const variable of VARIABLES)
      for (const key of WEIGHTS) expect(Object.keys(ref.results[variable][key].local)).toHaveLength(536);
  });

  it('golden numbers: S1 queen (hard-coded from spdep 1.2-7)', () => {
    const { values, rowStd, binary, codes } = setup('S1', 'queen');
    const g = globalMoran(values, rowStd, { permutations: 0 });
    expect(g.I).toBeCloseTo(0.463231519164815, 12);
    expect(g.expectedI).toBeCloseTo(-0.00186915887850467, 14);
    expect(g.variance).toBeCloseTo(0.000659431598473085, 14);
    expect(g.z).toBeCloseTo(18.1118200996247, 10);
    expect(g.p / 1.28552769122125e-73).toBeCloseTo(1, 9);
    const l = localMoran(values, rowStd);
    const i = codes.indexOf('11501341');
    expect(l.Ii[i]).toBeCloseTo(0.165173693821074, 12);
    expect(l.zConditional[i]).toBeCloseTo(0.348943196789311, 12);
    expect(l.pConditional[i]).toBeCloseTo(0.727131954604266, 12);
    expect(l.zTotal[i]).toBeCloseTo(0.375909224630561, 12);
    expect(l.quadrant[i]).toBe('LL');
    expect(giStar(values, binary).z[i]).toBeCloseTo(-0.756224990146569, 12);
  });

  for (const variable of VARIABLES) {
    for (const key of WEIGHTS) {
      it(`${variable} ${key}: global Moran, local Moran, Gi* within 1e-9`, () => {
        const { r, codes, values, rowStd, binary } = setup(variable, key);
        const g = globalMoran(values, rowStd, { permutations: 0 });
        const rg = r.global;
        expect(close(g.I, rg.I)).toBe(true);
        expect(close(g.expectedI, rg.expectation)).toBe(true);
        expect(close(g.variance, rg.variance_randomisation)).toBe(true);
        expect(close(g.z, rg.z_randomisation)).toBe(true);
        expect(close(g.p, rg.p_greater_randomisation)).toBe(true);

        const l = localMoran(values, rowStd);
        const gi = giStar(values, binary);
        const fields: [string, Float64Array, keyof SpatialLocalReference][] = [
          ['lag', l.lag, 'lag_z_dev'],
          ['Ii', l.Ii, 'Ii'],
          ['E cond', l.expectedConditional, 'E_Ii_conditional'],
          ['Var cond', l.varianceConditional, 'Var_Ii_conditional'],
          ['z cond', l.zConditional, 'z_Ii'],
          ['p cond', l.pConditional, 'p_Ii'],
          ['E total', l.expectedTotal, 'E_Ii_total'],
          ['Var total', l.varianceTotal, 'Var_Ii_total'],
          ['z total', l.zTotal, 'z_Ii_total'],
          ['p total', l.pTotal, 'p_Ii_total'],
          ['Gi* z', gi.z, 'gistar_z'],
          ['Gi* p', gi.p, 'gistar_p'],
        ];
        for (const [name, ours, refKey] of fields) {
          const err = worst(codes.map((c, i) => [ours[i], r.local[c][refKey] as number]));
          expect(err, `${name} max error`).toBeLessThanOrEqual(TOL);
        }
        codes.forEach((c, i) => expect(l.quadrant[i], c).toBe(r.local[c].quadrant_raw));
        codes.forEach((c, i) => expect(rowStd.offsets[i + 1] - rowStd.offsets[i]).toBe(r.local[c].n_neighbours));
      });
    }
  }

  /*
   * Permutation p-values: ours (without replacement, xoshiro) and spdep's (with replacement,
   * Mersenne Twister) estimate nearly the same tail probability p with R = 9 999 draws each. Each
   * estimate has sd ≈ √(p(1−p)/(R+1)), so the difference has sd σ = √(2 p̄(1−p̄)/(R+1)) with p̄ the
   * mean of the two. Test: per area the standardised difference |d|/σ must stay below 5
   * (P(|Z| > 5) ≈ 6e-7, so over 3 216 area-tests per mode a false alarm has probability ≈ 0.002), and
   * overall the share beyond 1.96 must be below 10 % (expected 5 %). The finite-population
   * factor of drawing without replacement (k_i ≤ 14 of 535) changes the variance of the lag by
   * < 3 % and is covered by the floor σ ≥ 0.002 (0.2 percentage points).
   */
  for (const [draws, variables] of [
    ['shared', VARIABLES],
    ['per-area', ['S1', 'D4']],
  ] as const) {
    it(`local permutation p (${draws} draws) consistent with spdep within Monte-Carlo error (R = 9 999)`, () => {
      const R = 9999;
      let tests = 0;
      let beyond196 = 0;
      let maxStd = 0;
      for (const variable of variables) {
        for (const key of WEIGHTS) {
          const { r, codes, values, rowStd, binary } = setup(variable, key);
          const l = localMoran(values, rowStd);
          const gi = giStar(values, binary);
          const perm = localPermutationTest({
            deviation: l.deviation,
            weights: rowStd,
            m2: l.m2,
            observedIi: l.Ii,
            observedNeighbourSum: gi.neighbourDeviationSum,
            permutations: R,
            seed: 12345,
            draws,
          });
          codes.forEach((c, i) => {
            const theirs = r.local[c].perm.p_folded_sim;
            const ours = perm.lisaP[i];
            const pBar = (theirs + ours) / 2;
            const sigma = Math.max(0.002, Math.sqrt((2 * pBar * (1 - pBar)) / (R + 1)));
            const std = Math.abs(ours - theirs) / sigma;
            maxStd = Math.max(maxStd, std);
            tests++;
            if (std > 1.96) beyond196++;
          });
        }
      }
      expect(tests).toBe(variables.length * 3 * 536);
      expect(maxStd).toBeLessThan(5);
      expect(beyond196 / tests).toBeLessThan(0.1);
    }, 120_000);
  }

  it('global permutation test consistent with spdep (seeded, R = 9 999)', () => {
    for (const variable of VARIABLES) {
      for (const key of WEIGHTS) {
        const { r, values, rowStd } = setup(variable, key);
        const g = globalMoran(values, rowStd, { permutations: 9999, seed: 12345 });
        const mc = r.global.mc;
        // pseudo p: two estimates of the same tail probability from R draws each; the
        // difference has sd √(2 p̄(1−p̄)/(R+1)), floored at 1/(R+1) for p̄ ≈ 0; allow 5 sd.
        const pBar = (g.pPermutation! + mc.p_greater_plus1) / 2;
        const sigma = Math.max(1 / 10000, Math.sqrt((2 * pBar * (1 - pBar)) / 10000));
        expect(Math.abs(g.pPermutation! - mc.p_greater_plus1), `${variable} ${key}`).toBeLessThan(5 * sigma);
        // the simulated distribution: mean and sd agree within Monte-Carlo error
        // (sd of the mean ≈ sd/√R ≈ 0.00026; sd of the sd ≈ sd/√(2R) ≈ 0.0002)
        expect(Math.abs(g.simulatedMean! - mc.mean_sims)).toBeLessThan(5 * Math.SQRT2 * (mc.sd_sims / Math.sqrt(9999)));
        expect(Math.abs(g.simulatedSd! - mc.sd_sims)).toBeLessThan(5 * Math.SQRT2 * (mc.sd_sims / Math.sqrt(2 * 9999)));
      }
    }
  }, 60_000);
});
