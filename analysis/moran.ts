/**
 * Global Moran's I with its moments under randomisation and a permutation pseudo p-value.
 *
 * Conventions follow spdep's moran.test (randomisation = TRUE, adjust.n = TRUE) so the numbers
 * agree with R to rounding:
 * - I = (n'/S0) · Σ_i z_i Σ_j w_ij z_j / Σ_i z_i², z = x − x̄ over all n areas;
 * - n' = n − islands: an island contributes no pair, so the pairwise statistic is normalised by the
 *   areas that can have pairs (spdep adjust.n); the kurtosis b2 uses all n values;
 * - E[I] = −1/(n'−1); Var[I] by the Cliff–Ord randomisation formula with S0, S1, S2 of the weights;
 * - z = (I − E[I]) / √Var, p = one-sided P(Z ≥ z) (spdep's default alternative "greater":
 *   the question is whether similar values cluster);
 * - permutation: the values are shuffled over all areas R times; pseudo p = (#{I_sim ≥ I} + 1)/(R + 1),
 *   the same one-sided direction as p.
 */
import { Prng } from './prng.js';
import { checkPermutations, checkValues, deviations, DEFAULT_PERMUTATIONS } from './hotspot-input.js';
import { spatialLag, weightsConstants, type SpatialWeights } from './spatial-weights.js';
import { normalUpper } from './normal.js';
import { below } from './permutation.js';

export interface GlobalMoranOptions {
  /** Number of random permutations; default 999, 0 skips the permutation test. */
  permutations?: number;
  /** PRNG seed; default 1. */
  seed?: number;
}

export interface GlobalMoranResult {
  I: number;
  expectedI: number;
  /** Variance of I under randomisation. */
  variance: number;
  z: number;
  /** One-sided analytic p, P(Z ≥ z). */
  p: number;
  /** One-sided pseudo p from the permutations, (#{I_sim ≥ I} + 1)/(R + 1); null when R = 0. */
  pPermutation: number | null;
  permutations: number;
  /** Mean and sd of the simulated I (compare with E[I] and √Var); null when R = 0. */
  simulatedMean: number | null;
  simulatedSd: number | null;
  /** n' = areas minus islands, the n of the formulas. */
  nEffective: number;
  islands: number;
}

/** Σ_i z_i · (Wz)_i, the cross-product at the heart of I. */
function crossProduct(w: SpatialWeights, z: Float64Array): number {
  const { offsets, neighbours, weights } = w;
  let total = 0;
  for (let i = 0; i < w.n; i++) {
    let lag = 0;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) lag += weights[k] * z[neighbours[k]];
    total += z[i] * lag;
  }
  return total;
}

export function globalMoran(
  values: Float64Array,
  w: SpatialWeights,
  options: GlobalMoranOptions = {},
): GlobalMoranResult {
  const permutations = options.permutations ?? DEFAULT_PERMUTATIONS;
  const seed = options.seed ?? 1;
  checkValues(values);
  checkPermutations(permutations);
  if (w.n !== values.length) throw new Error(`Gewichte für ${w.n} Gebiete, aber ${values.length} Werte`);

  const nAll = values.length;
  const n = nAll - w.islands.length; // spdep adjust.n
  const { S0, S1, S2 } = weightsConstants(w);
  const { z } = deviations(values);
  let zz = 0;
  let z4 = 0;
  for (let i = 0; i < nAll; i++) {
    const z2 = z[i] * z[i];
    zz += z2;
    z4 += z2 * z2;
  }
  const K = (nAll * z4) / (zz * zz); // sample kurtosis b2, over all values as in spdep
  const scale = n / (S0 * zz);
  const I = scale * crossProduct(w, z);

  const expectedI = -1 / (n - 1);
  const nn = n * n;
  const S02 = S0 * S0;
  const numerator = n * (S1 * (nn - 3 * n + 3) - n * S2 + 3 * S02) - K * (S1 * (nn - n) - 2 * n * S2 + 6 * S02);
  const variance = numerator / ((n - 1) * (n - 2) * (n - 3) * S02) - expectedI * expectedI;
  const zValue = (I - expectedI) / Math.sqrt(variance);
  const p = normalUpper(zValue);

  let pPermutation: number | null = null;
  let simulatedMean: number | null = null;
  let simulatedSd: number | null = null;
  if (permutations > 0 && S0 > 0) {
    const rng = new Prng(seed).fork(1); // stream 1: global Moran (stream 2 is the local test)
    const shuffled = Float64Array.from(z);
    let atLeast = 0;
    let sum = 0;
    let sumSquares = 0;
    for (let r = 0; r < permutations; r++) {
      // Fisher–Yates in place; shuffling an already shuffled array is still uniform.
      for (let i = nAll - 1; i > 0; i--) {
        const j = below(rng, i + 1);
        const t = shuffled[i];
        shuffled[i] = shuffled[j];
        shuffled[j] = t;
      }
      const simulated = scale * crossProduct(w, shuffled);
      if (simulated >= I) atLeast++;
      sum += simulated;
      sumSquares += simulated * simulated;
    }
    pPermutation = (atLeast + 1) / (permutations + 1);
    simulatedMean = sum / permutations;
    // sd with n − 1 like R's sd() of the simulations
    simulatedSd =
      permutations > 1
        ? Math.sqrt((sumSquares - permutations * simulatedMean * simulatedMean) / (permutations - 1))
        : null;
  }
  return {
    I,
    expectedI,
    variance,
    z: zValue,
    p,
    pPermutation,
    permutations,
    simulatedMean,
    simulatedSd,
    nEffective: n,
    islands: w.islands.length,
  };
}

/** Moran's I alone (no moments), for callers that only need the coefficient. */
export function moranCoefficient(values: Float64Array, w: SpatialWeights): number {
  const { z } = deviations(values);
  let zz = 0;
  for (let i = 0; i < z.length; i++) zz += z[i] * z[i];
  const n = values.length - w.islands.length;
  let S0 = 0;
  for (let k = 0; k < w.weights.length; k++) S0 += w.weights[k];
  const lag = spatialLag(w, z);
  let cross = 0;
  for (let i = 0; i < z.length; i++) cross += z[i] * lag[i];
  return (n / S0) * (cross / zz);
}
