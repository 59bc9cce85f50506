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
 * Colours of the types of a typology, by need. The types of a run are ordered by need (the
 * server's needRank: 1 = highest need; without it type k is the highest, type 1 the lowest), so
 * they get a sequential scheme: the highest need darkest, as on every need map of the project.
 * ColorBrewer RdPu (light pink to dark purple), not the YlOrRd of the indicator maps, so a type map
 * is not mistaken for an indicator map; its near-white first colour is left out so the lowest
 * type still reads as coloured next to "nicht typisiert" (hatched grey, UNTYPED_COLOUR).
 */
const NEED_RAMP = ['#fde0dd', '#fcc5c0', '#fa9fb5', '#f768a1', '#dd3497', '#ae017e', '#7a0177', '#49006a'];

const hex2 = (n: number) => Math.round(n).toString(16).padStart(2, '0');
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** The ramp's colour at t (0 = first, 1 = last), linear in RGB between the stops. */
function rampAt(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (NEED_RAMP.length - 1);
  const i = Math.min(NEED_RAMP.length - 2, Math.floor(x));
  const a = rgb(NEED_RAMP[i]);
  const b = rgb(NEED_RAMP[i + 1]);
  const f = x - i;
  return `#${a.map((v, j) => hex2(v + (b[j] - v) * f)).join('')}`;
}

/**
 * k colours ordered from the lowest need to the highest (light to dark). The stops are the ramp's
 * own colours where k fits (k = 8) and evenly spaced along it otherwise, so any k stays ordered.
 */
export function needPalette(k: number): string[] {
  if (k <= 0) return [];
  if (k === 1) return [NEED_RAMP[NEED_RAMP.length - 1]];
  // k = 2 … 4 start a little darker: two or three very light pinks are hard to tell apart on a map.
  const start = k <= 4 ? 0.15 : 0;
  return Array.from({ length: k }, (_, i) => rampAt(start + ((1 - start) * i) / (k - 1)));
}

/** Need rank of a type (1 = highest need): the server's needRank, else derived from the type number (type k highest). */
export function needRankOf(type: { type: number; needRank?: number | null }, k: number): number {
  const r = type.needRank;
  return typeof r === 'number' && Number.isFinite(r) && r >= 1 && r <= Math.max(k, 1) ? r : k - type.type + 1;
}

/** Colour of the type with need rank r (1 = highest need, darkest) among k types. */
export function needColour(rank: number, k: number): string {
  const p = needPalette(k);
  return p[k - rank] ?? UNTYPED_COLOUR;
}

/** Colour of type t (1-based) among k types, in the run's own order (type k = highest need); grey for unknown types. */
export function typeColour(type: number | null | undefined, k: number): string {
  if (type === null || type === undefined || type < 1) return UNTYPED_COLOUR;
  const n = Math.max(k, type);
  return needColour(n - type + 1, n);
}

/**
 * Areas without a type ("nicht typisiert": missing values, hidden): a mid grey drawn hatched on the
 * map and in the legend (see UNTYPED_FILL), so it never looks like the lightest type.
 */
export const UNTYPED_COLOUR = '#bdbdbd';
/** The fill colour string that the map draws as a hatched grey (map-styles.ts fillStyle). */
export const UNTYPED_FILL = `hatch:${UNTYPED_COLOUR}`;

/** Missing / suppressed values: a light neutral grey that is not part of any scheme. */
export const NO_DATA_COLOUR = '#d9d9d9';

/** Perceived lightness (0 dark … 1 light) so labels on a fill can choose black or white text. */
export function isDark(hex: string): boolean {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return false;
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => parseInt(x, 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5;
}
