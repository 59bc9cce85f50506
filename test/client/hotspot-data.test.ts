import { describe, expect, it } from 'vitest';
import { lisaPValue, significantMembers, significantQuadrant } from '../../client/src/hotspot-data.js';

describe('LISA significance for the cluster map', () => {
  it('prefers the corrected p, then the permutation p', () => {
    expect(
      lisaPValue({ code: 'a', class: 0, quadrant: 'HH', lisaP: 0.01, lisaPPermutation: 0.02, lisaPAdjusted: 0.2 }),
    ).toBe(0.2);
    expect(lisaPValue({ code: 'a', class: 0, quadrant: 'HH', lisaP: 0.01, lisaPPermutation: 0.02 })).toBe(0.02);
    expect(lisaPValue({ code: 'a', class: 0, quadrant: 'HH' })).toBeNull();
  });
  it('drops quadrants of areas that are not significant', () => {
    expect(significantQuadrant({ code: 'a', class: 0, quadrant: 'LL', lisaPAdjusted: 0.44 }, 0.05)).toBeNull();
    expect(significantQuadrant({ code: 'a', class: 0, quadrant: 'HH', lisaPAdjusted: 0.01 }, 0.05)).toBe('HH');
    expect(significantQuadrant({ code: 'a', class: 0, quadrant: null, lisaPAdjusted: 0.01 }, 0.05)).toBeNull();
    expect(
      significantMembers([{ code: 'a', class: 1, quadrant: 'HL', lisaPPermutation: 0.05 }], 0.05)[0].quadrant,
    ).toBe('HL');
  });
});
