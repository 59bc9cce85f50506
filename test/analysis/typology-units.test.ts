/**
 * Unit tests of the typology modules on small inputs whose answers are known by hand, and the
 * cross-check of our k-means kernel against ml-kmeans (the library it replaces for speed).
 */
import { describe, expect, it } from 'vitest';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { standardize, ZeroVarianceError, median } from '../../analysis/standardize.js';
import { correlationMatrix } from '../../analysis/correlation.js';
import { pca } from '../../analysis/pca.js';
import { varimax } from '../../analysis/varimax.js';
import { kmeans, clusterMeans } from '../../analysis/kmeans.js';
import { adjustedRandIndex, transitionTable } from '../../analysis/adjusted-rand.js';
import { silhouette, seededSample, silhouetteForLabelings } from '../../analysis/validity.js';
import { suggestK, elbowK } from '../../analysis/choose-k.js';
import { typeProfiles, typeOfAreas } from '../../analysis/type-profile.js';
import { describeType, formatSd } from '../../analysis/type-label.js';
import { bootstrapStability } from '../../analysis/stability.js';
import { runTypology, TypologyInputError } from '../../analysis/typology.js';
import { Prng } from '../../analysis/prng.js';

/** Seeded Gaussian blobs: `perCluster` points around each centre with sd `spread`. */
function blobs(
  centres: number[][],
  perCluster: number,
  spread: number,
  seed: number,
): { data: Float64Array; truth: Int32Array; d: number } {
  const rng = new Prng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const d = centres[0].length;
  const data = new Float64Array(centres.length * perCluster * d);
  const truth = new Int32Array(centres.length * perCluster);
  centres.forEach((c, ci) => {
    for (let r = 0; r < perCluster; r++) {
      const i = ci * perCluster + r;
      truth[i] = ci;
      for (let j = 0; j < d; j++) data[i * d + j] = c[j] + spread * gauss();
    }
  });
  return { data, truth, d };
}

describe('standardize', () => {
  const data = Float64Array.from([1, 10, 2, 20, 3, 30, 4, 40, 100, 50]); // 5 rows × 2 cols
  it('z with the population sd (ddof 0)', () => {
    const s = standardize(data, 5, 2);
    expect(s.center[0]).toBe(22);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt((21 ** 2 + 20 ** 2 + 19 ** 2 + 18 ** 2 + 78 ** 2) / 5), 12);
    expect(s.scale[1]).toBeCloseTo(Math.sqrt(200), 12);
    expect(s.values[1]).toBeCloseTo(-20 / Math.sqrt(200), 12);
    expect(s.note).toContain('ddof 0');
  });
  it('robust: median and 1.4826·MAD, so the outlier 100 does not set the scale', () => {
    const s = standardize(data, 5, 2, { method: 'robust' });
    expect(s.center[0]).toBe(3);
    expect(s.scale[0]).toBeCloseTo(1.4826 * 1, 12); // |x − 3| = 2,1,0,1,97 → median 1
    expect(s.values[0]).toBeCloseTo(-2 / 1.4826, 12);
  });
  it('minmax maps to [0, 1]', () => {
    const s = standardize(data, 5, 2, { method: 'minmax' });
    expect(Array.from({ length: 5 }, (_, i) => s.values[i * 2 + 1])).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
  it('weights multiply by √w; polarity alignment flips columns of polarity −1', () => {
    const plain = standardize(data, 5, 2);
    const s = standardize(data, 5, 2, { weights: [4, 1], polarity: [1, -1], alignPolarity: true });
    expect(s.values[0]).toBeCloseTo(2 * plain.values[0], 12);
    expect(s.values[1]).toBeCloseTo(-plain.values[1], 12);
    expect(s.note).toContain('gewichtet');
    expect(s.note).toContain('Polarität');
  });
  it('a constant column is a ZeroVarianceError naming it', () => {
    expect(() => standardize(Float64Array.from([1, 5, 2, 5, 3, 5]), 3, 2)).toThrow(ZeroVarianceError);
    try {
      standardize(Float64Array.from([1, 5, 2, 5, 3, 5]), 3, 2);
    } catch (e) {
      expect((e as ZeroVarianceError).columns).toEqual([1]);
    }
  });
  it('median of even and odd length', () => {
    expect(median(Float64Array.from([4, 1, 3]))).toBe(3);
    expect(median(Float64Array.from([4, 1, 3, 2]))).toBe(2.5);
  });
});

describe('correlation', () => {
  it('r of exact linear relations and a warning for |r| ≥ 0.9', () => {
    // columns: x, 2x + 1, −x, and an unrelated pattern
    const rows = [
      [1, 3, -1, 1],
      [2, 5, -2, -1],
      [3, 7, -3, -1],
      [4, 9, -4, 1],
    ];
    const c = correlationMatrix(Float64Array.from(rows.flat()), 4, 4);
    expect(c.matrix[0 * 4 + 1]).toBeCloseTo(1, 12);
    expect(c.matrix[0 * 4 + 2]).toBeCloseTo(-1, 12);
    expect(c.matrix[0 * 4 + 3]).toBeCloseTo(0, 12);
    expect(c.warnings.map((w) => [w.a, w.b])).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });
});

describe('pca and varimax', () => {
  const { data } = blobs(
    [
      [0, 0, 0, 0],
      [3, 3, 0, 0],
      [0, 0, 3, 3],
    ],
    40,
    0.5,
    3,
  );
  const z = standardize(data, 120, 4);
  it('component rules: fixed, Kaiser, share', () => {
    expect(pca(z.values, 120, 4, { components: { kind: 'fixed', m: 3 } }).retained).toBe(3);
    const kaiser = pca(z.values, 120, 4, { components: { kind: 'kaiser' } });
    expect(kaiser.retained).toBe(kaiser.kaiserCount);
    expect(kaiser.retained).toBe(2);
    const share = pca(z.values, 120, 4, { components: { kind: 'share', share: 0.8 } });
    expect(share.cumulativeVarianceRatio[share.retained - 1]).toBeGreaterThanOrEqual(0.8);
    expect(share.cumulativeVarianceRatio[share.retained - 2] ?? 0).toBeLessThan(0.8);
    const sum = Array.from(kaiser.eigenvalues).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(4, 10); // eigenvalues of a correlation matrix sum to p
  });
  it('sign rule: the largest-|coefficient| entry of each component is positive', () => {
    const r = pca(z.values, 120, 4);
    for (let c = 0; c < 4; c++) {
      const row = Array.from(r.components.subarray(c * 4, c * 4 + 4));
      const largest = row.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
      expect(largest).toBeGreaterThan(0);
    }
  });
  it('varimax separates two blocks of indicators onto two components and keeps communalities', () => {
    const r = pca(z.values, 120, 4, { components: { kind: 'fixed', m: 2 }, rotation: 'varimax' });
    expect(r.rotation).toBe('varimax');
    // Rotated: indicators 1–2 load on one component, 3–4 on the other (|loading| > 0.9 vs < 0.2).
    const l = r.loadings;
    const first = [Math.abs(l[0]), Math.abs(l[1])];
    const second = [Math.abs(l[2]), Math.abs(l[3])];
    const blockA = first[0] > 0.5 ? [first, second] : [second, first];
    expect(Math.min(...blockA[0])).toBeGreaterThan(0.9);
    // The blocks are negatively related in this data (a blob is high on one or the other), so
    // some cross-loading remains; varimax must still raise its criterion above the unrotated one.
    expect(Math.max(...blockA[1])).toBeLessThan(0.35);
    const criterion = (x: Float64Array) =>
      [0, 1].reduce((sum, c) => {
        const sq = [0, 1, 2, 3].map((j) => x[c * 4 + j] ** 2);
        const mean = sq.reduce((a, b) => a + b) / 4;
        return sum + sq.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
      }, 0);
    const unrotated = pca(z.values, 120, 4, { components: { kind: 'fixed', m: 2 } });
    for (let j = 0; j < 4; j++) {
      const h = l[j] ** 2 + l[4 + j] ** 2;
      const h0 = unrotated.loadings[j] ** 2 + unrotated.loadings[4 + j] ** 2;
      expect(h).toBeCloseTo(h0, 10);
    }
    expect(criterion(l)).toBeGreaterThan(criterion(unrotated.loadings) + 0.01);
    // A simple structure (0,8 / 0,7 on separate components) turned by 30° comes back to the axes.
    const [c30, s30] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
    const turned = Float64Array.from([
      0.8 * c30,
      0.8 * c30,
      -0.7 * s30,
      -0.7 * s30,
      0.8 * s30,
      0.8 * s30,
      0.7 * c30,
      0.7 * c30,
    ]);
    const back = varimax(turned, 2, 4).loadings;
    const magnitudes = Array.from(back, Math.abs)
      .map((v) => Math.round(v * 1e8) / 1e8)
      .sort();
    expect(magnitudes).toEqual([0, 0, 0, 0, 0.7, 0.7, 0.8, 0.8]);
  });
});

describe('k-means kernel', () => {
  const { data, truth, d } = blobs(
    [
      [0, 0],
      [6, 0],
      [0, 6],
      [6, 6],
    ],
    50,
    1,
    11,
  );
  const n = 200;
  it('recovers well-separated blobs; inertia equals the SSE to the cluster means', () => {
    const r = kmeans(data, n, d, 4, { seed: 3 });
    expect(adjustedRandIndex(r.labels, truth)).toBeGreaterThan(0.95);
    expect(r.inertia).toBeCloseTo(clusterMeans(data, n, d, 4, r.labels).inertia, 9);
    expect(Array.from(r.sizes).reduce((a, b) => a + b, 0)).toBe(n);
  });
  it('cross-check against ml-kmeans: same partition, and never a worse inertia than its best of 20', () => {
    const rows = Array.from({ length: n }, (_, i) => [data[i * 2], data[i * 2 + 1]]);
    let bestMl = Infinity;
    let bestLabels: number[] = [];
    for (let s = 1; s <= 20; s++) {
      const ml = mlKmeans(rows, 4, { seed: s, initialization: 'kmeans++', maxIterations: 300 });
      const inertia = clusterMeans(data, n, d, 4, Int32Array.from(ml.clusters)).inertia;
      if (inertia < bestMl) {
        bestMl = inertia;
        bestLabels = ml.clusters;
      }
    }
    const ours = kmeans(data, n, d, 4);
    expect(ours.inertia).toBeLessThanOrEqual(bestMl * (1 + 1e-12));
    expect(adjustedRandIndex(ours.labels, bestLabels)).toBeGreaterThan(0.99);
  });
  it('same seed → same labels; k > n is rejected', () => {
    const a = kmeans(data, n, d, 5, { seed: 9, restarts: 5 });
    const b = kmeans(data, n, d, 5, { seed: 9, restarts: 5 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(() => kmeans(data, 3, 2, 4)).toThrow(RangeError);
  });
  it('large-input path (restarts on a sample, best finalists finished on all points) finds the same optimum', () => {
    const full = kmeans(data, n, d, 4, { seed: 2 });
    const sampled = kmeans(data, n, d, 4, { seed: 2, sampleAbove: 100, restartSample: 60, finalists: 3 });
    expect(sampled.inertia).toBeCloseTo(full.inertia, 9);
    expect(adjustedRandIndex(sampled.labels, full.labels)).toBe(1);
    expect(sampled.labels.length).toBe(n);
  });
  it('duplicate points and k equal to the number of distinct points', () => {
    const dup = Float64Array.from([0, 0, 0, 0, 1, 1, 1, 1, 5, 5]);
    const r = kmeans(dup, 5, 2, 3, { restarts: 3 });
    expect(r.inertia).toBeCloseTo(0, 12);
  });
});

describe('adjusted Rand index and transition table', () => {
  it('1 for relabelled identical partitions; hand-computed value otherwise', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9])).toBe(1);
    // a = [0,0,0,1,1,1], b = [0,0,1,1,2,2]: Σ C(n_ij,2) = 1+0+0+1 = 2 (cells 2,1,1,2); rows 3+3; cols 1+1+1;
    // expected = 6·3/15 = 1.2; max = 4.5; ARI = (2 − 1.2)/(4.5 − 1.2) = 0.2424…
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.8 / 3.3, 12);
    const t = transitionTable([1, 1, 2, 2, 2], [1, 2, 2, 2, 3]);
    expect(t.counts).toEqual([
      [1, 1, 0],
      [0, 2, 1],
    ]);
  });
});

describe('validity', () => {
  it('silhouette of two tight pairs by hand; sampled above the exact limit', () => {
    // points 0, 1 | 10, 11 on a line: a = 1, b = 10 or 9 …
    const data = Float64Array.from([0, 1, 10, 11]);
    const s = silhouette(data, 4, 1, Int32Array.from([0, 0, 1, 1]), 2);
    const expected = [(10.5 - 1) / 10.5, (9.5 - 1) / 9.5, (9.5 - 1) / 9.5, (10.5 - 1) / 10.5];
    expect(s.mean).toBeCloseTo(expected.reduce((a, b) => a + b) / 4, 12);
    expect(s.exact).toBe(true);
    const { data: big, d } = blobs(
      [
        [0, 0],
        [5, 5],
      ],
      300,
      1,
      5,
    );
    const labels = Int32Array.from({ length: 600 }, (_, i) => (i < 300 ? 0 : 1));
    const sampled = silhouetteForLabelings(big, 600, d, [{ labels, k: 2 }], {
      exactLimit: 500,
      sampleSize: 200,
      seed: 4,
    });
    expect(sampled.exact).toBe(false);
    expect(sampled.sampleSize).toBe(200);
    expect(Array.from(sampled.results[0].perPoint).filter((v) => !Number.isNaN(v)).length).toBe(200);
    const exact = silhouetteForLabelings(big, 600, d, [{ labels, k: 2 }]);
    expect(Math.abs(sampled.results[0].mean - exact.results[0].mean)).toBeLessThan(0.03);
    expect(Array.from(seededSample(10, 4, 1))).toEqual(Array.from(seededSample(10, 4, 1)));
  });
});

describe('choose k', () => {
  const rows = [
    { k: 2, inertia: 100, silhouette: 0.4, calinskiHarabasz: 200, daviesBouldin: 1.0 },
    { k: 3, inertia: 50, silhouette: 0.5, calinskiHarabasz: 260, daviesBouldin: 0.8 },
    { k: 4, inertia: 40, silhouette: 0.45, calinskiHarabasz: 240, daviesBouldin: 0.9 },
    { k: 5, inertia: 35, silhouette: 0.3, calinskiHarabasz: 210, daviesBouldin: 1.1 },
  ];
  it('votes of each index and the elbow, with German reasons', () => {
    const s = suggestK(rows);
    expect(s.choices).toEqual({ silhouette: 3, calinskiHarabasz: 3, daviesBouldin: 3, elbow: 3 });
    expect(s.k).toBe(3);
    expect(s.reasons[0]).toBe('Silhouette am höchsten bei k = 3 (0,500)');
    expect(s.reasons[4]).toBe('Vorschlag k = 3: 4 von 4 Kriterien');
    expect(elbowK(rows.slice(0, 2))).toBeNull();
  });
  it('a tie goes to the silhouette', () => {
    const tie = rows.map((r) => ({
      ...r,
      calinskiHarabasz: r.k === 5 ? 999 : r.calinskiHarabasz,
      daviesBouldin: r.k === 5 ? 0.1 : r.daviesBouldin,
      inertia: r.k === 3 ? 60 : r.inertia,
    }));
    const s = suggestK(tie);
    expect(s.choices.calinskiHarabasz).toBe(5);
    expect(s.choices.daviesBouldin).toBe(5);
    expect(s.choices.silhouette).toBe(3);
    expect(s.choices.elbow).toBe(3);
    expect(s.k).toBe(3); // 2 votes each for 3 and 5: the silhouette's choice wins
    expect(s.reasons[4]).toContain('Gleichstand');
  });
});

describe('types: order, profiles, German descriptions', () => {
  // 3 clusters of 2 areas; indicators: Kinderarmut (+1), Wohndauer (−1)
  const labels = Int32Array.from([2, 2, 0, 0, 1, 1]);
  const z = Float64Array.from([2, -1, 1.6, -0.8, 0, 0, 0.2, 0.1, -1, 1, -1.2, 0.9]);
  const raw = Float64Array.from([30, 40, 28, 42, 15, 60, 17, 58, 5, 80, 3, 82]);
  const population = Float64Array.from([1000, 3000, 500, 500, 2000, NaN]);
  const profiles = typeProfiles({ labels, k: 3, z, raw, n: 6, p: 2, polarity: [1, -1], population });
  it('Typ 1 is the least need (mean polarity-adjusted z), Typ k the most', () => {
    expect(profiles.map((t) => t.cluster)).toEqual([1, 0, 2]);
    expect(profiles[2].needScore).toBeCloseTo((1.8 + 0.9) / 2, 12);
    expect(profiles[2].meanRaw[0]).toBe(29);
    expect(profiles[2].population).toBe(4000);
    expect(profiles[2].populationShare).toBeCloseTo(4000 / 7000, 12);
    expect(Array.from(typeOfAreas(labels, profiles))).toEqual([3, 3, 2, 2, 1, 1]);
  });
  it('descriptions with German decimal comma, real minus sign and bands', () => {
    expect(formatSd(1.84)).toBe('+1,8 SD');
    expect(formatSd(-0.86)).toBe('\u22120,9 SD');
    const indicators = [
      { key: 'KI', label: 'Kinderarmut' },
      { key: 'WD', label: 'Wohndauer über 5 Jahre' },
    ];
    const t3 = describeType(3, profiles[2].meanZ, profiles[2].needScore, indicators);
    expect(t3.description).toBe(
      'deutlich überdurchschnittlich: Kinderarmut (+1,8 SD); unterdurchschnittlich: Wohndauer über 5 Jahre (\u22120,9 SD)',
    );
    expect(t3.label).toBe('Typ 3: deutlich überdurchschnittliche Belastung, Kinderarmut deutlich überdurchschnittlich');
    const t2 = describeType(2, profiles[1].meanZ, profiles[1].needScore, indicators);
    expect(t2.description).toBe('in allen Indikatoren durchschnittlich (keine Abweichung über 0,5 SD)');
    expect(t2.label).toBe('Typ 2: durchschnittliche Belastung');
  });
});

describe('bootstrap stability (clusterboot style)', () => {
  it('well-separated blobs are stable; one blob split in two is flagged', () => {
    const { data, truth, d } = blobs(
      [
        [0, 0],
        [8, 0],
        [0, 8],
      ],
      40,
      0.7,
      21,
    );
    const stable = bootstrapStability(data, 120, d, truth, 3, { resamples: 30, seed: 2, restarts: 3 });
    for (const j of stable.jaccardByCluster) expect(j).toBeGreaterThan(0.95);
    expect(stable.unstableByCluster).toEqual([false, false, false]);
    const kept = Array.from(stable.keepShare).filter((v) => !Number.isNaN(v));
    expect(Math.min(...kept)).toBeGreaterThan(0.9);
    // k = 4 on three blobs: some blob is cut arbitrarily, and those halves are unstable.
    const four = kmeans(data, 120, d, 4, { seed: 1 });
    const split = bootstrapStability(data, 120, d, four.labels, 4, { resamples: 30, seed: 2, restarts: 3 });
    expect(Math.min(...split.jaccardByCluster)).toBeLessThan(0.75);
  });
});

describe('pipeline input handling', () => {
  const indicators = [
    { key: 'A', label: 'Arbeitslosigkeit', polarity: 1 },
    { key: 'B', label: 'Transferbezug', polarity: 1 },
  ];
  const { data } = blobs(
    [
      [0, 0],
      [5, 5],
      [0, 5],
    ],
    10,
    0.5,
    8,
  );
  const codes = Array.from({ length: 30 }, (_, i) => `A${i}`);
  it('missing values: dropped and counted by default; mean imputation warns; never zero', () => {
    const raw = Float64Array.from(data);
    raw[3] = NaN; // area 1, B
    raw[10] = NaN; // area 5, A
    const dropped = runTypology({ codes, indicators, raw }, { k: 3, bootstrap: 0 });
    expect(dropped.n).toBe(28);
    expect(dropped.dropped).toEqual([
      { code: 'A1', reason: 'fehlender Wert', indicators: ['B'] },
      { code: 'A5', reason: 'fehlender Wert', indicators: ['A'] },
    ]);
    const imputed = runTypology({ codes, indicators, raw }, { k: 3, bootstrap: 0, missing: 'impute-mean' });
    expect(imputed.n).toBe(30);
    expect(imputed.warnings.some((w) => w.startsWith('B: 1 fehlende Werte durch den Mittelwert ersetzt'))).toBe(true);
    let meanB = 0;
    for (let i = 0; i < 30; i++) if (i !== 1) meanB += data[i * 2 + 1];
    meanB /= 29;
    expect(imputed.standardization.center.B).toBeCloseTo(meanB, 12); // imputed mean keeps the mean
  });
  it('bad k and zero variance are TypologyInputErrors naming the culprit', () => {
    const raw = Float64Array.from(data);
    expect(() => runTypology({ codes, indicators, raw }, { k: 1 })).toThrow(TypologyInputError);
    expect(() => runTypology({ codes, indicators, raw }, { k: 30 })).toThrow(/kleiner als die Zahl der Gebiete/);
    const flat = Float64Array.from(data);
    for (let i = 0; i < 30; i++) flat[i * 2 + 1] = 7;
    expect(() => runTypology({ codes, indicators, raw: flat }, { k: 3 })).toThrow(/Varianz 0\): B/);
    expect(() => runTypology({ codes, indicators, raw }, { clusterOn: 'pcs' })).toThrow(/braucht eine Komponentenwahl/);
  });
  it('clustering on PC scores with Kaiser, and members carry type, silhouette, stability, scores', () => {
    const raw = Float64Array.from(data);
    const r = runTypology(
      { codes, indicators, raw },
      { pca: 'kaiser', clusterOn: 'pcs', kRange: [2, 4], bootstrap: 10 },
    );
    expect(r.clusterSpace).toEqual({ on: 'pcs', dimensions: r.pca.retained });
    expect(r.byK.map((b) => b.k)).toEqual([2, 3, 4]);
    expect(r.members[0].scores.length).toBe(r.pca.retained);
    expect(
      r.members.every((m) => m.type >= 1 && m.type <= r.chosenK && m.silhouette !== null && m.stability !== null),
    ).toBe(true);
    expect(r.types.map((t) => t.type)).toEqual(Array.from({ length: r.chosenK }, (_, i) => i + 1));
    const needs = r.types.map((t) => t.needScore);
    expect([...needs].sort((a, b) => a - b)).toEqual(needs);
  });
});
