import { describe, expect, it } from 'vitest';
import {
  divergingPalette,
  isDark,
  needColour,
  needPalette,
  needRankOf,
  sequentialPalette,
  typeColour,
  UNTYPED_COLOUR,
  UNTYPED_FILL,
} from '../../client/src/palettes.js';

// Relative luminance: smaller = darker.
const lum = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

describe('palettes oriented by polarity', () => {
  it('has one colour per class, 3..7', () => {
    for (let n = 3; n <= 7; n++) expect(sequentialPalette(1, n)).toHaveLength(n);
  });
  it('polarity +1: the highest class is the darkest', () => {
    const p = sequentialPalette(1, 5);
    expect(lum(p[4])).toBeLessThan(lum(p[0]));
  });
  it('polarity −1: the lowest class is the darkest (darker always means more need)', () => {
    const p = sequentialPalette(-1, 5);
    expect(lum(p[0])).toBeLessThan(lum(p[4]));
    expect(p).toEqual([...sequentialPalette(1, 5)].reverse());
  });
  it('polarity 0 uses a neutral scheme', () => {
    expect(sequentialPalette(0, 5)).not.toEqual(sequentialPalette(1, 5));
  });
  it('diverging: a rise of a need indicator is red', () => {
    const p = divergingPalette(1, 5);
    expect(p[4]).toBe('#ca0020');
    expect(divergingPalette(-1, 5)[0]).toBe('#ca0020');
  });
  it("types by need: a sequential scheme, light to dark, the ramp's own stops at k = 8", () => {
    expect(needPalette(8)).toEqual([
      '#fde0dd',
      '#fcc5c0',
      '#fa9fb5',
      '#f768a1',
      '#dd3497',
      '#ae017e',
      '#7a0177',
      '#49006a',
    ]);
    expect(needPalette(5)).toEqual(['#fde0dd', '#fba9b8', '#ea4e9c', '#a1017c', '#49006a']);
    // Few types start darker, so the lightest is still a colour and not near-white.
    expect(needPalette(3)).toEqual(['#fcc3bf', '#dc3396', '#49006a']);
    for (const k of [2, 3, 5, 9, 12]) {
      const p = needPalette(k);
      expect(new Set(p).size).toBe(k);
      for (let i = 1; i < k; i++) expect(lum(p[i])).toBeLessThan(lum(p[i - 1]));
    }
  });
  it('needRank 1 (highest need) is the darkest; without needRank type k is the highest', () => {
    expect(needColour(1, 5)).toBe('#49006a');
    expect(needColour(5, 5)).toBe('#fde0dd');
    expect(needRankOf({ type: 2, needRank: 1 }, 5)).toBe(1);
    expect(needRankOf({ type: 2 }, 5)).toBe(4);
    // A needRank outside 1..k is ignored.
    expect(needRankOf({ type: 2, needRank: 9 }, 5)).toBe(4);
    expect(typeColour(5, 5)).toBe('#49006a');
    expect(typeColour(1, 5)).toBe('#fde0dd');
  });
  it('untyped areas are a hatched grey, never a colour of the scheme', () => {
    expect(typeColour(null, 5)).toBe(UNTYPED_COLOUR);
    expect(UNTYPED_FILL).toBe(`hatch:${UNTYPED_COLOUR}`);
    for (let k = 2; k <= 10; k++) expect(needPalette(k)).not.toContain(UNTYPED_COLOUR);
  });
  it('isDark tells light from dark fills', () => {
    expect(isDark('#08519c')).toBe(true);
    expect(isDark('#ffffb2')).toBe(false);
  });
});
