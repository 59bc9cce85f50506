import { describe, expect, it } from 'vitest';
import { decimalsForStep, distinctTicks, niceStep } from '../../client/src/axis-ticks.js';
import { elbowOf, kEdgeNote, kVotes, qualityRows, runDiagnostics } from '../../client/src/research-diagnostics.js';
import { settingsFromParams, typologyParams, type ResearchSettings } from '../../client/src/research-settings.js';
import { formatNumber } from '../../client/src/format.js';
import type { TypologyParams, TypologyRun } from '../../client/src/types.js';

describe('distinct axis ticks', () => {
  it('silhouettes between 0,31 and 0,35 get ticks 0,31 … 0,35 with two decimals, never "0,3 / 0,3 / 0,3"', () => {
    const { ticks, decimals } = distinctTicks(0.312, 0.351, 4);
    expect(ticks).toEqual([0.32, 0.33, 0.34, 0.35]);
    expect(decimals).toBe(2);
    const labels = ticks.map((t) => formatNumber(t, decimals));
    expect(labels).toEqual(['0,32', '0,33', '0,34', '0,35']);
    expect(new Set(labels).size).toBe(labels.length);
  });
  it('large values keep whole numbers (Calinski-Harabasz 180 … 260 → step 20)', () => {
    expect(distinctTicks(181, 259, 4)).toEqual({ ticks: [200, 220, 240], decimals: 0 });
  });
  it('a step of 2,5 × 10ⁿ prints all its decimals', () => {
    expect(niceStep(0.22)).toBe(0.25);
    expect(decimalsForStep(0.25)).toBe(2);
    expect(decimalsForStep(0.05)).toBe(2);
    expect(decimalsForStep(20)).toBe(0);
    const { ticks, decimals } = distinctTicks(0, 1, 4);
    expect(ticks).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ticks.map((t) => formatNumber(t, decimals))).toEqual(['0,00', '0,25', '0,50', '0,75', '1,00']);
  });
  it('every label distinct over many ranges', () => {
    for (const [lo, hi] of [
      [0.3001, 0.3009],
      [1.01, 1.02],
      [-0.2, 0.45],
      [1234, 1299],
      [0.5, 40],
    ]) {
      const { ticks, decimals } = distinctTicks(lo, hi, 4);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(new Set(ticks.map((t) => formatNumber(t, decimals))).size).toBe(ticks.length);
      expect(ticks[0]).toBeGreaterThanOrEqual(lo - 1e-12);
      expect(ticks[ticks.length - 1]).toBeLessThanOrEqual(hi + 1e-12);
    }
  });
  it('a span the rounded-up step would cover with one tick gets at least two (1 010 … 1 090)', () => {
    const { ticks, decimals } = distinctTicks(1010, 1090, 3);
    expect(ticks).toEqual([1020, 1040, 1060, 1080]);
    expect(decimals).toBe(0);
  });
  it('one value alone is one tick', () => {
    expect(distinctTicks(0.3, 0.3)).toEqual({ ticks: [0.3], decimals: 3 });
  });
});

const byK = [
  { k: 2, inertia: 1800, silhouette: 0.31, calinskiHarabasz: 240, daviesBouldin: 1.3 },
  { k: 3, inertia: 1300, silhouette: 0.35, calinskiHarabasz: 260, daviesBouldin: 1.1 },
  { k: 4, inertia: 1100, silhouette: 0.33, calinskiHarabasz: 230, daviesBouldin: 1.0 },
  { k: 5, inertia: 1000, silhouette: 0.29, calinskiHarabasz: 210, daviesBouldin: 1.2 },
];

function run(patch: Record<string, unknown> = {}): TypologyRun {
  return {
    runId: 7,
    params: {
      level: 'PLR',
      period: '2022-12-31',
      indicators: ['S1', 'S3', 'D1'],
      standardize: 'z',
      pca: 'none',
      clusterOn: 'z',
      kRange: [2, 5],
    },
    chosenK: 3,
    byK,
    types: [],
    suggestion: {
      k: 3,
      choices: { silhouette: 3, calinskiHarabasz: 3, daviesBouldin: 4, elbow: 3 },
      reasons: ['Silhouette am höchsten bei k = 3 (0,350)', 'Vorschlag k = 3: 3 von 4 Kriterien'],
    },
    correlation: { matrix: [], redundant: [{ a: 'S1', b: 'S3', r: 0.93 }] },
    pca: { explainedVariance: [0.6, 0.3, 0.1], retained: 1, rotation: 'none' },
    warnings: ['S1 und S3 korrelieren mit r = 0,930: fast redundant, diese Dimension zählt doppelt'],
    ...patch,
  } as unknown as TypologyRun;
}

describe('run diagnostics', () => {
  it('reads reasons, votes per k, redundancy, explained variance and warnings from the run JSON', () => {
    const d = runDiagnostics(run());
    expect(d.reasons).toHaveLength(2);
    expect(d.suggestedK).toBe(3);
    expect(d.votes).toEqual([
      { k: 3, criteria: ['Silhouette', 'Calinski-Harabasz', 'Ellbogen'] },
      { k: 4, criteria: ['Davies-Bouldin'] },
    ]);
    expect(d.redundant).toEqual([{ a: 'S1', b: 'S3', r: 0.93 }]);
    expect(d.explained.map((e) => e.component)).toEqual([1, 2, 3]);
    expect(d.explained[1].cumulative).toBeCloseTo(0.9, 12);
    expect(d.retained).toBe(1);
    expect(d.rotationSkipped).toBeNull(); // no rotation asked for
    expect(d.kAtEdge).toBeNull();
    expect(d.warnings[0]).toMatch(/fast redundant/);
  });
  it('names a varimax the server skipped (one component kept)', () => {
    const r = run();
    r.params.rotation = 'varimax';
    expect(runDiagnostics(r).rotationSkipped).toBe(
      'Varimax-Rotation übersprungen: nur 1 Komponente behalten, eine Rotation braucht mindestens zwei.',
    );
    (r as unknown as { pca: { rotation: string } }).pca.rotation = 'varimax';
    expect(runDiagnostics(r).rotationSkipped).toBeNull();
  });
  it('a chosen k at either end of the compared range is named; in the middle or with two k it is not', () => {
    expect(kEdgeNote(5, byK, [2, 5])).toMatch(/größte geprüfte k \(Bereich 2…5\)/);
    expect(kEdgeNote(2, byK)).toMatch(/kleinste geprüfte k \(Bereich 2…5\)/);
    expect(kEdgeNote(3, byK)).toBeNull();
    expect(kEdgeNote(2, byK.slice(0, 2))).toBeNull();
  });
  it('a run without suggestion (fixed k) has no votes and no reasons', () => {
    const d = runDiagnostics(run({ suggestion: undefined, byK: [byK[1]], pca: undefined, warnings: undefined }));
    expect(d).toMatchObject({ reasons: [], votes: [], suggestedK: null, kAtEdge: null, explained: [], warnings: [] });
    expect(kVotes({ silhouette: 4, elbow: null })).toEqual([{ k: 4, criteria: ['Silhouette'] }]);
  });
});

describe('quality table per k', () => {
  it('marks the best of each measure: silhouette and CH highest, DB lowest, inertia at the elbow', () => {
    const rows = qualityRows([...byK].reverse(), 3, elbowOf(run()));
    expect(rows.map((r) => r.k)).toEqual([2, 3, 4, 5]);
    expect(rows.filter((r) => r.chosen).map((r) => r.k)).toEqual([3]);
    expect(rows.filter((r) => r.best.silhouette).map((r) => r.k)).toEqual([3]);
    expect(rows.filter((r) => r.best.calinskiHarabasz).map((r) => r.k)).toEqual([3]);
    expect(rows.filter((r) => r.best.daviesBouldin).map((r) => r.k)).toEqual([4]);
    expect(rows.filter((r) => r.best.inertia).map((r) => r.k)).toEqual([3]);
    expect(rows[0].silhouette).toBe(0.31);
  });
});

describe('parameters → form state ("Parameter übernehmen")', () => {
  const current: ResearchSettings = {
    indicators: ['S1'],
    standardize: 'z',
    pca: 'none',
    rotation: false,
    clusterOn: 'z',
    kMode: 'range',
    kFrom: 2,
    kTo: 10,
    k: 5,
    restarts: 50,
    seed: 1,
    bootstrap: 100,
  };
  it('a stored run with PCA, varimax, a fixed k and own seed comes back as the form that requests it', () => {
    const p: TypologyParams = {
      level: 'BZR',
      period: '2022-12-31',
      indicators: ['S1', 'S4', 'D3'],
      standardize: 'robust',
      pca: 2,
      rotation: 'varimax',
      clusterOn: 'pcs',
      k: 6,
      restarts: 20,
      seed: 42,
      bootstrap: 0,
    };
    const s = settingsFromParams(p, current);
    expect(s).toEqual({
      indicators: ['S1', 'S4', 'D3'],
      standardize: 'robust',
      pca: '2',
      rotation: true,
      clusterOn: 'pcs',
      kMode: 'fixed',
      kFrom: 2,
      kTo: 10,
      k: 6,
      restarts: 20,
      seed: 42,
      bootstrap: 0,
    });
    expect(typologyParams(s, 'BZR', '2022-12-31')).toEqual(p);
  });
  it('a range run with defaults left out gets the defaults and keeps the range', () => {
    const s = settingsFromParams({ indicators: ['S1', 'S3'], kRange: [3, 8] }, current);
    expect(s).toMatchObject({
      kMode: 'range',
      kFrom: 3,
      kTo: 8,
      k: 5,
      pca: 'none',
      rotation: false,
      restarts: 50,
      seed: 1,
      bootstrap: 100,
    });
    expect(typologyParams(s, 'PLR', 'x').kRange).toEqual([3, 8]);
  });
});
