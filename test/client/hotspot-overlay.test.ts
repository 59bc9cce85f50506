import { describe, expect, it } from 'vitest';
import {
  minClass,
  overlayCategories,
  overlayCategory,
  overlayLabel,
  overlayLegend,
} from '../../client/src/hotspot-overlay.js';
import type { HotspotMember } from '../../client/src/hotspot-data.js';
import { swatchBackground } from '../../client/src/legend.js';

const m = (
  code: string,
  cls: number | null,
  quadrant: string | null = null,
  p: number | null = null,
): HotspotMember => ({ code, class: cls, quadrant, lisaPAdjusted: p });

describe('hotspot overlay', () => {
  it('hatches Gi* hot and cold spots from the chosen confidence on', () => {
    expect(minClass(90)).toBe(1);
    expect(minClass(99)).toBe(3);
    expect(overlayCategory(m('a', 1), 'gi', 90)).toBe('hot');
    expect(overlayCategory(m('a', 1), 'gi', 95)).toBeNull();
    expect(overlayCategory(m('a', -2), 'gi', 95)).toBe('cold');
    expect(overlayCategory(m('a', 3), 'gi', 99)).toBe('hot');
    expect(overlayCategory(m('a', 0), 'gi', 90)).toBeNull();
    expect(overlayCategory(m('a', null), 'gi', 90)).toBeNull();
  });
  it('hatches LISA quadrants whose corrected p reaches the confidence', () => {
    expect(overlayCategory(m('a', 0, 'HH', 0.05), 'lisa', 95)).toBe('HH');
    expect(overlayCategory(m('a', 0, 'HH', 0.051), 'lisa', 95)).toBeNull();
    expect(overlayCategory(m('a', 0, 'LH', 0.09), 'lisa', 90)).toBe('LH');
    expect(overlayCategory(m('a', 0, 'LH', 0.02), 'lisa', 99)).toBeNull();
    expect(overlayCategory(m('a', 3, null, 0.001), 'lisa', 90)).toBeNull();
    expect(overlayCategory(m('a', 3, 'XX', 0.001), 'lisa', 90)).toBeNull();
  });
  it('builds a legend part with one hatched entry per category and its count', () => {
    const rows = [m('a', 3), m('b', 2), m('c', 1), m('d', -3), m('e', 0)];
    const gi = overlayLegend(overlayCategories(rows, 'gi', 95), 'gi', 95, {
      id: '7',
      indicatorLabel: 'Kinderarmut',
      period: '2020-12-31',
    });
    expect(gi.title).toBe('Schraffur: Hot- und Coldspots (Gi*)');
    expect(gi.subtitle).toBe('Analyse 7 · Kinderarmut · Stand 31.12.2020');
    expect(gi.entries.map((e) => [e.label, e.count, e.pattern])).toEqual([
      ['Hotspot, mind. 95 % sicher', 2, 'up'],
      ['Kältepunkt, mind. 95 % sicher', 1, 'down'],
    ]);
    const lisa = overlayLegend(
      overlayCategories([m('a', 0, 'HH', 0.01), m('b', 0, 'HL', 0.2)], 'lisa', 90),
      'lisa',
      90,
      { id: '7' },
    );
    expect(lisa.entries.map((e) => e.count)).toEqual([1, 0, 0, 0]);
    expect(lisa.entries.map((e) => e.label)[2]).toBe('hoch, umgeben von niedrig (HL)');
    expect(lisa.subtitle).toBe('Analyse 7 · mind. 90 % sicher');
    expect(overlayLabel('cold', 99)).toBe('Kältepunkt, mind. 99 % sicher');
  });
  it('draws legend swatches as stripes in the direction of the map hatching', () => {
    expect(swatchBackground({ colour: '#123456' })).toBe('background:#123456');
    expect(swatchBackground({ colour: '#b2182b', pattern: 'up' })).toContain('135deg');
    expect(swatchBackground({ colour: '#b2182b', pattern: 'cross' }).match(/deg/g)).toHaveLength(2);
  });
});
