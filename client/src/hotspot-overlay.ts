/**
 * Hotspots drawn as hatching over another fill (choropleth in the planner, types in the combined
 * research view). Pure: which areas are hatched, how, and the legend part that explains it.
 * Gi*: hot and cold spots at a minimum confidence (90/95/99 %, the |class| of the run).
 * LISA: the quadrant of areas whose (corrected) p-value reaches the same confidence.
 */
import { lisaPValue, type HotspotMember } from './hotspot-data.js';
import type { LegendEntry, LegendSection } from './legend.js';
import { formatPeriod } from './format.js';

export type OverlayMode = 'gi' | 'lisa';
/** Minimum confidence in percent; 0 in the URL state means "no overlay". */
export type OverlayLevel = 90 | 95 | 99;
export const OVERLAY_LEVELS: readonly OverlayLevel[] = [90, 95, 99];

export type OverlayCategory = 'hot' | 'cold' | 'HH' | 'LL' | 'HL' | 'LH';
/** Hatch direction: "up" = /, "down" = \, "cross" = both. */
export type HatchPattern = 'up' | 'down' | 'cross';

/**
 * Colour says high (red) or low (blue) value; the pattern says the kind, so the overlay does not
 * rely on colour alone: clusters (hot, HH / cold, LL) in opposite diagonals, outliers cross-hatched.
 * Dark tones so the hatching stays visible on the light and middle classes of the choropleth.
 */
export const OVERLAY_STYLE: Readonly<
  Record<OverlayCategory, { colour: string; pattern: HatchPattern; label: string }>
> = {
  hot: { colour: '#b2182b', pattern: 'up', label: 'Hotspot' },
  cold: { colour: '#2166ac', pattern: 'down', label: 'Kältepunkt' },
  HH: { colour: '#b2182b', pattern: 'up', label: 'hoch, umgeben von hoch (HH)' },
  LL: { colour: '#2166ac', pattern: 'down', label: 'niedrig, umgeben von niedrig (LL)' },
  HL: { colour: '#b2182b', pattern: 'cross', label: 'hoch, umgeben von niedrig (HL)' },
  LH: { colour: '#2166ac', pattern: 'cross', label: 'niedrig, umgeben von hoch (LH)' },
};

const GI_CATEGORIES: readonly OverlayCategory[] = ['hot', 'cold'];
const LISA_CATEGORIES: readonly OverlayCategory[] = ['HH', 'LL', 'HL', 'LH'];

/** Gi* class magnitude that corresponds to a confidence: 90 % → 1, 95 % → 2, 99 % → 3. */
export function minClass(level: OverlayLevel): number {
  return level === 99 ? 3 : level === 95 ? 2 : 1;
}

/** The overlay category of one area, or null when it is not hatched at this confidence. */
export function overlayCategory(m: HotspotMember, mode: OverlayMode, level: OverlayLevel): OverlayCategory | null {
  if (mode === 'gi') {
    const c = m.class;
    if (typeof c !== 'number' || Math.abs(c) < minClass(level)) return null;
    return c > 0 ? 'hot' : 'cold';
  }
  const p = lisaPValue(m);
  const q = m.quadrant;
  if (p === null || !q || !LISA_CATEGORIES.includes(q as OverlayCategory)) return null;
  // (100 − level) / 100, not 1 − level / 100: 5 / 100 is exactly the literal 0.05.
  return p <= (100 - level) / 100 ? (q as OverlayCategory) : null;
}

/** Category by area code, only for hatched areas. */
export function overlayCategories(
  members: readonly HotspotMember[],
  mode: OverlayMode,
  level: OverlayLevel,
): Map<string, OverlayCategory> {
  const out = new Map<string, OverlayCategory>();
  for (const m of members) {
    const c = overlayCategory(m, mode, level);
    if (c) out.set(m.code, c);
  }
  return out;
}

/** Text of one category for legend and hover: "Hotspot, mind. 95 % sicher". */
export function overlayLabel(cat: OverlayCategory, level: OverlayLevel): string {
  return `${OVERLAY_STYLE[cat].label}, mind. ${level} % sicher`;
}

export interface OverlayRunInfo {
  id: string;
  indicatorLabel?: string;
  period?: string;
}

/** The legend part under the fill's legend: one hatched swatch per category, with counts. */
export function overlayLegend(
  categories: ReadonlyMap<string, OverlayCategory>,
  mode: OverlayMode,
  level: OverlayLevel,
  run: OverlayRunInfo,
): LegendSection {
  const counts = new Map<OverlayCategory, number>();
  for (const c of categories.values()) counts.set(c, (counts.get(c) ?? 0) + 1);
  const entries: LegendEntry[] = (mode === 'gi' ? GI_CATEGORIES : LISA_CATEGORIES).map((c) => ({
    colour: OVERLAY_STYLE[c].colour,
    pattern: OVERLAY_STYLE[c].pattern,
    // The long LISA names carry the level once in the subtitle, so each entry fits on one line.
    label: mode === 'gi' ? overlayLabel(c, level) : OVERLAY_STYLE[c].label,
    count: counts.get(c) ?? 0,
  }));
  const about = [
    `Analyse ${run.id}`,
    run.indicatorLabel,
    run.period ? `Stand ${formatPeriod(run.period)}` : '',
    mode === 'lisa' ? `mind. ${level} % sicher` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    title: mode === 'gi' ? 'Schraffur: Hot- und Coldspots (Gi*)' : 'Schraffur: Lokale Cluster (LISA)',
    subtitle: about,
    entries,
    note: 'Ohne Schraffur: nicht signifikant bei dieser Sicherheit',
  };
}
