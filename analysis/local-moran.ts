/**
 * Local Moran's I (LISA, Anselin 1995) with both analytic moments, as in spdep ≥ 1.2 localmoran
 * (mlvar = TRUE), and the LISA quadrant.
 *
 * With z = x − x̄ over the n analysed areas, m2 = Σ z²/n and row-standardised weights:
 * - Ii = (z_i / m2) · Σ_j w_ij z_j
 * - conditional randomisation (spdep default since 1.2, Sokal et al. 1998): z_i is held fixed and
 *   only the other n − 1 values are permuted, so
 *     E[Ii] = −z_i² W_i / ((n − 1) m2)
 *     Var[Ii] = (z_i/m2)² · n/(n − 2) · (w_i(2) − W_i²/(n − 1)) · (m2 − z_i²/(n − 1))
 * - total randomisation (Anselin 1995): all n values permuted,
 *     E[Ii] = −W_i/(n − 1)
 *     Var[Ii] = w_i(2)·(n − b2)/(n − 1) + (W_i² − w_i(2))·(2 b2 − n)/((n − 1)(n − 2)) − E[Ii]²
 *   with W_i = Σ_j w_ij, w_i(2) = Σ_j w_ij², b2 = (Σ z⁴/n)/m2² (so W_i² − w_i(2) = Σ_{k≠h} w_ik w_ih).
 * - z = (Ii − E)/√Var, p two-sided (a local cluster can be of either sign).
 * - quadrant from the sign of z_i and of its spatial lag: H if > 0, else L — exactly 0 counts as
 *   L, the reference convention.
 *
 * Islands (no neighbours) get NaN statistics and a null quadrant, never an error: the caller
 * reports them as null with a flag. They still count in n and m2, like spdep's zero.policy.
 */
import { checkValues, deviations } from './hotspot-input.js';
import { spatialLag, type SpatialWeights } from './spatial-weights.js';
import { twoSidedP } from './normal.js';

export type Quadrant = 'HH' | 'LL' | 'HL' | 'LH';

export interface LocalMoranResult {
  /** Ii per area (NaN for islands). */
  Ii: Float64Array;
  expectedConditional: Float64Array;
  varianceConditional: Float64Array;
  zConditional: Float64Array;
  pConditional: Float64Array;
  expectedTotal: Float64Array;
  varianceTotal: Float64Array;
  zTotal: Float64Array;
  pTotal: Float64Array;
  /** Deviation from the mean, z_i = x_i − x̄. */
  deviation: Float64Array;
  /** Row-standardised spatial lag of the deviations. */
  lag: Float64Array;
  quadrant: (Quadrant | null)[];
  /** m2 = Σ z²/n, needed by the permutation test. */
  m2: number;
}

/** `w` must be row-standardised (style 'W'): LISA is defined on the averaged neighbourhood. */
export function localMoran(values: Float64Array, w: SpatialWeights): LocalMoranResult {
  checkValues(values);
  if (w.n !== values.length) throw new Error(`Gewichte für ${w.n} Gebiete, aber ${values.length} Werte`);
  const n = values.length;
  const { z } = deviations(values);
  let zz = 0;
  let z4 = 0;
  for (let i = 0; i < n; i++) {
    const z2 = z[i] * z[i];
    zz += z2;
    z4 += z2 * z2;
  }
  const m2 = zz / n;
  const b2 = z4 / n / (m2 * m2);
  const A = (n - b2) / (n - 1);
  const B = (2 * b2 - n) / ((n - 1) * (n - 2));
  const lag = spatialLag(w, z);

  const make = () => new Float64Array(n);
  const r: LocalMoranResult = {
    Ii: make(),
    expectedConditional: make(),
    varianceConditional: make(),
    zConditional: make(),
    pConditional: make(),
    expectedTotal: make(),
    varianceTotal: make(),
    zTotal: make(),
    pTotal: make(),
    deviation: z,
    lag,
    quadrant: new Array<Quadrant | null>(n).fill(null),
    m2,
  };
  for (let i = 0; i < n; i++) {
    const start = w.offsets[i];
    const end = w.offsets[i + 1];
    if (start === end) {
      for (const a of [
        r.Ii,
        r.expectedConditional,
        r.varianceConditional,
        r.zConditional,
        r.pConditional,
        r.expectedTotal,
        r.varianceTotal,
        r.zTotal,
        r.pTotal,
      ])
        a[i] = NaN;
      continue;
    }
    let Wi = 0;
    let wi2 = 0;
    for (let k = start; k < end; k++) {
      Wi += w.weights[k];
      wi2 += w.weights[k] * w.weights[k];
    }
    const zi = z[i];
    const Ii = (zi / m2) * lag[i];
    r.Ii[i] = Ii;

    const eC = -(zi * zi * Wi) / ((n - 1) * m2);
    const vC = (zi / m2) ** 2 * (n / (n - 2)) * (wi2 - (Wi * Wi) / (n - 1)) * (m2 - (zi * zi) / (n - 1));
    r.expectedConditional[i] = eC;
    r.varianceConditional[i] = vC;
    // z_i = 0 gives Ii = E = Var = 0: no evidence either way, so z = 0 and p = 1 rather than NaN.
    r.zConditional[i] = vC > 0 ? (Ii - eC) / Math.sqrt(vC) : 0;
    r.pConditional[i] = twoSidedP(r.zConditional[i]);

    const eT = -Wi / (n - 1);
    const vT = wi2 * A + (Wi * Wi - wi2) * B - eT * eT;
    r.expectedTotal[i] = eT;
    r.varianceTotal[i] = vT;
    r.zTotal[i] = vT > 0 ? (Ii - eT) / Math.sqrt(vT) : 0;
    r.pTotal[i] = twoSidedP(r.zTotal[i]);

    r.quadrant[i] = ((zi > 0 ? 'H' : 'L') + (lag[i] > 0 ? 'H' : 'L')) as Quadrant;
  }
  return r;
}
