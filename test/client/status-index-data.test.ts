import { describe, expect, it } from 'vitest';
import {
  classLimitTexts,
  indexColour,
  indexLayer,
  indexLegend,
  indexSummary,
  indexText,
  DYNAMICS_COLOURS,
  STATUS_COLOURS,
  INDEX_NO_CLASS_COLOUR,
  type IndexAnswer,
  type IndexMember,
} from '../../client/src/status-index-data.js';

const member = (
  code: string,
  s: [number, string, number] | null,
  d: [number, string, number] | null,
  extra: Partial<IndexMember> = {},
): IndexMember => ({
  code,
  name: `Gebiet ${code}`,
  valid: s !== null && d !== null,
  reason: null,
  statusZ: s?.[0] ?? null,
  statusClass: s?.[1] ?? null,
  statusCode: s?.[2] ?? null,
  dynamicsZ: d?.[0] ?? null,
  dynamicsClass: d?.[1] ?? null,
  dynamicsCode: d?.[2] ?? null,
  combinedClass: s && d ? `${s[2]}${d[2] === 1 ? '+' : d[2] === 3 ? '+/-' : '-'}` : null,
  combinedCode: null, // not read by the client
  ...extra,
});

const answer: IndexAnswer = {
  level: 'plr',
  period: '2020-12-31',
  status: { indicators: ['S1', 'S3', 'S4'], cutoffs: { high: -1, low: 1, veryLow: 1.5 } },
  dynamics: { indicators: ['D1', 'D3', 'D4'], cutoffs: { positive: -1, negative: 1 } },
  members: [
    member('a', [-1.234, 'hoch', 1], [0.2, 'stabil', 3]),
    member('b', [0.5, 'mittel', 2], [-1.5, 'positiv', 1]),
    member('c', [1.2, 'niedrig', 3], [1.01, 'negativ', 5]),
    member('d', [2.75, 'sehr niedrig', 4], [0, 'stabil', 3]),
    member('e', [0.1, 'mittel', 2], [0.9, 'stabil', 3]),
    member('f', null, null, { reason: 'unterdrückt (Einwohnerzahl unter der Geheimhaltungsschwelle)' }),
  ],
};

describe('MSS index map', () => {
  it('legend: the four status classes in order with their limits from the cutoffs and the counted areas', () => {
    const l = indexLegend(answer, 'status');
    expect(l.title).toBe('Status-Index (MSS)');
    expect(l.subtitle).toBe('31.12.2020 · Indikatoren S1, S3, S4');
    expect(l.entries.map((e) => [e.label, e.count, e.colour])).toEqual([
      ['hoch (z unter −1,0)', 1, STATUS_COLOURS[1]],
      ['mittel (z −1,0 bis 1,0)', 2, STATUS_COLOURS[2]],
      ['niedrig (z über 1,0 bis 1,5)', 1, STATUS_COLOURS[3]],
      ['sehr niedrig (z über 1,5)', 1, STATUS_COLOURS[4]],
    ]);
    expect(l.noData).toEqual({ colour: INDEX_NO_CLASS_COLOUR, label: 'ohne Klasse: 1 Gebiet', count: 1 });
  });

  it('legend: the three dynamics classes with codes 1, 3, 5', () => {
    const l = indexLegend(answer, 'dynamik');
    expect(l.entries.map((e) => [e.label, e.count])).toEqual([
      ['positiv (z unter −1,0)', 1],
      ['stabil (z −1,0 bis 1,0)', 3],
      ['negativ (z über 1,0)', 1],
    ]);
  });

  it('class limits follow other cutoffs', () => {
    const other = { ...answer, status: { ...answer.status, cutoffs: { high: -0.5, low: 0.75, veryLow: 2 } } };
    expect(classLimitTexts(other, 'status')).toEqual({
      1: 'z unter −0,5',
      2: 'z −0,5 bis 0,8',
      3: 'z über 0,8 bis 2,0',
      4: 'z über 2,0',
    });
  });

  it('colours go from green (good) to red (bad); areas without a class are grey', () => {
    expect(indexColour(1, 'status')).toBe('#1a9641');
    expect(indexColour(4, 'status')).toBe('#d7191c');
    expect(indexColour(5, 'dynamik')).toBe(DYNAMICS_COLOURS[5]);
    expect(indexColour(null, 'status')).toBe(INDEX_NO_CLASS_COLOUR);
    expect(indexColour(2, 'dynamik')).toBe(INDEX_NO_CLASS_COLOUR); // no dynamics class 2
  });

  it('hover and panel texts: class, z with two decimals, or the reason', () => {
    expect(indexText(answer.members[0], 'status')).toBe('Status hoch (z = −1,23)');
    expect(indexText(answer.members[2], 'dynamik')).toBe('Dynamik negativ (z = 1,01)');
    expect(indexText(answer.members[5], 'status')).toBe(
      'Status: ohne Klasse (unterdrückt (Einwohnerzahl unter der Geheimhaltungsschwelle))',
    );
    expect(indexSummary(answer.members[3])).toBe(
      'Status sehr niedrig (z = 2,75) · Dynamik stabil (z = 0,00) · Gesamtindex 4+/-',
    );
  });

  it('layer: colours by code from the members, over the level outlines', () => {
    const layer = indexLayer(answer, 'status');
    expect(layer.fill.tiles).toBe('/tiles/areas/{z}/{x}/{y}.pbf?level=plr');
    expect(layer.fill.level).toBe('plr');
    const f = { get: () => undefined } as never;
    expect(['a', 'b', 'c', 'd', 'f', 'zz'].map((c) => layer.fill.colour(c, f))).toEqual([
      STATUS_COLOURS[1],
      STATUS_COLOURS[2],
      STATUS_COLOURS[3],
      STATUS_COLOURS[4],
      INDEX_NO_CLASS_COLOUR,
      INDEX_NO_CLASS_COLOUR,
    ]);
    expect(layer.hover?.('b')).toBe('Status mittel (z = 0,50)');
    expect(layer.hover?.('zz')).toBeNull();
  });
});

describe('MSS index as a planner layer', () => {
  it('a link with layer=status or layer=dynamik chooses the index fill; elsewhere the layer stays the indicator', async () => {
    const { parseState } = await import('../../client/src/url-state.js');
    const { layerChoice } = await import('../../client/src/layer-choice.js');
    const st = parseState('#view=planung&layer=status');
    expect(st.layer).toBe('status');
    expect(layerChoice(st).fill).toEqual({ kind: 'index', aspect: 'status' });
    expect(layerChoice(parseState('#view=planung&layer=dynamik')).fill).toEqual({ kind: 'index', aspect: 'dynamik' });
    // A failed index (a level without the index indicators) falls back to the indicator map.
    expect(layerChoice(st).fallbackToIndicator).toBe(true);
    expect(parseState('#layer=unsinn').layer).toBe('indikator');
  });
});
