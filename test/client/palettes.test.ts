import { describe, expect, it } from 'vitest';
import { divergingPalette, isDark, sequentialPalette, typeColour, typePalette } from '../../client/src/palettes.js';

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
  it('types get distinct colours up to 10', () => {
    const p = typePalette(10);
    expect(new Set(p).size).toBe(10);
    expect(typeColour(3, 5)).toBe(p[2]);
    expect(typeColour(null, 5)).toBe('#cccccc');
  });
  it('isDark tells light from dark fills', () => {
    expect(isDark('#08519c')).toBe(true);
    expect(isDark('#ffffb2')).toBe(false);
  });
});
