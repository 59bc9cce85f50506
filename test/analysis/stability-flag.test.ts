/**
 * The "unstable type" flag of the bootstrap stability (analysis/stability.ts, clusterboot style):
 * a type whose mean best Jaccard over the resamples is below 0.6 is flagged, a clear type is not.
 *
 * Data: two tight, far-apart blobs of 60 areas each and one cloud of 120 areas of pure Gaussian
 * noise in 8 dimensions. With k = 6 k-means must cut the noise cloud into four arbitrary
 * pieces; every resample cuts it differently, so those four types have a low Jaccard (Hennig's
 * "dissolved" region), while the two blobs come back whole every time.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapStability } from '../../analysis/stability.js';
import { kmeans } from '../../analysis/kmeans.js';
import { runTypology } from '../../analysis/typology.js';
import { Prng } from '../../analysis/prng.js';

const D = 8;
const BLOB = 60;
const NOISE = 120;
const N = 2 * BLOB + NOISE;

/** Rows 0–59 blob A, 60–119 blob B, 120–239 noise. */
function blobsAndNoise(seed: number): Float64Array {
  const rng = new Prng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const data = new Float64Array(N * D);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) {
      if (i < BLOB) data[i * D + j] = (j === 0 ? 30 : 0) + 0.3 * gauss();
      else if (i < 2 * BLOB) data[i * D + j] = (j === 1 ? 30 : 0) + 0.3 * gauss();
      else data[i * D + j] = -20 + 3 * gauss();
    }
  }
  return data;
}

/** The clusters of `labels` holding blob A, blob B and only noise rows. */
function clustersOf(labels: Int32Array) {
  const a = new Set(Array.from(labels.subarray(0, BLOB)));
  const b = new Set(Array.from(labels.subarray(BLOB, 2 * BLOB)));
  const noise = new Set(Array.from(labels.subarray(2 * BLOB)));
  return { a, b, noise };
}

describe('stability flag (mean bootstrap Jaccard < 0.6)', () => {
  const data = blobsAndNoise(7);

  it('clear case: three groups, k = 3 → every Jaccard 1, no flag', () => {
    const km = kmeans(data, N, D, 3, { seed: 1, restarts: 10 });
    const { a, b, noise } = clustersOf(km.labels);
    expect([a.size, b.size, noise.size]).toEqual([1, 1, 1]);
    const s = bootstrapStability(data, N, D, km.labels, 3, { resamples: 40, seed: 1, restarts: 3 });
    expect(s.threshold).toBe(0.6);
    expect(s.resamples).toBe(40);
    for (const j of s.jaccardByCluster) expect(j).toBeGreaterThan(0.99);
    expect(s.unstableByCluster).toEqual([false, false, false]);
    const kept = Array.from(s.keepShare).filter((v) => !Number.isNaN(v));
    expect(kept.length).toBe(N); // 40 resamples of 240: every area drawn at least once
    expect(Math.min(...kept)).toBe(1);
  });

  it('noise cut into four types (k = 6): those four are flagged, the two blobs are not', () => {
    const km = kmeans(data, N, D, 6, { seed: 1, restarts: 10 });
    const { a, b, noise } = clustersOf(km.labels);
    expect(a.size).toBe(1);
    expect(b.size).toBe(1);
    expect(noise.size).toBe(4);
    const blobClusters = [...a, ...b];
    expect(blobClusters.some((c) => noise.has(c))).toBe(false);
    for (const seed of [1, 2, 3]) {
      const s = bootstrapStability(data, N, D, km.labels, 6, { resamples: 40, seed, restarts: 3 });
      for (const c of blobClusters) {
        expect(s.jaccardByCluster[c], `blob cluster ${c}, seed ${seed}`).toBeGreaterThan(0.99);
        expect(s.unstableByCluster[c]).toBe(false);
      }
      for (const c of noise) {
        expect(s.jaccardByCluster[c], `noise cluster ${c}, seed ${seed}`).toBeLessThan(0.55);
        expect(s.jaccardByCluster[c]).toBeGreaterThan(0.2); // a piece still overlaps some resample piece
        expect(s.unstableByCluster[c]).toBe(true);
      }
      // the flag is exactly "mean Jaccard below the threshold"
      expect(s.unstableByCluster).toEqual(Array.from(s.jaccardByCluster, (j) => j < 0.6));
      // areas of the noise keep their type in far fewer resamples than blob areas
      const mean = (from: number, to: number) => {
        let sum = 0;
        for (let i = from; i < to; i++) sum += s.keepShare[i];
        return sum / (to - from);
      };
      expect(mean(0, 2 * BLOB)).toBe(1);
      expect(mean(2 * BLOB, N)).toBeLessThan(0.7);
    }
  });

  it('the threshold is a strict bound: a type exactly at it is not flagged; a custom threshold moves the flag', () => {
    const km = kmeans(data, N, D, 6, { seed: 1, restarts: 10 });
    const opts = { resamples: 40, seed: 2, restarts: 3 };
    const base = bootstrapStability(data, N, D, km.labels, 6, opts);
    const noiseJ = [...clustersOf(km.labels).noise].map((c) => base.jaccardByCluster[c]).sort((x, y) => x - y);
    // threshold at the lowest noise Jaccard: that type is no longer below it, the others are not flagged either
    const atLowest = bootstrapStability(data, N, D, km.labels, 6, { ...opts, threshold: noiseJ[0] });
    expect(Array.from(atLowest.jaccardByCluster)).toEqual(Array.from(base.jaccardByCluster)); // same seed, same resamples
    expect(atLowest.threshold).toBe(noiseJ[0]);
    expect(atLowest.unstableByCluster.filter(Boolean)).toHaveLength(0);
    // between the second and third lowest: exactly two flags
    const between = bootstrapStability(data, N, D, km.labels, 6, { ...opts, threshold: (noiseJ[1] + noiseJ[2]) / 2 });
    expect(noiseJ[2]).toBeGreaterThan(noiseJ[1]);
    expect(between.unstableByCluster.filter(Boolean)).toHaveLength(2);
    // a very strict threshold flags the blobs too (their Jaccard is 1, so only a bound above 1 does)
    const strict = bootstrapStability(data, N, D, km.labels, 6, { ...opts, threshold: 1.01 });
    expect(strict.unstableByCluster).toEqual([true, true, true, true, true, true]);
  });

  it('through runTypology: types[].unstable, stability and the warning name exactly the noise types', () => {
    const codes = Array.from({ length: N }, (_, i) => `A${String(i).padStart(3, '0')}`);
    const indicators = Array.from({ length: D }, (_, j) => ({
      key: `I${j + 1}`,
      label: `Indikator ${j + 1}`,
      polarity: 1,
    }));
    const noisy = runTypology(
      { codes, indicators, raw: data },
      { k: 6, restarts: 10, bootstrap: 40, bootstrapRestarts: 3, seed: 1 },
    );
    expect(noisy.stability).toEqual({ resamples: 40, restarts: 3, threshold: 0.6 });
    const typeOf = new Map(noisy.members.map((m) => [m.code, m.type]));
    const blobTypes = new Set([typeOf.get('A000')!, typeOf.get('A060')!]);
    expect(blobTypes.size).toBe(2);
    const noiseTypes = new Set(codes.slice(2 * BLOB).map((c) => typeOf.get(c)!));
    expect(noiseTypes.size).toBe(4);
    for (const t of noisy.types) {
      if (blobTypes.has(t.type)) {
        expect(t.size).toBe(BLOB);
        expect(t.stability!).toBeGreaterThan(0.99);
        expect(t.unstable).toBe(false);
      } else {
        expect(noiseTypes.has(t.type)).toBe(true);
        expect(t.stability!).toBeLessThan(0.6);
        expect(t.unstable).toBe(true);
      }
    }
    const flagged = noisy.types.filter((t) => t.unstable).map((t) => t.type);
    expect(noisy.warnings).toContain(
      `Instabile Typen (mittlere Jaccard-Ähnlichkeit < 0,6): ${flagged.map((t) => `Typ ${t}`).join(', ')}`,
    );

    const clear = runTypology(
      { codes, indicators, raw: data },
      { k: 3, restarts: 10, bootstrap: 40, bootstrapRestarts: 3, seed: 1 },
    );
    expect(clear.types.map((t) => t.unstable)).toEqual([false, false, false]);
    expect(clear.types.every((t) => t.stability! > 0.99)).toBe(true);
    expect(clear.types.map((t) => t.size).sort((x, y) => x - y)).toEqual([60, 60, 120]);
    expect(clear.warnings.some((w) => w.startsWith('Instabile Typen'))).toBe(false);
  });
});
