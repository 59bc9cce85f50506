/**
 * k-means on a row-major Float64Array (n points × d dimensions), own typed-array kernel.
 *
 * Why not ml-kmeans: it works on number[][] with a distance callback per pair, allocates per
 * iteration and has no restarts; the bench needs k = 2..10 × 50 restarts on 100 000 areas.
 * ml-kmeans stays as the cross-check in test/analysis/typology-units.test.ts, and
 * `npm run bench -- typology` times both on the same data.
 *
 * Per restart:
 * 1. greedy k-means++ seeding as in scikit-learn: every new centre is the best (lowest
 *    potential) of 2 + ⌊ln k⌋ candidates drawn with probability ∝ D².
 * 2. Lloyd iterations accelerated with Hamerly's bounds (one upper bound to the own centre, one
 *    lower bound to all others), which skip most distance computations once centres settle;
 *    the result is the same as plain Lloyd.
 *    Stop when no label changes or the summed squared centre shift ≤ tol · mean column
 *    variance (scikit-learn's definition of tol), or after maxIterations.
 * 3. Hartigan refinement (default on): single-point moves that lower the total within-cluster
 *    sum of squares, taking into account that the means move with the point
 *    (Δ = n_b/(n_b+1)·‖x−c_b‖² − n_a/(n_a−1)·‖x−c_a‖²). Every Lloyd fixed point that is not a
 *    Hartigan fixed point is improved, which is how we match or beat scikit-learn's best of 50.
 * The restart with the lowest inertia wins (ties: the earliest).
 *
 * Large inputs (n > sampleAbove, default 5 000): the restarts run on a seeded random sample of
 * restartSample areas (default 2 500), and only the best `finalists` (default 5) centre sets
 * are carried to all areas, where Lloyd and Hartigan finish them (Bradley & Fayyad 1998,
 * "refining initial points"). The many restarts are what finds the good basin; running all of
 * them on 100 000 areas would cost 50 full runs per k instead of about 5 + 50·2 500/n.
 * Up to sampleAbove areas (the Berlin sample, every synchronous API run) all restarts use all areas.
 *
 * Randomness comes from analysis/prng.ts: the stream for k depends only on (seed, k), so the
 * result for k = 5 is the same whether it is run alone or inside a range 2..10.
 */
import { Prng } from './prng.js';
import { seededSample } from './seeded-sample.js';

export interface KMeansOptions {
  /** Independent k-means++ starts; default 50 (scikit-learn n_init=50 in the reference). */
  restarts?: number;
  /** Seed of the PRNG; default 1. */
  seed?: number;
  /** Lloyd iteration cap per restart; default 300 (as scikit-learn). */
  maxIterations?: number;
  /** Convergence tolerance relative to the mean column variance; default 1e-4 (as scikit-learn). */
  tolerance?: number;
  /** Candidates per k-means++ step; default 2 + ⌊ln k⌋ (as scikit-learn). */
  localTrials?: number;
  /** Hartigan single-point refinement after Lloyd; default true. */
  refine?: boolean;
  /** Above this many points the restarts run on a sample; default 5 000. */
  sampleAbove?: number;
  /** Size of that sample; default 2 500. */
  restartSample?: number;
  /** Best sample solutions finished on all points; default 5. */
  finalists?: number;
}

export interface KMeansResult {
  k: number;
  /** Cluster index 0..k−1 per point. */
  labels: Int32Array;
  /** Cluster means k × d, row-major. */
  centers: Float64Array;
  sizes: Int32Array;
  /** Within-cluster sum of squared distances to the cluster means. */
  inertia: number;
  /** Lloyd iterations of the winning restart. */
  iterations: number;
  /** Index of the winning restart. */
  bestRestart: number;
  restarts: number;
}

export function kmeans(data: Float64Array, n: number, d: number, k: number, options: KMeansOptions = {}): KMeansResult {
  const restarts = options.restarts ?? 50;
  const seed = options.seed ?? 1;
  const maxIterations = options.maxIterations ?? 300;
  const tolerance = options.tolerance ?? 1e-4;
  const localTrials = options.localTrials ?? 2 + Math.floor(Math.log(k));
  const refine = options.refine ?? true;

  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (k > n) throw new RangeError(`k = ${k} exceeds the number of points ${n}`);
  if (data.length !== n * d) throw new RangeError(`matrix has ${data.length} values, expected ${n}×${d}`);
  if (!(restarts >= 1)) throw new RangeError(`restarts must be ≥ 1, got ${restarts}`);

  const tolAbs = tolerance * meanColumnVariance(data, n, d);
  const rng = new Prng(streamSeed(seed, k));
  const sampleAbove = options.sampleAbove ?? 5000;
  const restartSample = Math.min(n, options.restartSample ?? 2500);
  const finalists = options.finalists ?? 5;

  if (n <= sampleAbove || restartSample >= n) {
    const work = new Workspace(n, d, k);
    let best: KMeansResult | undefined;
    for (let r = 0; r < restarts; r++) {
      const centers = kmeansPlusPlus(data, n, d, k, rng.fork(r), localTrials, work);
      const run = finishRun(data, n, d, k, centers, maxIterations, tolAbs, refine, work, r, restarts);
      if (!best || run.inertia < best.inertia) best = run;
    }
    return best!;
  }

  // Restarts on a sample, the best few finished on all points.
  const sampleIndex = seededSample(n, restartSample, rng.nextUint32());
  const sample = new Float64Array(restartSample * d);
  sampleIndex.forEach((i, r) => sample.set(data.subarray(i * d, (i + 1) * d), r * d));
  const sampleWork = new Workspace(restartSample, d, k);
  const candidates: { centers: Float64Array; inertia: number; restart: number }[] = [];
  for (let r = 0; r < restarts; r++) {
    const centers = kmeansPlusPlus(sample, restartSample, d, k, rng.fork(r), localTrials, sampleWork);
    const run = finishRun(sample, restartSample, d, k, centers, maxIterations, tolAbs, refine, sampleWork, r, restarts);
    candidates.push({ centers: run.centers, inertia: run.inertia, restart: r });
  }
  candidates.sort((a, b) => a.inertia - b.inertia || a.restart - b.restart);
  const work = new Workspace(n, d, k);
  let best: KMeansResult | undefined;
  for (const candidate of candidates.slice(0, finalists)) {
    nearestOfAll(data, n, d, k, candidate.centers, work);
    const run = finishRun(
      data,
      n,
      d,
      k,
      candidate.centers,
      maxIterations,
      tolAbs,
      refine,
      work,
      candidate.restart,
      restarts,
    );
    if (!best || run.inertia < best.inertia) best = run;
  }
  return best!;
}

/** Lloyd (from centres whose nearest-point data are in work.nearest/closest), Hartigan, exact means. */
function finishRun(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  centers: Float64Array,
  maxIterations: number,
  tolAbs: number,
  refine: boolean,
  work: Workspace,
  restart: number,
  restarts: number,
): KMeansResult {
  const labels = new Int32Array(n);
  const iterations = lloyd(data, n, d, k, centers, labels, maxIterations, tolAbs, work);
  if (refine) hartigan(data, n, d, k, labels, centers, work.lower);
  const { means, sizes, inertia } = clusterMeans(data, n, d, k, labels);
  return { k, labels, centers: means, sizes, inertia, iterations, bestRestart: restart, restarts };
}

/** Exact nearest centre and squared distance of every point (what k-means++ leaves for Lloyd). */
function nearestOfAll(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  centers: Float64Array,
  work: Workspace,
): void {
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let bestCluster = 0;
    for (let c = 0; c < k; c++) {
      const s = squaredDistance(data, i, centers, c, d);
      if (s < best) {
        best = s;
        bestCluster = c;
      }
    }
    work.nearest[i] = bestCluster;
    work.closest[i] = best;
  }
}

/** Seed of the stream for one k: a hash so that neighbouring seeds and k give unrelated streams. */
function streamSeed(seed: number, k: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(k + 0x632be5ab, 0x85ebca6b)) >>> 0;
}

/** Scratch buffers reused by every restart (no allocation inside the iterations). */
class Workspace {
  readonly closest: Float64Array;
  readonly nearest: Int32Array;
  readonly gapToCenter: Float64Array;
  readonly candidate: Float64Array;
  readonly bestCandidate: Float64Array;
  readonly cumulative: Float64Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  readonly sums: Float64Array;
  readonly counts: Int32Array;
  readonly shift: Float64Array;
  readonly halfGap: Float64Array;
  readonly centerDistance: Float64Array;
  readonly next: Float64Array;
  constructor(n: number, d: number, k: number) {
    this.closest = new Float64Array(n);
    this.nearest = new Int32Array(n);
    this.gapToCenter = new Float64Array(k);
    this.candidate = new Float64Array(n);
    this.bestCandidate = new Float64Array(n);
    this.cumulative = new Float64Array(n);
    this.upper = new Float64Array(n);
    this.lower = new Float64Array(n);
    this.sums = new Float64Array(k * d);
    this.counts = new Int32Array(k);
    this.shift = new Float64Array(k);
    this.halfGap = new Float64Array(k);
    this.centerDistance = new Float64Array(k * k);
    this.next = new Float64Array(k * d);
  }
}

function meanColumnVariance(data: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (data[i * d + j] - mean) ** 2;
    total += ss / n;
  }
  return total / d;
}

function squaredDistance(data: Float64Array, i: number, centers: Float64Array, c: number, d: number): number {
  let s = 0;
  const o = i * d;
  const q = c * d;
  for (let j = 0; j < d; j++) {
    const t = data[o + j] - centers[q + j];
    s += t * t;
  }
  return s;
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's local trials).
 * A candidate can only become the nearest centre of point x if ‖cand − c(x)‖ < 2‖x − c(x)‖
 * (triangle inequality, c(x) = x's current nearest centre), so every other point is skipped
 * without computing its distance: the same result as the plain loop, at a fraction of the cost.
 */
function kmeansPlusPlus(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Prng,
  trials: number,
  work: Workspace,
): Float64Array {
  const centers = new Float64Array(k * d);
  const first = rng.int(n);
  for (let j = 0; j < d; j++) centers[j] = data[first * d + j];
  let closest = work.closest;
  const nearest = work.nearest;
  nearest.fill(0);
  for (let i = 0; i < n; i++) closest[i] = squaredDistance(data, i, centers, 0, d);
  let candidate = work.candidate;
  let bestCandidate = work.bestCandidate;
  const cumulative = work.cumulative;
  const gapToCenter = work.gapToCenter;
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) {
      running += closest[i];
      cumulative[i] = running;
    }
    let bestPotential = Infinity;
    let bestIndex = -1;
    for (let t = 0; t < trials; t++) {
      // All points coincide with chosen centres (potential 0): any point will do.
      const index = running > 0 ? searchSorted(cumulative, rng.next() * running) : rng.int(n);
      const o = index * d;
      for (let e = 0; e < c; e++) gapToCenter[e] = squaredDistance(data, index, centers, e, d);
      let trialPotential = 0;
      for (let i = 0; i < n; i++) {
        const current = closest[i];
        let m = current;
        // ‖cand − c(x)‖² ≥ 4‖x − c(x)‖² ⇒ the candidate is not closer: skip the distance.
        if (gapToCenter[nearest[i]] < 4 * current) {
          let s = 0;
          const p = i * d;
          for (let j = 0; j < d; j++) {
            const diff = data[p + j] - data[o + j];
            s += diff * diff;
          }
          if (s < m) m = s;
        }
        candidate[i] = m;
        trialPotential += m;
      }
      if (trialPotential < bestPotential) {
        bestPotential = trialPotential;
        bestIndex = index;
        const swap = bestCandidate;
        bestCandidate = candidate;
        candidate = swap;
      }
    }
    for (let j = 0; j < d; j++) centers[c * d + j] = data[bestIndex * d + j];
    for (let i = 0; i < n; i++) if (bestCandidate[i] < closest[i]) nearest[i] = c;
    const swap = closest;
    closest = bestCandidate;
    bestCandidate = swap;
  }
  // Lloyd starts from these exact nearest distances (see lloyd()).
  if (closest !== work.closest) work.closest.set(closest);
  return centers;
}

/** First index whose cumulative sum exceeds value (clamped to the last index). */
function searchSorted(cumulative: Float64Array, value: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Lloyd iterations with Hamerly's bounds. `centers` is updated in place; `labels` receives the
 * final assignment (to the final centres). Returns the number of iterations.
 */
function lloyd(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  centers: Float64Array,
  labels: Int32Array,
  maxIterations: number,
  tolAbs: number,
  work: Workspace,
): number {
  const { upper, lower, sums, counts, shift, next } = work;
  sums.fill(0);
  counts.fill(0);
  // Start from k-means++'s exact nearest centre and distance, then let the centre filter find
  // the second-nearest bound (and confirm the nearest) with few distance computations.
  computeCenterDistances(centers, k, d, work.centerDistance, work.halfGap);
  for (let i = 0; i < n; i++) {
    labels[i] = work.nearest[i];
    upper[i] = Math.sqrt(work.closest[i]);
    assignPruned(data, i, d, k, centers, labels, upper, lower, work.centerDistance);
    const a = labels[i];
    counts[a]++;
    for (let j = 0; j < d; j++) sums[a * d + j] += data[i * d + j];
  }
  let iteration = 0;
  while (iteration < maxIterations) {
    iteration++;
    // M-step: new centres from the running sums.
    relocateEmptyClusters(data, n, d, k, centers, labels, upper, lower, sums, counts);
    let shiftTotal = 0;
    let maxShift = 0;
    let maxShiftCluster = -1;
    let secondShift = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j] / counts[c];
        const t = v - centers[c * d + j];
        s += t * t;
        next[c * d + j] = v;
      }
      shiftTotal += s;
      shift[c] = Math.sqrt(s);
      if (shift[c] > maxShift) {
        secondShift = maxShift;
        maxShift = shift[c];
        maxShiftCluster = c;
      } else if (shift[c] > secondShift) secondShift = shift[c];
    }
    centers.set(next);
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      upper[i] += shift[a];
      lower[i] -= a === maxShiftCluster ? secondShift : maxShift;
    }
    const converged = shiftTotal <= tolAbs;
    // E-step with bounds; after convergence by tolerance it is the final assignment to the
    // final centres (scikit-learn does the same), which keeps the bounds valid for Hartigan.
    const changed = boundedAssign(data, n, d, k, centers, labels, work);
    if (converged || changed === 0) break;
  }
  return iteration;
}

/** One Hamerly E-step: reassigns the points whose bounds do not prove their label; returns how many changed. */
function boundedAssign(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  centers: Float64Array,
  labels: Int32Array,
  work: Workspace,
): number {
  const { upper, lower, sums, counts, halfGap, centerDistance } = work;
  computeCenterDistances(centers, k, d, centerDistance, halfGap);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    const bound = halfGap[a] > lower[i] ? halfGap[a] : lower[i];
    if (upper[i] <= bound) continue;
    upper[i] = Math.sqrt(squaredDistance(data, i, centers, a, d));
    if (upper[i] <= bound) continue;
    assignPruned(data, i, d, k, centers, labels, upper, lower, centerDistance);
    const b = labels[i];
    if (b !== a) {
      changed++;
      counts[a]--;
      counts[b]++;
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j];
        sums[a * d + j] -= v;
        sums[b * d + j] += v;
      }
    }
  }
  return changed;
}

/** Centre-to-centre distances (k × k) and, per centre, half the distance to its nearest other centre. */
function computeCenterDistances(
  centers: Float64Array,
  k: number,
  d: number,
  centerDistance: Float64Array,
  halfGap: Float64Array,
): void {
  for (let c = 0; c < k; c++) {
    centerDistance[c * k + c] = 0;
    for (let e = c + 1; e < k; e++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = centers[c * d + j] - centers[e * d + j];
        s += t * t;
      }
      const gap = Math.sqrt(s);
      centerDistance[c * k + e] = gap;
      centerDistance[e * k + c] = gap;
    }
  }
  for (let c = 0; c < k; c++) {
    let m = Infinity;
    for (let e = 0; e < k; e++) if (e !== c && centerDistance[c * k + e] < m) m = centerDistance[c * k + e];
    halfGap[c] = m / 2;
  }
}

/**
 * Nearest centre of point i given its exact distance upper[i] to its current centre a.
 * Centre c is skipped without computing its distance when ‖a − c‖ ≥ 2·upper[i]: then
 * ‖x − c‖ ≥ ‖a − c‖ − ‖x − a‖ ≥ ‖x − a‖ (Elkan's centre filter), and ‖a − c‖ − upper[i] still
 * serves as a lower bound for the second-nearest distance. Same labels as a full scan.
 */
function assignPruned(
  data: Float64Array,
  i: number,
  d: number,
  k: number,
  centers: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  centerDistance: Float64Array,
): void {
  const a = labels[i];
  const own = upper[i];
  let best = a;
  let bestDistance = own;
  let second = Infinity;
  const o = i * d;
  for (let c = 0; c < k; c++) {
    if (c === a) continue;
    const gap = centerDistance[a * k + c];
    if (gap >= 2 * own) {
      const bound = gap - own;
      if (bound < second) second = bound;
      continue;
    }
    let s = 0;
    const q = c * d;
    for (let j = 0; j < d; j++) {
      const t = data[o + j] - centers[q + j];
      s += t * t;
    }
    const distance = Math.sqrt(s);
    if (distance < bestDistance) {
      second = bestDistance;
      bestDistance = distance;
      best = c;
    } else if (distance < second) second = distance;
  }
  labels[i] = best;
  upper[i] = bestDistance;
  lower[i] = second;
}

/**
 * A cluster that lost all points gets the point farthest from its own centre (by the upper
 * bound), as scikit-learn relocates empty clusters; all lower bounds are reset so the next
 * E-step re-examines every point.
 */
function relocateEmptyClusters(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  centers: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  counts: Int32Array,
): void {
  for (let c = 0; c < k; c++) {
    if (counts[c] > 0) continue;
    let far = -1;
    let farDistance = -1;
    for (let i = 0; i < n; i++) {
      if (counts[labels[i]] > 1 && upper[i] > farDistance) {
        farDistance = upper[i];
        far = i;
      }
    }
    if (far < 0) continue;
    const a = labels[far];
    counts[a]--;
    counts[c]++;
    for (let j = 0; j < d; j++) {
      const v = data[far * d + j];
      sums[a * d + j] -= v;
      sums[c * d + j] += v;
      centers[c * d + j] = v;
    }
    labels[far] = c;
    upper[far] = 0;
    lower.fill(0);
  }
}

/**
 * Hartigan single-point moves until none lowers the within-cluster sum of squares.
 *
 * Pruning: moving x from a to c pays only if n_c/(n_c+1)·‖x−c‖² < n_a/(n_a−1)·‖x−a‖². With L a
 * lower bound on the distance from x to every other centre, no move can pay when
 * min_c n_c/(n_c+1) · L² ≥ n_a/(n_a−1)·‖x−a‖², so x is skipped after one distance. L starts as
 * Lloyd's exact second-nearest distance and is loosened by `drift`, the summed largest centre
 * shift of every move since L was computed (no centre can have moved farther).
 */
function hartigan(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  labels: Int32Array,
  lloydCenters: Float64Array,
  secondNearest: Float64Array,
  maxPasses = 100,
): void {
  const { means, sizes } = clusterMeans(data, n, d, k, labels);
  // The exact means differ slightly from Lloyd's last centres: start the drift there.
  let drift = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (means[c * d + j] - lloydCenters[c * d + j]) ** 2;
    drift = Math.max(drift, Math.sqrt(s));
  }
  const lower = Float64Array.from(secondNearest);
  const stamp = new Float64Array(n); // drift at the time lower[i] was computed (0 = before the first move)
  let minRatio = smallestGrowthRatio(sizes, k);
  for (let pass = 0; pass < maxPasses; pass++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      const na = sizes[a];
      if (na <= 1) continue;
      const ownSquared = squaredDistance(data, i, means, a, d);
      const removal = (ownSquared * na) / (na - 1);
      const bound = lower[i] - (drift - stamp[i]);
      if (bound > 0 && minRatio * bound * bound >= removal) continue;
      let bestCost = removal;
      let target = a;
      let otherNearest = Infinity;
      for (let c = 0; c < k; c++) {
        if (c === a) continue;
        const squared = squaredDistance(data, i, means, c, d);
        if (squared < otherNearest) otherNearest = squared;
        const nc = sizes[c];
        const addition = (squared * nc) / (nc + 1);
        if (addition < bestCost) {
          bestCost = addition;
          target = c;
        }
      }
      stamp[i] = drift;
      // A relative margin keeps round-off from bouncing a point between two equal choices.
      if (target === a || bestCost >= removal * (1 - 1e-12)) {
        lower[i] = Math.sqrt(otherNearest);
        continue;
      }
      // After the move the "other" centres are all but target, which now includes a.
      let newOther = ownSquared;
      for (let c = 0; c < k; c++)
        if (c !== a && c !== target) newOther = Math.min(newOther, squaredDistance(data, i, means, c, d));
      lower[i] = Math.sqrt(newOther);
      const nb = sizes[target];
      const targetDistance = Math.sqrt(squaredDistance(data, i, means, target, d));
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j];
        means[a * d + j] = (means[a * d + j] * na - v) / (na - 1);
        means[target * d + j] = (means[target * d + j] * nb + v) / (nb + 1);
      }
      drift += Math.max(Math.sqrt(ownSquared) / (na - 1), targetDistance / (nb + 1));
      sizes[a] = na - 1;
      sizes[target] = nb + 1;
      labels[i] = target;
      minRatio = smallestGrowthRatio(sizes, k);
      moved++;
    }
    if (moved === 0) break;
  }
}

/** min over clusters of n/(n+1): the cheapest factor at which a point can join any cluster. */
function smallestGrowthRatio(sizes: Int32Array, k: number): number {
  let smallest = Infinity;
  for (let c = 0; c < k; c++) smallest = Math.min(smallest, sizes[c] / (sizes[c] + 1));
  return smallest;
}

/** Exact cluster means, sizes and inertia of a labelling. */
export function clusterMeans(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  labels: Int32Array,
): { means: Float64Array; sizes: Int32Array; inertia: number } {
  const means = new Float64Array(k * d);
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    sizes[a]++;
    for (let j = 0; j < d; j++) means[a * d + j] += data[i * d + j];
  }
  for (let c = 0; c < k; c++) if (sizes[c] > 0) for (let j = 0; j < d; j++) means[c * d + j] /= sizes[c];
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += squaredDistance(data, i, means, labels[i], d);
  return { means, sizes, inertia };
}
