/**
 * Hot- and cold-spot classes from Gi* z-values, like the common hot-spot tools:
 * +3/+2/+1 hot spot with 99/95/90 % confidence, −1/−2/−3 cold spot, 0 not significant,
 * null for islands and areas without a value.
 *
 * The nominal thresholds are |z| ≥ 2.576 / 1.96 / 1.645. How a multiple-testing correction maps
 * onto them: every area's two-sided p is adjusted (analysis/multiple-testing.ts) and turned back
 * into an "adjusted z", the |z| whose two-sided p equals the adjusted p; the class compares the
 * adjusted z with the nominal thresholds. Equivalently, an area is in a class when its adjusted p
 * ≤ the two-sided p of the threshold (0.0999 / 0.0500 / 0.00999). In terms of the raw z this means:
 * - none: exactly |z| ≥ 1.645 / 1.96 / 2.576;
 * - Bonferroni: |z| ≥ Φ⁻¹(1 − p_t/(2m)), e.g. for m = 536 at 95 %: |z| ≥ 3.9;
 * - FDR (BH): a data-dependent threshold |z| ≥ Φ⁻¹(1 − p_FDR / 2), p_FDR the largest raw p with
 *   p_(k) ≤ k·p_t/m; it lies between the uncorrected and the Bonferroni threshold.
 * `classThresholds` reports the raw-|z| threshold that was effectively applied per level.
 */
import { normalUpperQuantile, twoSidedP } from './normal.js';
import { adjustPValues, type Correction } from './multiple-testing.js';

/** Nominal |z| thresholds for 90, 95, 99 % confidence (rounded as in the hot-spot tools). */
export const CLASS_Z = [1.645, 1.96, 2.576] as const;
export const CLASS_CONFIDENCE = [0.9, 0.95, 0.99] as const;

export interface ClassThreshold {
  confidence: number;
  /** Nominal |z|. */
  z: number;
  /** Two-sided p of the nominal z, compared with the adjusted p. */
  p: number;
  /** Smallest raw |z| that reaches this class under the correction; null if it cannot be stated (FDR with no area in the class). */
  effectiveZ: number | null;
}

export interface HotspotClasses {
  /** −3..+3, or null for islands / missing. */
  classes: (number | null)[];
  /** The adjusted two-sided p per area (NaN for islands). */
  pAdjusted: Float64Array;
  correction: Correction;
  thresholds: ClassThreshold[];
}

export function hotspotClasses(z: Float64Array, p: Float64Array, correction: Correction): HotspotClasses {
  const pAdjusted = adjustPValues(p, correction);
  let m = 0;
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i])) m++;
  const pCut = CLASS_Z.map((t) => twoSidedP(t));
  const classes: (number | null)[] = new Array(z.length).fill(null);
  const minAbsZ = [Infinity, Infinity, Infinity];
  for (let i = 0; i < z.length; i++) {
    if (Number.isNaN(z[i]) || Number.isNaN(p[i])) continue;
    let level = 0;
    for (let l = CLASS_Z.length - 1; l >= 0; l--) {
      // 'none' compares z itself, so the published thresholds hold to the last digit.
      const reached = correction === 'none' ? Math.abs(z[i]) >= CLASS_Z[l] : pAdjusted[i] <= pCut[l];
      if (reached) {
        level = l + 1;
        break;
      }
    }
    for (let l = 0; l < level; l++) minAbsZ[l] = Math.min(minAbsZ[l], Math.abs(z[i]));
    classes[i] = level === 0 ? 0 : Math.sign(z[i]) * level;
  }
  const thresholds = CLASS_Z.map((t, l): ClassThreshold => {
    let effectiveZ: number | null;
    if (correction === 'none') effectiveZ = t;
    else if (correction === 'bonferroni') effectiveZ = m > 0 ? normalUpperQuantile(pCut[l] / (2 * m)) : null;
    else effectiveZ = Number.isFinite(minAbsZ[l]) ? minAbsZ[l] : null;
    return { confidence: CLASS_CONFIDENCE[l], z: t, p: pCut[l], effectiveZ };
  });
  return { classes, pAdjusted, correction, thresholds };
}
