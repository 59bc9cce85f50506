/**
 * Multiple-testing control for the local statistics: one test per area means that at α = 0.05
 * about 5 % of areas look "significant" under pure noise (the confusion behind geoda#1519).
 *
 * - 'none': p unchanged.
 * - 'bonferroni': p · m, capped at 1 — controls the family-wise error rate (any false hotspot).
 * - 'fdr': Benjamini–Hochberg adjusted p ("q-values"): q_(k) = min_{j ≥ k} m·p_(j)/j, capped at
 *   1 — controls the expected share of false hotspots among those reported.
 * m counts the tested areas only: islands and areas without a value (NaN) are not tests and keep NaN.
 * Comparing the adjusted p with α is the same as the textbook procedures (BH step-up with
 * cut-off k·α/m, Bonferroni with α/m).
 */

export type Correction = 'none' | 'bonferroni' | 'fdr';
export const CORRECTIONS: readonly Correction[] = ['none', 'bonferroni', 'fdr'];

export function adjustPValues(p: Float64Array, correction: Correction): Float64Array {
  if (correction === 'none') return Float64Array.from(p);
  if (correction === 'bonferroni') return bonferroni(p);
  return benjaminiHochberg(p);
}

export function bonferroni(p: Float64Array): Float64Array {
  const m = countTests(p);
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = Number.isNaN(p[i]) ? NaN : Math.min(1, p[i] * m);
  return out;
}

export function benjaminiHochberg(p: Float64Array): Float64Array {
  const tested: number[] = [];
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i])) tested.push(i);
  const m = tested.length;
  // ascending p; ties keep index order so the result does not depend on sort stability
  tested.sort((a, b) => p[a] - p[b] || a - b);
  const out = new Float64Array(p.length).fill(NaN);
  let running = 1; // the minimum over j ≥ k, built from the largest p down
  for (let rank = m; rank >= 1; rank--) {
    const i = tested[rank - 1];
    running = Math.min(running, (p[i] * m) / rank);
    out[i] = running;
  }
  return out;
}

function countTests(p: Float64Array): number {
  let m = 0;
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i])) m++;
  return m;
}
