/**
 * Legend entries as data. Pure: the DOM part (legend-view.ts) only renders these.
 */
import { formatNumber, MISSING } from './format.js';

export interface LegendEntry {
  colour: string;
  label: string;
  /** Lower and upper limit for class legends, for tests and data attributes. */
  from?: number;
  to?: number;
  count?: number;
  /** Hatching instead of a solid swatch (hotspot overlay): "up" = /, "down" = \, "cross" = both. */
  pattern?: 'up' | 'down' | 'cross';
}

/** A second part of the legend for what is drawn over the fill (hotspot hatching). */
export interface LegendSection {
  title: string;
  subtitle?: string;
  entries: LegendEntry[];
  note?: string;
}

export interface Legend {
  title: string;
  subtitle?: string;
  entries: LegendEntry[];
  /** A "keine Angabe" swatch for suppressed/missing values. */
  noData?: { colour: string; label: string; count?: number; hatched?: boolean };
  /** The mark of aggregates below the coverage threshold (dots and a dashed outline over the class colour). */
  incomplete?: { label: string; count: number };
  /** The line for estimated values (value-text.ts estimatedLegendLabel), e.g. "3 Werte geschätzt (aus Ebene z1km)". */
  estimated?: string;
  note?: string;
  overlay?: LegendSection;
}

/**
 * One entry per class with German limits. Classes are closed at the top (a value on a limit belongs to
 * the lower class), so the first reads "1,2 bis 2,5 %" and the others "über 2,5 bis 10,0 %".
 * Units are appended to each label so a printed legend is readable on its own.
 */
export function classLegendEntries(
  limits: readonly number[],
  colours: readonly string[],
  unit: string | null | undefined,
  decimals = 1,
  counts?: readonly number[],
): LegendEntry[] {
  const n = limits.length - 1;
  const u = unit ? ` ${unit}` : '';
  const out: LegendEntry[] = [];
  for (let i = 0; i < n; i++) {
    const lo = formatNumber(limits[i], decimals);
    const hi = formatNumber(limits[i + 1], decimals);
    const label = i === 0 ? `${lo} bis ${hi}${u}` : `über ${lo} bis ${hi}${u}`;
    out.push({ colour: colours[i] ?? '#cccccc', label, from: limits[i], to: limits[i + 1], count: counts?.[i] });
  }
  return out;
}

/** Entries for categories (types, hotspot classes) in the order given. */
export function categoryLegendEntries(
  items: readonly { colour: string; label: string; count?: number }[],
): LegendEntry[] {
  return items.map((it) => ({ colour: it.colour, label: it.label || MISSING, count: it.count }));
}

/** "n Gebiete" with German singular/plural. */
export function areasCount(n: number): string {
  return n === 1 ? '1 Gebiet' : `${formatNumber(n, 0)} Gebiete`;
}

/**
 * CSS background of a legend swatch: the colour, or stripes in the direction of the map's hatching
 * (the canvas pattern draws "/" for "up"; a CSS gradient at 135° gives the same stripes).
 */
export function swatchBackground(e: Pick<LegendEntry, 'colour' | 'pattern'>): string {
  if (!e.pattern) return `background:${e.colour}`;
  const stripes = (deg: number) => `repeating-linear-gradient(${deg}deg, ${e.colour} 0 2px, transparent 2px 5px)`;
  const layers =
    e.pattern === 'up' ? [stripes(135)] : e.pattern === 'down' ? [stripes(45)] : [stripes(135), stripes(45)];
  return `background:${layers.join(', ')}, #ffffff;border-color:${e.colour}`;
}

/** CSS background of the hatched "nicht typisiert" swatch: the same grey stripes on a light ground as on the map. */
export function hatchedBackground(colour: string): string {
  return `background:repeating-linear-gradient(135deg, ${colour} 0 2px, #eeeeee 2px 5px);border-color:${colour}`;
}
