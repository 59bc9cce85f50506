/**
 * Estimated values in the client's value text: a value the API marks with estimatedFrom (harmonize
 * across a boundary change, or Zensus cells with a high kept-secret share) reads "… (geschätzt)",
 * together with "unvollständig" where both apply; hidden and missing values stay as they are; the
 * legend line counts the shown estimates and names their sources.
 */
import { describe, expect, it } from 'vitest';
import { estimatedLegendLabel, shownValue } from '../../client/src/value-text.js';

describe('value text: geschätzt', () => {
  it('marks an estimated value, also next to unvollständig', () => {
    expect(shownValue({ value: 12.34, suppressed: false, estimatedFrom: 'geschätzt aus Ebene plr' }, '%')).toBe(
      '12,3 % (geschätzt)',
    );
    expect(
      shownValue({ value: 12.34, suppressed: false, incomplete: true, estimatedFrom: 'geschätzt aus Ebene z1km' }, '%'),
    ).toBe('12,3 % (unvollständig, geschätzt)');
    expect(shownValue({ value: 12.34, suppressed: false, estimatedFrom: null }, '%')).toBe('12,3 %');
  });

  it('leaves hidden and missing values as they are', () => {
    expect(
      shownValue(
        { value: null, suppressed: true, suppressionReason: 'population', estimatedFrom: 'geschätzt aus Ebene plr' },
        '%',
      ),
    ).toBe(shownValue({ value: null, suppressed: true, suppressionReason: 'population' }, '%'));
    expect(shownValue({ value: null, suppressed: false, estimatedFrom: 'geschätzt aus Ebene plr' }, '%')).toBe('–');
  });

  it('words the legend line: count of shown estimates and their sources, none → null', () => {
    const rows = [
      { value: 1, suppressed: false, estimatedFrom: 'geschätzt aus Ebene z1km' },
      { value: 2, suppressed: false, estimatedFrom: 'geschätzt aus Ebene plr' },
      { value: 3, suppressed: false, estimatedFrom: 'geschätzt aus Ebene z1km' },
      { value: null, suppressed: true, estimatedFrom: 'geschätzt aus Ebene z1km' },
      { value: 4, suppressed: false, estimatedFrom: null },
    ];
    expect(estimatedLegendLabel(rows)).toBe('3 Werte geschätzt (aus Ebene plr; aus Ebene z1km)');
    expect(estimatedLegendLabel(rows.slice(0, 1))).toBe('1 Wert geschätzt (aus Ebene z1km)');
    expect(estimatedLegendLabel(rows.slice(3))).toBeNull();
  });
});
