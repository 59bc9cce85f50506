/**
 * Getis–Ord Gi* (Ord & Getis 1995) with binary weights that include the area itself, as in
 * spdep localG(include.self(nb)) and the common hot-spot tools.
 *
 * With W_i = Σ_j w_ij (self included, so neighbours + 1), S1_i = Σ_j w_ij² (the same for binary
 * weights), x̄ and s² = Σ(x − x̄)²/n over all n analysed areas:
 *   z_i = (Σ_j w_ij x_j − W_i x̄) / √( s² (n S1_i − W_i²)/(n − 1) )
 * and p is two-sided from the normal distribution. The z-value is invariant to row-standardising
 * the weights, so the binary form is used.
 *
 * Islands: with only itself in its neighbourhood Gi* would reduce to the area's own z-score, which
 * says nothing about clustering; they get NaN (reported as null with the island flag), matching
 * local Moran.
 */
import { checkValues, deviations } from './hotspot-input.js';
import type { SpatialWeights } from './spatial-weights.js';
import { twoSidedP } from './normal.js';

export interface GiStarResult {
  z: Float64Array;
  p: Float64Array;
  /** Σ_{j ∈ N(i)} (x_j − x̄) over the neighbours without the area itself: the permutation test compares against it. */
  neighbourDeviationSum: Float64Array;
}

/** `w` gives the links (its weights are ignored: Gi* here is binary with self). */
export function giStar(values: Float64Array, w: SpatialWeights): GiStarResult {
  checkValues(values);
  if (w.n !== values.length) throw new Error(`Gewichte für ${w.n} Gebiete, aber ${values.length} Werte`);
  const n = values.length;
  const { z: dev } = deviations(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += dev[i] * dev[i];
  const s2 = ss / n;
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const neighbourDeviationSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = w.offsets[i];
    const end = w.offsets[i + 1];
    if (start === end) {
      z[i] = NaN;
      p[i] = NaN;
      neighbourDeviationSum[i] = NaN;
      continue;
    }
    let sumDev = 0;
    for (let k = start; k < end; k++) sumDev += dev[w.neighbours[k]];
    neighbourDeviationSum[i] = sumDev;
    const Wi = end - start + 1; // neighbours plus self, all weight 1
    // Σ_j w_ij x_j − W_i x̄ = Σ_j (x_j − x̄) over the neighbourhood including i
    const numerator = sumDev + dev[i];
    const variance = (s2 * (n * Wi - Wi * Wi)) / (n - 1);
    // variance is 0 only when the neighbourhood is every area: then the numerator is 0 too.
    z[i] = variance > 0 ? numerator / Math.sqrt(variance) : 0;
    p[i] = twoSidedP(z[i]);
  }
  return { z, p, neighbourDeviationSum };
}
