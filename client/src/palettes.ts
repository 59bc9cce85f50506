/**
 * Colour choice. Pure: the data lives in brewer.ts (ColorBrewer, colour-blind safe schemes).
 * Rule of the project: on every need map, darker means more need, whatever the indicator's direction.
 */
import { BREWER } from './brewer.js';

export type Polarity = -1 | 0 | 1;

function scheme(name: string, n: number): string[] {
  const byN = BREWER[name];
  const k = Math.min(9, Math.max(3, n));
  return [...(byN[k] ?? byN[9])].slice(0, n < 3 ? n : undefined);
}

/**
 * Sequential colours for n classes ordered from the lowest to the highest value.
 * polarity +1: high values mean need → light-to-dark YlOrRd.
 * polarity −1: high values mean less need → the same scheme reversed, so low values are dark.
 * polarity  0: no direction of need → a neutral blue scheme, light to dark.
 */
export function sequentialPalette(polarity: number, n: number): string[] {
  if (n <= 0) return [];
  if (n < 3) return scheme(polarity === 0 ? 'Blues' : 'YlOrRd', 3).slice(3 - n);
  const colours = scheme(polarity === 0 ? 'Blues' : 'YlOrRd', n);
  return polarity < 0 ? colours.reverse() : colours;
}

/**
 * Diverging colours for a change map, ordered from the most negative to the most positive change.
 * For polarity +1 a rise is a worsening → red at the positive end; for −1 the scheme flips.
 * Polarity 0: purple–orange, which reads as "different", not as "better/worse".
 */
export function divergingPalette(polarity: number, n: number): string[] {
  const k = Math.min(9, Math.max(3, n));
  if (polarity === 0) return [...BREWER.PuOr[k]];
  const rdbu = [...BREWER.RdBu[k]]; // red (low) … blue (high)
  return polarity > 0 ? rdbu.reverse() : rdbu;
}

/** Gi* classes −3..+3 (cold 99/95/90 %, not significant, hot 90/95/99 %), as in common hot-spot tools. */
export const HOTSPOT_CLASS_COLOURS: Readonly<Record<number, string>> = {
  [-3]: '#2166ac',
  [-2]: '#67a9cf',
  [-1]: '#d1e5f0',
  0: '#f7f7f7',
  1: '#fddbc7',
  2: '#ef8a62',
  3: '#b2182b',
};

export const HOTSPOT_CLASS_LABELS: Readonly<Record<number, string>> = {
  [-3]: 'Kältepunkt, 99 % sicher',
  [-2]: 'Kältepunkt, 95 % sicher',
  [-1]: 'Kältepunkt, 90 % sicher',
  0: 'nicht signifikant',
  1: 'Hotspot, 90 % sicher',
  2: 'Hotspot, 95 % sicher',
  3: 'Hotspot, 99 % sicher',
};

/** LISA quadrant colours in the convention GeoDa users know (HH red, LL blue, HL pink, LH light blue). */
export const LISA_COLOURS: Readonly<Record<string, string>> = {
  HH: '#d7191c',
  LL: '#2c7bb6',
  HL: '#fdae61',
  LH: '#abd9e9',
};

export const LISA_LABELS: Readonly<Record<string, string>> = {
  HH: 'hoch, umgeben von hoch (HH)',
  LL: 'niedrig, umgeben von niedrig (LL)',
  HL: 'hoch, umgeben von niedrig (HL)',
  LH: 'niedrig, umgeben von hoch (LH)',
};

/**
 * Categorical colours for types 1..k. ColorBrewer Set2 (8 colours) then Dark2 for k > 8.
 * Only the first few Set2 colours are safe for all colour-vision deficiencies, so the map also
 * labels types by number in the legend and tooltip; colour is never the only cue.
 */
export function typePalette(k: number): string[] {
  const all = [...BREWER.Set2[8], ...BREWER.Dark2[8]];
  return all.slice(0, Math.max(0, k));
}

/** Colour of type t (1-based) among k types; grey for unknown types. */
export function typeColour(type: number | null | undefined, k: number): string {
  if (type === null || type === undefined || type < 1) return '#cccccc';
  return typePalette(Math.max(k, type))[type - 1];
}

/** Missing / suppressed values: a light neutral grey that is not part of any scheme. */
export const NO_DATA_COLOUR = '#d9d9d9';

/** Perceived lightness (0 dark … 1 light) so labels on a fill can choose black or white text. */
export function isDark(hex: string): boolean {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return false;
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => parseInt(x, 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5;
}
