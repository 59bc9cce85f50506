import { describe, expect, it } from 'vitest';
import {
  fitIndicators,
  preselectIndicators,
  settings,
  typologyParams,
  type ResearchSettings,
} from '../../client/src/research-settings.js';
import { TYPOLOGY_DEFAULTS } from '../../analysis/typology-defaults.js';
import { describeParams, standardizationText } from '../../client/src/run-description.js';
import type { RunSummary } from '../../client/src/types.js';

const base = (patch: Partial<ResearchSettings> = {}): ResearchSettings => ({
  indicators: ['S1', 'S3'],
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
  ...patch,
});

describe('research settings → typology request', () => {
  it("starts with the server's defaults, so an untouched form asks for the default run", () => {
    expect(typologyParams({ ...settings, indicators: ['S1', 'S3'] }, 'plr', '2020-12-31')).toEqual({
      level: 'plr',
      period: '2020-12-31',
      indicators: ['S1', 'S3'],
      standardize: 'z',
      pca: 'none',
      clusterOn: 'z',
      restarts: 50,
      seed: 1,
      bootstrap: 100,
      kRange: [2, 10],
    });
    expect(settings.kFrom).toBe(TYPOLOGY_DEFAULTS.kRange[0]);
    expect(settings.kTo).toBe(TYPOLOGY_DEFAULTS.kRange[1]);
  });

  it('sends a k range, ordered, and clusters on z without PCA', () => {
    expect(typologyParams(base({ kFrom: 8, kTo: 3 }), 'plr', '2020-12-31')).toEqual({
      level: 'plr',
      period: '2020-12-31',
      indicators: ['S1', 'S3'],
      standardize: 'z',
      pca: 'none',
      clusterOn: 'z',
      restarts: 50,
      seed: 1,
      bootstrap: 100,
      kRange: [3, 8],
    });
  });

  it('sends a fixed k, a number of components, varimax and clustering on component scores', () => {
    const p = typologyParams(
      base({ kMode: 'fixed', k: 4, pca: '3', rotation: true, clusterOn: 'pcs' }),
      'bzr',
      '2021-12-31',
    );
    expect(p.k).toBe(4);
    expect(p.kRange).toBeUndefined();
    expect(p.pca).toBe(3);
    expect(p.rotation).toBe('varimax');
    expect(p.clusterOn).toBe('pcs');
  });

  it('drops rotation and component scores when no PCA is chosen', () => {
    const p = typologyParams(base({ pca: 'none', rotation: true, clusterOn: 'pcs' }), 'plr', '2020-12-31');
    expect(p.rotation).toBeUndefined();
    expect(p.clusterOn).toBe('z');
    expect(typologyParams(base({ pca: 'kaiser' }), 'plr', '2020-12-31').pca).toBe('kaiser');
  });

  it('preselects the default indicators in the level order, else the first six, and only once', () => {
    const s = base({ indicators: [] });
    preselectIndicators(s, ['EW', 'D4', 'S1', 'X', 'S3']);
    expect(s.indicators).toEqual(['D4', 'S1', 'S3']);
    preselectIndicators(s, ['A', 'B']);
    expect(s.indicators).toEqual(['D4', 'S1', 'S3']);
    const t = base({ indicators: [] });
    preselectIndicators(t, ['A', 'S1', 'B', 'C', 'D', 'E', 'F', 'G']);
    expect(t.indicators).toEqual(['A', 'S1', 'B', 'C', 'D', 'E']);
  });
  it('keeps the chosen indicators another level offers, and preselects anew when fewer than two are left', () => {
    // Bezirksregionen of the Berlin sample: the MSS status indicators are summed, the dynamics indices are not.
    const atBzr = ['EW_U18', 'EW_65', 'S1', 'S3', 'S4', 'KI_01'];
    const s = base({ indicators: ['S1', 'S3', 'S4', 'D1', 'D3', 'D4'] });
    fitIndicators(s, atBzr);
    expect(s.indicators).toEqual(['S1', 'S3', 'S4']);
    fitIndicators(s, atBzr);
    expect(s.indicators).toEqual(['S1', 'S3', 'S4']);
    const t = base({ indicators: ['D1', 'S4'] });
    fitIndicators(t, atBzr);
    expect(t.indicators).toEqual(['S1', 'S3', 'S4']);
    const u = base({ indicators: ['KI_01', 'EW_65'] });
    fitIndicators(u, atBzr);
    expect(u.indicators).toEqual(['KI_01', 'EW_65']);
  });
});

describe('run description', () => {
  it('describes the parameters in one German line', () => {
    const p = typologyParams(base(), 'plr', '2020-12-31');
    expect(describeParams(p)).toBe('31.12.2020; S1, S3; z; k = 2…10; Startwert 1; ohne HK');
    expect(describeParams({ ...p, kRange: undefined, k: 4, pca: 2, rotation: 'varimax' })).toBe(
      '31.12.2020; S1, S3; z; k = 4; Startwert 1; 2 HK varimax',
    );
    expect(describeParams({ ...p, pca: 'kaiser' })).toBe('31.12.2020; S1, S3; z; k = 2…10; Startwert 1; HK Kaiser');
  });

  it('falls back to the indicators of a history row without params', () => {
    const row = {
      id: 3,
      createdAt: '',
      level: 'plr',
      period: '2020-12-31',
      indicators: ['S1', 'D1'],
      chosenK: 4,
    } as unknown as RunSummary;
    expect(describeParams(undefined, row)).toBe('31.12.2020; S1, D1');
    expect(describeParams(undefined)).toBe('');
  });

  it("shows the server's own standardisation note", () => {
    expect(standardizationText('z (ddof 0)')).toBe('z (ddof 0)');
    expect(standardizationText({ method: 'z', note: 'Standardabweichung der Grundgesamtheit (ddof = 0)' })).toBe(
      'Standardabweichung der Grundgesamtheit (ddof = 0)',
    );
    expect(standardizationText({ method: 'robust' })).toBe('robust');
  });
});
