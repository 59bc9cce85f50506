/**
 * Bootstrap stability of a k-means partition in the manner of clusterboot (Hennig 2007):
 * draw n areas with replacement, cluster the resample with the same k, and compare each
 * original type with the most similar resample cluster by the Jaccard similarity on the areas
 * that were drawn (counted once each).
 *
 * - per type: the mean over resamples of that best Jaccard (Hennig: ≤ 0.5 dissolved,
 *   ≥ 0.75 stable; we flag types below 0.6 as the issue asks);
 * - per area: the share of the resamples containing it in which it keeps its type, where each
 *   resample cluster is identified with the original type it overlaps most (by Jaccard).
 *
 * Each resample is clustered with fewer restarts than the main run (default 10): the goal is
 * the variability of the partition, and 100 × 50 restarts would cost more than the whole range.
 */
import { Prng } from './prng.js';
import { kmeans, type KMeansOptions } from './kmeans.js';

export interface StabilityOptions {
  /** Bootstrap resamples; default 100 (as clusterboot's B). */
  resamples?: number;
  /** Seed; default 1. */
  seed?: number;
  /** k-means restarts per resample; default 10. */
  restarts?: number;
  /** Types with mean Jaccard below this are flagged; default 0.6. */
  threshold?: number;
  /** Passed on to k-means (maxIterations, tolerance, refine). */
  kmeans?: Omit<KMeansOptions, 'restarts' | 'seed'>;
  /** Called after each resample with the share done (0..1). */
  onProgress?: (done: number) => void;
}

export interface StabilityResult {
  resamples: number;
  threshold: number;
  /** Per original cluster index: mean best Jaccard. */
  jaccardByCluster: Float64Array;
  /** Per original cluster index: mean Jaccard < threshold. */
  unstableByCluster: boolean[];
  /** Per area: share of resamples (that drew it) in which it kept its type; NaN if never drawn. */
  keepShare: Float64Array;
}

export function bootstrapStability(
  data: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  k: number,
  options: StabilityOptions = {},
): StabilityResult {
  const resamples = options.resamples ?? 100;
  const threshold = options.threshold ?? 0.6;
  const restarts = options.restarts ?? 10;
  const rng = new Prng((options.seed ?? 1) ^ 0x5bd1e995);

  const jaccardSum = new Float64Array(k);
  const jaccardCount = new Int32Array(k);
  const drawnCount = new Int32Array(n);
  const keptCount = new Int32Array(n);
  const sample = new Float64Array(n * d);
  const firstPosition = new Int32Array(n);

  for (let b = 0; b < resamples; b++) {
    firstPosition.fill(-1);
    for (let r = 0; r < n; r++) {
      const i = rng.int(n);
      if (firstPosition[i] < 0) firstPosition[i] = r;
      for (let j = 0; j < d; j++) sample[r * d + j] = data[i * d + j];
    }
    const result = kmeans(sample, n, d, k, { ...options.kmeans, restarts, seed: rng.nextUint32() });
    // Contingency of original cluster × resample cluster over the distinct areas drawn.
    const table = new Int32Array(k * k);
    const rowSum = new Int32Array(k);
    const colSum = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const r = firstPosition[i];
      if (r < 0) continue;
      const a = labels[i];
      const e = result.labels[r];
      table[a * k + e]++;
      rowSum[a]++;
      colSum[e]++;
    }
    const jaccard = (a: number, e: number): number => {
      const both = table[a * k + e];
      const union = rowSum[a] + colSum[e] - both;
      return union > 0 ? both / union : 0;
    };
    for (let a = 0; a < k; a++) {
      if (rowSum[a] === 0) continue; // type not drawn at all: no evidence either way
      let best = 0;
      for (let e = 0; e < k; e++) best = Math.max(best, jaccard(a, e));
      jaccardSum[a] += best;
      jaccardCount[a]++;
    }
    const originalOf = new Int32Array(k).fill(-1);
    for (let e = 0; e < k; e++) {
      let best = -1;
      for (let a = 0; a < k; a++) {
        const jac = jaccard(a, e);
        if (jac > best) {
          best = jac;
          originalOf[e] = a;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const r = firstPosition[i];
      if (r < 0) continue;
      drawnCount[i]++;
      if (originalOf[result.labels[r]] === labels[i]) keptCount[i]++;
    }
    options.onProgress?.((b + 1) / resamples);
  }
  const jaccardByCluster = Float64Array.from(jaccardSum, (s, a) => (jaccardCount[a] > 0 ? s / jaccardCount[a] : NaN));
  return {
    resamples,
    threshold,
    jaccardByCluster,
    unstableByCluster: Array.from(jaccardByCluster, (j) => !(j >= threshold)),
    keepShare: Float64Array.from(keptCount, (c, i) => (drawnCount[i] > 0 ? c / drawnCount[i] : NaN)),
  };
}
