/**
 * Which layers the map shows for a state: the fill (types, hotspots, change or the indicator
 * choropleth), whether a failed fill falls back to the indicator map, and the hotspot hatching on
 * top. Pure, so every view and mode is tested in node; map-controller.ts loads and draws the choice.
 */
import type { OverlayLevel, OverlayMode } from './hotspot-overlay.js';
import type { AppState, HotspotMode } from './url-state.js';

export type FillChoice =
  /** The types of a typology run; k = 0 means the run's chosen k. */
  | { kind: 'types'; run: string; k: number }
  /** Each area's silhouette in a typology run at k (research view). */
  | { kind: 'silhouette'; run: string; k: number }
  /** Gi* classes or LISA quadrants of a hotspot run (planner). */
  | { kind: 'hotspots'; run: string; mode: HotspotMode }
  /** MSS status or dynamics index classes at the shown period (planner). */
  | { kind: 'index'; aspect: 'status' | 'dynamik' }
  /** Change of the indicator between two periods (planner). */
  | { kind: 'change'; from: string; to: string }
  /**
   * The indicator choropleth. valueHover: the hover names the area's value (the planner's own
   * indicator map); elsewhere it is a stand-in and the hover shows the name alone.
   */
  | { kind: 'indicator'; valueHover: boolean }
  /** The state asks for a layer it lacks the input for; the reason is shown to the user (German). */
  | { kind: 'incomplete'; reason: string };

export interface OverlayChoice {
  run: string;
  mode: OverlayMode;
  minLevel: OverlayLevel;
  /**
   * Draw only when the run belongs to the shown indicator: the planner lists only runs of the
   * shown indicator, so a run left over from another one (before the sidebar picked a new one)
   * is not drawn over this map.
   */
  sameIndicatorOnly: boolean;
}

export interface LayerChoice {
  fill: FillChoice;
  /** When the fill fails to load, show the indicator map instead so the page never stays empty. */
  fallbackToIndicator: boolean;
  /** Hotspot hatching over the fill; null = none. */
  overlay: OverlayChoice | null;
}

/** The combined research view keeps one fixed reading of the hatching: Gi*, every significant class. */
const COMBINED_OVERLAY = { mode: 'gi', minLevel: 90 } as const;

export function layerChoice(s: Readonly<AppState>): LayerChoice {
  const plannerIndicator = s.view === 'planung' && s.layer === 'indikator';
  return { fill: fillChoice(s), fallbackToIndicator: !plannerIndicator, overlay: overlayChoice(s) };
}

function fillChoice(s: Readonly<AppState>): FillChoice {
  if (s.view === 'forschung' && s.run && s.silhouette) return { kind: 'silhouette', run: s.run, k: s.k };
  if ((s.view === 'forschung' || s.view === 'beratung') && s.run) {
    // Only the researcher picks another k of the run's range; Beratung describes the chosen k.
    return { kind: 'types', run: s.run, k: s.view === 'forschung' ? s.k : 0 };
  }
  if (s.view === 'planung' && s.layer === 'hotspots') {
    if (!s.hotspots) return { kind: 'incomplete', reason: 'Keine Hotspot-Analyse gewählt.' };
    return { kind: 'hotspots', run: s.hotspots, mode: s.hotspotMode };
  }
  if (s.view === 'planung' && (s.layer === 'status' || s.layer === 'dynamik'))
    return { kind: 'index', aspect: s.layer };
  if (s.view === 'planung' && s.layer === 'veraenderung') {
    if (!s.from || !s.to || s.from === s.to)
      return { kind: 'incomplete', reason: 'Bitte zwei verschiedene Zeitpunkte für die Veränderung wählen.' };
    return { kind: 'change', from: s.from, to: s.to };
  }
  return { kind: 'indicator', valueHover: s.view === 'planung' && s.layer === 'indikator' };
}

function overlayChoice(s: Readonly<AppState>): OverlayChoice | null {
  if (!s.hotspots) return null;
  if (s.view === 'forschung' && s.combined) return { run: s.hotspots, ...COMBINED_OVERLAY, sameIndicatorOnly: false };
  if (s.view === 'planung' && s.layer === 'indikator' && s.hotspotOverlay !== 0) {
    // The hatching knows Gi* and LISA clusters; the significance map's hatching is the LISA one.
    const mode = s.hotspotMode === 'gi' ? 'gi' : 'lisa';
    return { run: s.hotspots, mode, minLevel: s.hotspotOverlay, sameIndicatorOnly: true };
  }
  return null;
}
