import { describe, expect, it } from 'vitest';
import {
  eigenvalues,
  loadingCells,
  membersCsv,
  membersGeoJson,
  normalizeRun,
  profileZ,
  transitionCells,
  withPlainTypeTexts,
} from '../../client/src/typology-data.js';
import type { TypeInfo, TypologyRun } from '../../client/src/types.js';

const t = (profile: unknown): TypeInfo => ({ type: 1, size: 10, label: 'Typ 1', description: '', profile });

describe('typology run normalisation', () => {
  it('reads mean z from the shapes a profile may take', () => {
    const keys = ['S1', 'S3'];
    expect(profileZ(t({ meanZ: { S1: 1, S3: -1 } }), keys)).toEqual({ S1: 1, S3: -1 });
    expect(profileZ(t({ meanZ: [1, -1] }), keys)).toEqual({ S1: 1, S3: -1 });
    expect(
      profileZ(
        t([
          { indicator: 'S1', meanZ: 1 },
          { indicator: 'S3', meanZ: -1 },
        ]),
        keys,
      ),
    ).toEqual({ S1: 1, S3: -1 });
    expect(profileZ(t(null), keys)).toEqual({});
  });
  it('derives eigenvalues from ratios for z-scores', () => {
    const run = {
      params: { indicators: ['a', 'b', 'c', 'd'] },
      explainedVariance: [0.5, 0.25, 0.15, 0.1],
    } as unknown as TypologyRun;
    expect(eigenvalues(run)).toEqual([2, 1, 0.6, 0.4]);
  });
  it('reads loadings as indicators × components', () => {
    const run = {
      params: { indicators: ['a', 'b'] },
      loadings: [
        [0.7, 0.1],
        [0.6, -0.2],
      ],
    } as unknown as TypologyRun;
    const cells = loadingCells(run);
    expect(cells).toHaveLength(4);
    expect(cells[3]).toEqual({ indicator: 'b', component: 'HK 2', value: -0.2 });
  });
  it('reads transition tables as matrix, list or nested record', () => {
    expect(
      transitionCells([
        [3, 1],
        [0, 2],
      ]),
    ).toContainEqual({ from: 1, to: 2, count: 1 });
    expect(transitionCells([{ from: 2, to: 1, count: 5 }])).toEqual([{ from: 2, to: 1, count: 5 }]);
    expect(transitionCells({ 1: { 2: 4 } })).toEqual([{ from: 1, to: 2, count: 4 }]);
  });
  it('exports members as semicolon CSV with quoting', () => {
    const csv = membersCsv([{ code: '01', type: 2, silhouette: 0.5 }], new Map([['01', 'A; B']]), [
      { ...t(null), type: 2, label: 'Typ 2' },
    ]);
    expect(csv).toBe('code;name;typ;bezeichnung;silhouette;stabilitaet\n01;"A; B";2;Typ 2;0.5;\n');
  });
  it('joins members onto GeoJSON features', () => {
    const fc = membersGeoJson(
      { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '01' }, geometry: null }] },
      [{ code: '01', type: 3 }],
    );
    expect(fc.features[0].properties).toMatchObject({ code: '01', type: 3 });
  });
});

describe('normalizeRun', () => {
  it('merges a stored row {id, params, result} into the run shape', () => {
    const run = normalizeRun({
      id: 7,
      chosenK: 3,
      params: { k: 3 },
      types: [{ type: 1, label: 'kurz' }],
      result: { byK: [{ k: 3 }], types: [{ type: 1, label: 'lang', description: 'd' }] },
    });
    expect(run.runId).toBe(7);
    expect(run.byK).toEqual([{ k: 3 }]);
    expect(run.types[0].description).toBe('d');
    expect(run.params).toEqual({ k: 3 });
  });
  it('keeps a POST answer {runId, …} as it is', () => {
    const run = normalizeRun({ runId: 2, chosenK: 5, types: [], members: [{ code: 'a', type: 1 }] });
    expect(run.runId).toBe(2);
    expect(run.members).toHaveLength(1);
  });
});

describe('transition table as returned by /api/typologies/compare', () => {
  it('reads {typesA, typesB, counts}', () => {
    const cells = transitionCells({
      typesA: [1, 2],
      typesB: [1, 3],
      counts: [
        [4, 0],
        [1, 2],
      ],
    });
    expect(cells).toContainEqual({ from: 2, to: 3, count: 2 });
    expect(cells).toHaveLength(4);
  });
});

describe('plain type texts of a stored run', () => {
  it('adds name, plain description and needRank of the row types to the full types', () => {
    const run = normalizeRun({
      id: '7',
      params: { indicators: ['S1'] },
      chosenK: 2,
      types: [
        {
          type: 1,
          label: 'Typ 1',
          size: 5,
          name: 'Ruhige Wohngegend',
          description: 'Wenig Arbeitslosigkeit.',
          suggested: true,
          needRank: 2,
        },
        {
          type: 2,
          label: 'Typ 2',
          size: 3,
          name: 'Viel Arbeitslosigkeit',
          description: 'Mehr Arbeitslose.',
          suggested: false,
          needRank: 1,
        },
      ],
      result: {
        types: [
          {
            type: 1,
            size: 5,
            label: 'Typ 1',
            description: 'unterdurchschnittlich: Arbeitslosigkeit (−0,8 SD)',
            profile: { meanZ: { S1: -0.8 } },
          },
          {
            type: 2,
            size: 3,
            label: 'Typ 2',
            description: 'überdurchschnittlich: Arbeitslosigkeit (+0,9 SD)',
            profile: { meanZ: { S1: 0.9 } },
          },
        ],
      },
    });
    expect(run.runId).toBe('7');
    expect(run.types.map((t) => [t.type, t.name, t.plainDescription, t.needRank, t.suggested])).toEqual([
      [1, 'Ruhige Wohngegend', 'Wenig Arbeitslosigkeit.', 2, true],
      [2, 'Viel Arbeitslosigkeit', 'Mehr Arbeitslose.', 1, false],
    ]);
    // The researchers' description and profile stay.
    expect(run.types[1].description).toBe('überdurchschnittlich: Arbeitslosigkeit (+0,9 SD)');
    expect(profileZ(run.types[1], ['S1'])).toEqual({ S1: 0.9 });
  });
  it('keeps types as they are where the row has no texts', () => {
    const types = [{ type: 1, size: 5, label: 'Typ 1', description: 'x', profile: null }];
    expect(withPlainTypeTexts(types, [])).toEqual(types);
  });
});
