/**
 * Facility symbols, legend, tile URL and hover text (client/src/facility-style.ts): Kitas and care
 * homes get their own shape and colour, drawn strong in planning and calm (smaller, muted, half
 * transparent) in counselling; the legend names label, count and stand; the hover text shows name,
 * address and the places ("69" as text is read as a number, an empty value is left out).
 */
import { describe, expect, it } from 'vitest';
import {
  FACILITY_SWITCH_LABEL,
  facilityCapacity,
  facilityLegend,
  facilitySymbol,
  facilityTileUrl,
  facilityTooltip,
} from '../../client/src/facility-style.js';

describe('facility symbols', () => {
  it('gives Kitas and care homes different shapes, the same shape in both views', () => {
    const kita = facilitySymbol('kitas', 'planning');
    const pflege = facilitySymbol('pflege', 'planning');
    expect([kita.shape, pflege.shape]).toEqual(['circle', 'square']);
    expect(kita.fill).not.toBe(pflege.fill);
    expect(facilitySymbol('kitas', 'counselling').shape).toBe('circle');
    expect(facilitySymbol('pflege', 'counselling').shape).toBe('square');
  });

  it('draws counselling calmer: smaller, muted colour, transparent, no white outline', () => {
    for (const layer of ['kitas', 'pflege', 'schulen']) {
      const strong = facilitySymbol(layer, 'planning');
      const calm = facilitySymbol(layer, 'counselling');
      expect(calm.radius).toBeLessThan(strong.radius);
      expect(calm.opacity).toBeLessThan(strong.opacity);
      expect(calm.strokeWidth).toBeLessThan(strong.strokeWidth);
      expect(calm.fill).not.toBe(strong.fill);
      expect(calm.stroke).not.toBe('#ffffff');
    }
  });

  it('gives further layers their own shape by position', () => {
    expect(facilitySymbol('schulen', 'planning', 0).shape).toBe('triangle');
    expect(facilitySymbol('aerzte', 'planning', 1).shape).toBe('diamond');
  });

  it('lists the legend with label, count and stand in the order given', () => {
    const legend = facilityLegend(
      [
        { key: 'pflege', label: 'Pflegeeinrichtungen', periods: [{ period: '2023-07-01', count: 274 }] },
        { key: 'kitas', label: 'kitas', periods: [{ period: '2022-12-01', count: 2880 }] },
        { key: 'schulen', label: 'Schulen' },
      ],
      'counselling',
    );
    expect(legend.map((e) => e.text)).toEqual([
      'Pflegeheime (274, Stand 01.07.2023)',
      'Kitas (2.880, Stand 01.12.2022)',
      'Schulen',
    ]);
    expect(legend[0].symbol).toEqual(facilitySymbol('pflege', 'counselling'));
    expect(legend[2].symbol).toEqual(facilitySymbol('schulen', 'counselling', 2));
  });

  it('builds the point-tile URL and the switch label', () => {
    expect(facilityTileUrl('kitas')).toBe('/tiles/points/kitas/{z}/{x}/{y}.pbf');
    expect(FACILITY_SWITCH_LABEL).toBe('Einrichtungen anzeigen');
  });

  it('words the hover text: name, address, places or beds', () => {
    expect(
      facilityTooltip(
        'kitas',
        { name: 'Kita Sonnenschein', address: 'Musterstraße 1, 10115 Berlin' },
        { e_platz: '69' },
      ),
    ).toBe('Kita Sonnenschein · Musterstraße 1, 10115 Berlin · 69 Plätze');
    expect(facilityTooltip('pflege', { name: 'Haus am See', address: null }, { platzzahl: 1 })).toBe(
      'Haus am See · 1 Pflegeplatz',
    );
    expect(facilityTooltip('pflege', { name: '' }, { platzzahl: 1200 })).toBe('Pflegeheim · 1.200 Pflegeplätze');
    expect(facilityTooltip('schulen', { name: 'Grundschule' }, { plaetze: 300 })).toBe('Grundschule');
    // from a point tile: capacity as a property
    expect(facilityTooltip('kitas', { name: 'Kita A', address: 'Weg 2', capacity: 45 })).toBe(
      'Kita A · Weg 2 · 45 Plätze',
    );
    expect(facilityTooltip('schulen', { name: 'Grundschule', capacity: 300 })).toBe('Grundschule · 300 Plätze');
    expect(facilityTooltip('kitas', { name: 'Kita B', capacity: null })).toBe('Kita B');
    expect(facilityCapacity('kitas', { e_platz: '' })).toBeNull();
    expect(facilityCapacity('kitas', { e_platz: 'viele' })).toBeNull();
    expect(facilityCapacity('kitas')).toBeNull();
  });
});
