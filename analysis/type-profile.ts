/**
 * Types a person can read: the clusters of k-means renumbered into a stable, meaningful order,
 * each with a profile.
 *
 * Order: by the mean polarity-adjusted z-score of the type (its "need score": polarity · mean z,
 * averaged over indicators with a polarity), ascending, so Typ 1 has the least need and Typ k the
 * most. Ties (practically never) go to the larger type, then the lower cluster index. Because the
 * order depends only on the partition, not on k-means' arbitrary cluster numbers, the same
 * partition always gets the same type numbers. Without any polar indicator the plain mean z is used.
 *
 * Profile: size, share of areas, population and share of population (when given), mean z per
 * indicator (population z, ddof 0, in the indicator's own direction: what descriptions speak
 * in, whatever standardisation the clustering used), and mean raw value per indicator (the
 * centroid in original units).
 */

export interface TypeProfile {
  /** 1..k in need order. */
  type: number;
  /** The k-means cluster index this type came from. */
  cluster: number;
  size: number;
  share: number;
  /** Sum of the population of the type's areas; null when no population was given. */
  population: number | null;
  populationShare: number | null;
  /** Mean polarity-adjusted z (the ordering key). */
  needScore: number;
  meanZ: Float64Array;
  meanRaw: Float64Array;
}

export interface ProfileInput {
  /** Cluster index 0..k−1 per area. */
  labels: Int32Array;
  k: number;
  /** Population z-scores n × p (own direction). */
  z: Float64Array;
  /** Raw values n × p. */
  raw: Float64Array;
  n: number;
  p: number;
  /** Per indicator: +1 higher = more need, −1 higher = less need, 0 neutral. */
  polarity: ArrayLike<number>;
  /** Per area population (NaN = unknown); optional. */
  population?: Float64Array;
}

export function typeProfiles(input: ProfileInput): TypeProfile[] {
  const { labels, k, z, raw, n, p, polarity, population } = input;
  const sizes = new Int32Array(k);
  const sumZ = new Float64Array(k * p);
  const sumRaw = new Float64Array(k * p);
  const pop = new Float64Array(k);
  let totalPop = 0;
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    sizes[c]++;
    for (let j = 0; j < p; j++) {
      sumZ[c * p + j] += z[i * p + j];
      sumRaw[c * p + j] += raw[i * p + j];
    }
    if (population && Number.isFinite(population[i])) {
      pop[c] += population[i];
      totalPop += population[i];
    }
  }
  const anyPolar = Array.from(polarity).some((x) => x !== 0);
  const clusters: TypeProfile[] = [];
  for (let c = 0; c < k; c++) {
    const meanZ = new Float64Array(p);
    const meanRaw = new Float64Array(p);
    let need = 0;
    let counted = 0;
    for (let j = 0; j < p; j++) {
      meanZ[j] = sizes[c] > 0 ? sumZ[c * p + j] / sizes[c] : NaN;
      meanRaw[j] = sizes[c] > 0 ? sumRaw[c * p + j] / sizes[c] : NaN;
      const weight = anyPolar ? Math.sign(polarity[j]) : 1;
      if (weight !== 0) {
        need += weight * meanZ[j];
        counted++;
      }
    }
    clusters.push({
      type: 0,
      cluster: c,
      size: sizes[c],
      share: sizes[c] / n,
      population: population ? pop[c] : null,
      populationShare: population && totalPop > 0 ? pop[c] / totalPop : null,
      needScore: counted > 0 ? need / counted : 0,
      meanZ,
      meanRaw,
    });
  }
  clusters.sort((a, b) => a.needScore - b.needScore || b.size - a.size || a.cluster - b.cluster);
  clusters.forEach((t, i) => (t.type = i + 1));
  return clusters;
}

/** Type number (1..k) per area from cluster labels and the profiles' order. */
export function typeOfAreas(labels: Int32Array, profiles: TypeProfile[]): Int32Array {
  const typeOfCluster = new Int32Array(profiles.length);
  for (const t of profiles) typeOfCluster[t.cluster] = t.type;
  return Int32Array.from(labels, (c) => typeOfCluster[c]);
}
