import { describe, expect, it } from 'vitest';
import {
  lisaSignificanceLayer,
  pClass,
  NOT_SIGNIFICANT_COLOUR,
  P_COLOURS,
} from '../../client/src/lisa-significance.js';
import { parseState } from '../../client/src/url-state.js';
import { layerChoice } from '../../client/src/layer-choice.js';

const m = (code: string, adj: number | null, perm: number | null) => ({
  code,
  class: null,
  quadrant: 'HH',
  lisaPAdjusted: adj,
  lisaPPermutation: perm,
});

describe('LISA significance map', () => {
  it('classes by the corrected p (else the permutation p), limits belonging to their class', () => {
    expect(pClass(0.0005, 0.05)).toBe(0);
    expect(pClass(0.001, 0.05)).toBe(0);
    expect(pClass(0.0011, 0.05)).toBe(1);
    expect(pClass(0.05, 0.05)).toBe(2);
    expect(pClass(0.06, 0.05)).toBe(-1); // above α
    expect(pClass(0.06, 0.1)).toBe(3);
    expect(pClass(null, 0.05)).toBe(-1);
  });

  it('colours, counts and hover from the members; the corrected p wins over the permutation p', () => {
    const members = [
      m('a', 0.0004, 0.001), // ≤ 0,001
      m('b', 0.004, 0.001), // corrected 0,004: ≤ 0,01 (not the permutation's 0,001)
      m('c', null, 0.03), // no correction: permutation p, ≤ 0,05
      m('d', 0.2, 0.01), // corrected above α: not significant
      m('e', null, null), // no p (island)
    ];
    const layer = lisaSignificanceLayer('9', members, 'plr', 0.05, 'Arbeitslosigkeit');
    const f = { get: () => undefined } as never;
    expect(['a', 'b', 'c', 'd', 'e', 'x'].map((c) => layer.fill.colour(c, f))).toEqual([
      P_COLOURS[0],
      P_COLOURS[1],
      P_COLOURS[2],
      NOT_SIGNIFICANT_COLOUR,
      NOT_SIGNIFICANT_COLOUR,
      NOT_SIGNIFICANT_COLOUR,
    ]);
    // α = 0,05: three classes (0,1 is above α), one area each; d and e are "nicht signifikant".
    expect(layer.legend.entries.map((e) => [e.label, e.count])).toEqual([
      ['p ≤ 0,001', 1],
      ['p ≤ 0,01', 1],
      ['p ≤ 0,05', 1],
    ]);
    expect(layer.legend.noData?.label).toBe('nicht signifikant oder ohne Wert: 2 Gebiete');
    expect(layer.legend.title).toBe('Signifikanz lokaler Cluster (LISA): Arbeitslosigkeit');
    expect(layer.hover?.('b')).toBe('p = 0,004');
    expect(layer.hover?.('d')).toBe('p = 0,2 (nicht signifikant)');
    expect(layer.hover?.('e')).toBeNull();
  });

  it('hotmodus=lisap chooses the hotspot fill in that mode; the overlay hatching falls back to LISA', () => {
    const st = parseState('#view=planung&layer=hotspots&hot=3&hotmodus=lisap');
    expect(layerChoice(st).fill).toEqual({ kind: 'hotspots', run: '3', mode: 'lisap' });
    const ov = layerChoice(parseState('#view=planung&layer=indikator&hot=3&hotmodus=lisap&hotueber=95')).overlay;
    expect(ov?.mode).toBe('lisa');
  });
});
