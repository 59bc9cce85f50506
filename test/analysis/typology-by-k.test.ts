/**
 * Types for every k of a run's range (typesByK, members[].typeByK): each k's stored partition is
 * the k-means result for that k with the run's seed, its types are in need order like the chosen
 * k's, and only the chosen k has bootstrap stability.
 */
import { describe, expect, it } from 'vitest';
import { kmeans } from '../../analysis/kmeans.js';
import { standardize, zScores } from '../../analysis/standardize.js';
import { adjustedRandIndex } from '../../analysis/adjusted-rand.js';
import { typeProfiles, typeOfAreas } from '../../analysis/type-profile.js';
import { runTypology } from '../../analysis/typology.js';
import { Prng } from '../../analysis/prng.js';

/** n areas × 3 indicators around five centres; polarity +1, +1, −1. */
function sample(n: number, seed: number) {
  const rng = new Prng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const centres = [
    [10, 5, 60],
    [20, 12, 45],
    [30, 20, 30],
    [12, 18, 50],
    [25, 6, 40],
  ];
  const raw = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = centres[i % centres.length];
    for (let j = 0; j < 3; j++) raw[i * 3 + j] = c[j] + 3 * gauss();
  }
  return {
    codes: Array.from({ length: n }, (_, i) => `G${String(i).padStart(3, '0')}`),
    indicators: [
      { key: 'AL', label: 'Arbeitslosigkeit', polarity: 1 },
      { key: 'TB', label: 'Transferbezug', polarity: 1 },
      { key: 'WD', label: 'Wohndauer über 5 Jahre', polarity: -1 },
    ],
    raw,
  };
}

describe('typology: types for every k of the range', () => {
  const input = sample(150, 42);
  const options = {
    kRange: [2, 6] as [number, number],
    k: 4,
    seed: 7,
    restarts: 20,
    bootstrap: 8,
    bootstrapRestarts: 2,
  };
  const r = runTypology(input, options);
  const n = r.n;
  const p = 3;
  const space = standardize(input.raw, n, p).values;
  const z = zScores(input.raw, n, p).values;
  const polarity = input.indicators.map((i) => i.polarity);

  it('one entry per k, aligned with byK; the chosen k keeps its former output', () => {
    expect(n).toBe(150);
    expect(r.chosenK).toBe(4);
    expect(r.byK.map((b) => b.k)).toEqual([2, 3, 4, 5, 6]);
    expect(r.typesByK.map((t) => t.k)).toEqual([2, 3, 4, 5, 6]);
    expect(r.typesByK[2].types).toEqual(r.types);
    for (const m of r.members) {
      expect(m.typeByK).toHaveLength(5);
      expect(m.typeByK[2]).toBe(m.type);
      expect(m.silhouetteByK[2]).toBe(m.silhouette);
    }
  });

  for (const k of [2, 3, 5, 6]) {
    it(`k = ${k}: the stored partition is a fresh kmeans(seed 7, k) in need order; sizes sum to n`, () => {
      const index = r.byK.findIndex((b) => b.k === k);
      const fresh = kmeans(space, n, p, k, { restarts: 20, seed: 7 });
      expect(fresh.inertia).toBeCloseTo(r.byK[index].inertia, 9);
      const stored = r.members.map((m) => m.typeByK[index]);
      // Same partition, and exactly the type numbers the need-order rule gives the fresh labels.
      expect(adjustedRandIndex(stored, Array.from(fresh.labels))).toBe(1);
      const profiles = typeProfiles({ labels: fresh.labels, k, z, raw: input.raw, n, p, polarity });
      expect(stored).toEqual(Array.from(typeOfAreas(fresh.labels, profiles)));

      const types = r.typesByK[index].types;
      expect(types.map((t) => t.type)).toEqual(Array.from({ length: k }, (_, i) => i + 1));
      expect(types.reduce((s, t) => s + t.size, 0)).toBe(n);
      expect(types.map((t) => t.size).sort((a, b) => a - b)).toEqual([...r.byK[index].sizes].sort((a, b) => a - b));
      for (const t of types) expect(t.size).toBe(stored.filter((x) => x === t.type).length);

      // Need score recomputed by hand from the members: mean over the type's areas of the mean
      // polarity-adjusted z; strictly the ordering key, ascending from Typ 1 to Typ k.
      const needs = types.map((t) => {
        let sum = 0;
        stored.forEach((x, i) => {
          if (x === t.type) sum += (z[i * 3] + z[i * 3 + 1] - z[i * 3 + 2]) / 3;
        });
        return sum / t.size;
      });
      types.forEach((t, i) => expect(t.needScore).toBeCloseTo(needs[i], 12));
      for (let i = 1; i < k; i++) expect(needs[i]).toBeGreaterThan(needs[i - 1]);
      // Profiles: mean raw value of the type's areas.
      const t1 = types[0];
      const meanAl = stored.reduce((s, x, i) => (x === 1 ? s + input.raw[i * 3] : s), 0) / t1.size;
      expect(t1.profile.meanRaw.AL).toBeCloseTo(meanAl, 10);
      expect(t1.label).toMatch(/^Typ 1/);
      expect(types[k - 1].label).toMatch(new RegExp(`^Typ ${k}`));
      expect(t1.description.length).toBeGreaterThan(10);
      // No bootstrap for k ≠ chosen k.
      expect(types.every((t) => t.stability === null && t.unstable === null)).toBe(true);
    });
  }

  it('stability only for the chosen k', () => {
    expect(r.types.every((t) => typeof t.stability === 'number' && t.stability >= 0 && t.stability <= 1)).toBe(true);
    expect(r.members.every((m) => m.stability !== null)).toBe(true);
  });

  it('reproducible: the same seed gives the same types for every k; a fixed k alone gives the same partition', () => {
    const again = runTypology(input, options);
    expect(again.typesByK).toEqual(r.typesByK);
    expect(again.members.map((m) => m.typeByK)).toEqual(r.members.map((m) => m.typeByK));
    const alone = runTypology(input, { k: 6, seed: 7, restarts: 20, bootstrap: 0 });
    expect(alone.members.map((m) => m.type)).toEqual(r.members.map((m) => m.typeByK[4]));
    expect(alone.types.map((t) => t.label)).toEqual(r.typesByK[4].types.map((t) => t.label));
  });
});
