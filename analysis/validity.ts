/**
 * Internal validity indices of a partition, defined as in scikit-learn 1.2 so the numbers
 * compare directly:
 * - silhouette (Rousseeuw 1987): per point s = (b − a) / max(a, b), a = mean Euclidean distance
 *   to the other members of its cluster, b = the lowest mean distance to another cluster;
 *   a point alone in its cluster scores 0. Higher is better.
 * - Calinski–Harabasz: between-cluster dispersion / (k − 1) over within-cluster dispersion /
 *   (n − k). Higher is better.
 * - Davies–Bouldin: mean over clusters of the worst (s_i + s_j) / ‖c_i − c_j‖, s_i = mean distance
 *   of the members to their centroid. Lower is better.
 *
 * The silhouette is O(n²). Pair distances do not depend on the labelling, so
 * silhouetteForLabelings evaluates every k of a range in ONE pass over the pairs. Above
 * `exactLimit` areas (default 20 000) it is computed on a seeded random sample of `sampleSize`
 * areas (default 10 000), as scikit-learn's silhouette_score(sample_size=…) does, and the
 * output says so.
 */
import { seededSample } from './seeded-sample.js';

export { seededSample };

export interface SilhouetteOptions {
  /** Largest n computed exactly; default 20 000. */
  exactLimit?: number;
  /** Sample size above exactLimit; default 10 000. */
  sampleSize?: number;
  /** Seed for the sample; default 1. */
  seed?: number;
}

export interface SilhouetteResult {
  /** Mean silhouette over the evaluated points. */
  mean: number;
  /** Per point; NaN for points outside the sample. */
  perPoint: Float64Array;
}

export interface SilhouetteRun {
  results: SilhouetteResult[];
  /** True when every point was evaluated. */
  exact: boolean;
  /** Number of points evaluated (n when exact). */
  sampleSize: number;
}

/** Silhouettes of several labellings (each Int32Array of 0..k−1, with its k) in one pass. */
export function silhouetteForLabelings(
  data: Float64Array,
  n: number,
  d: number,
  labelings: { labels: Int32Array; k: number }[],
  options: SilhouetteOptions = {},
): SilhouetteRun {
  const exactLimit = options.exactLimit ?? 20000;
  const sampleSizeOption = options.sampleSize ?? 10000;
  const exact = n <= exactLimit;
  const points = exact ? identity(n) : seededSample(n, Math.min(n, sampleSizeOption), options.seed ?? 1);
  const s = points.length;
  const L = labelings.length;
  const ks = labelings.map(({ k }) => k);
  // Sample-local labels and, per labelling, per point the sum of distances to each cluster.
  const localLabels = labelings.map(({ labels }) => Int32Array.from(points, (i) => labels[i]));
  const sums = labelings.map(({ k }) => new Float64Array(s * k));
  // Column-major copy of the evaluated points: the distance loop then runs over contiguous
  // memory with one subtraction per element, which V8 turns into a tight loop.
  const columns = Array.from({ length: d }, (_, j) => Float64Array.from(points, (i) => data[i * d + j]));
  const dist = new Float64Array(s);
  for (let a = 0; a < s - 1; a++) {
    // Distances from a to every b > a (each pair once; both ends are credited below).
    dist.fill(0, a + 1);
    for (let j = 0; j < d; j++) {
      const column = columns[j];
      const xa = column[a];
      for (let b = a + 1; b < s; b++) {
        const t = column[b] - xa;
        dist[b] += t * t;
      }
    }
    for (let b = a + 1; b < s; b++) dist[b] = Math.sqrt(dist[b]);
    for (let l = 0; l < L; l++) accumulate(dist, a, s, localLabels[l], ks[l], sums[l]);
  }
  const results = labelings.map((_labeling, l) => {
    const k = ks[l];
    const labels = localLabels[l];
    const counts = new Int32Array(k);
    for (let a = 0; a < s; a++) counts[labels[a]]++;
    const perPoint = new Float64Array(n).fill(NaN);
    let total = 0;
    for (let a = 0; a < s; a++) {
      const own = labels[a];
      let value = 0;
      if (counts[own] > 1) {
        const within = sums[l][a * k + own] / (counts[own] - 1);
        let nearest = Infinity;
        for (let c = 0; c < k; c++) {
          if (c === own || counts[c] === 0) continue;
          const m = sums[l][a * k + c] / counts[c];
          if (m < nearest) nearest = m;
        }
        const denom = Math.max(within, nearest);
        value = nearest === Infinity ? 0 : denom > 0 ? (nearest - within) / denom : 0;
      }
      perPoint[points[a]] = value;
      total += value;
    }
    return { mean: total / s, perPoint };
  });
  return { results, exact, sampleSize: s };
}

/** Silhouette of one labelling. */
export function silhouette(
  data: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  k: number,
  options: SilhouetteOptions = {},
): SilhouetteResult & { exact: boolean; sampleSize: number } {
  const run = silhouetteForLabelings(data, n, d, [{ labels, k }], options);
  return { ...run.results[0], exact: run.exact, sampleSize: run.sampleSize };
}

/** Credits the distances of point a to b > a to both a's and each b's cluster sums. */
function accumulate(dist: Float64Array, a: number, s: number, labels: Int32Array, k: number, sums: Float64Array): void {
  const ownOffset = a * k;
  const labelA = labels[a];
  for (let b = a + 1; b < s; b++) {
    const v = dist[b];
    sums[ownOffset + labels[b]] += v;
    sums[b * k + labelA] += v;
  }
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

function centroids(
  data: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  k: number,
): { means: Float64Array; sizes: Int32Array } {
  const means = new Float64Array(k * d);
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    sizes[labels[i]]++;
    for (let j = 0; j < d; j++) means[labels[i] * d + j] += data[i * d + j];
  }
  for (let c = 0; c < k; c++) if (sizes[c] > 0) for (let j = 0; j < d; j++) means[c * d + j] /= sizes[c];
  return { means, sizes };
}

export function calinskiHarabasz(data: Float64Array, n: number, d: number, labels: Int32Array, k: number): number {
  const { means, sizes } = centroids(data, n, d, labels, k);
  const overall = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) overall[j] += data[i * d + j];
  for (let j = 0; j < d; j++) overall[j] /= n;
  let between = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (means[c * d + j] - overall[j]) ** 2;
    between += sizes[c] * s;
  }
  let within = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) within += (data[i * d + j] - means[labels[i] * d + j]) ** 2;
  // scikit-learn returns 1 when every point sits on its centroid.
  return within === 0 ? 1 : (between * (n - k)) / (within * (k - 1));
}

export function daviesBouldin(data: Float64Array, n: number, d: number, labels: Int32Array, k: number): number {
  const { means, sizes } = centroids(data, n, d, labels, k);
  const spread = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (data[i * d + j] - means[labels[i] * d + j]) ** 2;
    spread[labels[i]] += Math.sqrt(s);
  }
  for (let c = 0; c < k; c++) if (sizes[c] > 0) spread[c] /= sizes[c];
  let total = 0;
  for (let a = 0; a < k; a++) {
    let worst = 0;
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += (means[a * d + j] - means[b * d + j]) ** 2;
      const gap = Math.sqrt(s);
      // Coinciding centroids are skipped, as scikit-learn treats their distance as infinite.
      if (gap === 0) continue;
      const r = (spread[a] + spread[b]) / gap;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / k;
}
