/**
 * The shareable state of the app, kept in the URL hash ("#view=planung&ind=S4&…").
 * Pure: parse and serialise strings; main.ts wires it to location and history.
 * The hash (not the query) is used so that the server's SPA fallback is never involved
 * and a change never reloads the page.
 */
import { clampClasses, type ClassMethod } from './classify.js';
import { OVERLAY_LEVELS, type OverlayLevel } from './hotspot-overlay.js';

export type View = 'planung' | 'forschung' | 'beratung' | 'daten';
/** What the planner map shows as fill; status and dynamik are the MSS index classes (GET /api/index). */
export type PlannerLayer = 'indikator' | 'hotspots' | 'veraenderung' | 'status' | 'dynamik';
/** gi: Gi* classes; lisa: LISA cluster map; lisap: LISA significance map (p-value classes). */
export type HotspotMode = 'gi' | 'lisa' | 'lisap';

export interface AppState {
  view: View;
  level: string;
  indicator: string;
  period: string;
  layer: PlannerLayer;
  method: ClassMethod;
  classes: number;
  /** Typology run shown (researcher, Beratung and the combined view). */
  run: string;
  /**
   * Researcher view: the k of the run's range whose stored types are shown; 0 = the run's chosen k.
   * Beratung keeps the chosen k (its descriptions are the run's own).
   */
  k: number;
  /** Hotspot run shown as overlay. */
  hotspots: string;
  hotspotMode: HotspotMode;
  /** Change map periods. */
  from: string;
  to: string;
  /** Selected area code. */
  area: string;
  /** Map view "zoom/lon/lat"; empty = fit to the data or the selected area. */
  map: string;
  /** Optional basemap: an XYZ template or "wms:<url>|<layers>". Empty = none (no internet assumed). */
  basemap: string;
  /** Researcher combined view: hotspots drawn as hatching over the types. */
  combined: boolean;
  /** Researcher: the map shows each area's silhouette in the run instead of its type. */
  silhouette: boolean;
  /**
   * Planner: the hotspot run drawn as hatching over the indicator map, at this minimum confidence
   * in percent; 0 = no overlay. One key holds both, so a link cannot carry a level without overlay.
   */
  hotspotOverlay: 0 | OverlayLevel;
}

export const DEFAULT_STATE: Readonly<AppState> = {
  view: 'planung',
  level: 'plr',
  indicator: '',
  period: '',
  layer: 'indikator',
  method: 'quantile',
  classes: 5,
  run: '',
  k: 0,
  hotspots: '',
  hotspotMode: 'gi',
  from: '',
  to: '',
  area: '',
  map: '',
  basemap: '',
  combined: false,
  silhouette: false,
  hotspotOverlay: 0,
};

// Short, stable URL keys: links are pasted into mails and chats.
const KEYS: Record<keyof AppState, string> = {
  view: 'view',
  level: 'ebene',
  indicator: 'ind',
  period: 'zeit',
  layer: 'layer',
  method: 'klassen',
  classes: 'n',
  run: 'typ',
  k: 'k',
  hotspots: 'hot',
  hotspotMode: 'hotmodus',
  from: 'von',
  to: 'bis',
  area: 'gebiet',
  map: 'karte',
  basemap: 'grundkarte',
  combined: 'kombi',
  silhouette: 'sil',
  hotspotOverlay: 'hotueber',
};

const VIEWS: readonly View[] = ['planung', 'forschung', 'beratung', 'daten'];
const LAYERS: readonly PlannerLayer[] = ['indikator', 'hotspots', 'veraenderung', 'status', 'dynamik'];
const METHODS: readonly ClassMethod[] = ['quantile', 'jenks', 'equal', 'sd'];

function oneOf<T extends string>(v: string | null, allowed: readonly T[], fallback: T): T {
  return v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

/** Parse a hash ("#a=b&…" or "a=b&…"); unknown or invalid values fall back to the defaults. */
export function parseState(hash: string, defaults: Readonly<AppState> = DEFAULT_STATE): AppState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const str = (k: keyof AppState): string => p.get(KEYS[k]) ?? (defaults[k] as string);
  const n = Number(p.get(KEYS.classes));
  return {
    view: oneOf(p.get(KEYS.view), VIEWS, defaults.view),
    level: str('level'),
    indicator: str('indicator'),
    period: str('period'),
    layer: oneOf(p.get(KEYS.layer), LAYERS, defaults.layer),
    method: oneOf(p.get(KEYS.method), METHODS, defaults.method),
    classes: p.has(KEYS.classes) && Number.isFinite(n) ? clampClasses(n) : defaults.classes,
    run: str('run'),
    k: p.has(KEYS.k) ? parseK(p.get(KEYS.k)) : defaults.k,
    hotspots: str('hotspots'),
    hotspotMode: oneOf(p.get(KEYS.hotspotMode), ['gi', 'lisa', 'lisap'] as const, defaults.hotspotMode),
    from: str('from'),
    to: str('to'),
    area: str('area'),
    map: parseMapView(p.get(KEYS.map)) ? p.get(KEYS.map)! : defaults.map,
    basemap: str('basemap'),
    combined: p.has(KEYS.combined) ? p.get(KEYS.combined) === '1' : defaults.combined,
    silhouette: p.has(KEYS.silhouette) ? p.get(KEYS.silhouette) === '1' : defaults.silhouette,
    hotspotOverlay: p.has(KEYS.hotspotOverlay) ? parseOverlay(p.get(KEYS.hotspotOverlay)) : defaults.hotspotOverlay,
  };
}

/** A k of a typology range: an integer 2 … 99 (the API's bounds); anything else → 0, the run's chosen k. */
function parseK(v: string | null): number {
  const n = Number(v);
  return v !== null && /^\d{1,2}$/.test(v) && n >= 2 ? n : 0;
}

/** "95" → 95; "1" (a hand-written switch) → 90, the lowest level; anything else → off. */
function parseOverlay(v: string | null): 0 | OverlayLevel {
  if (v === '1') return 90;
  const n = Number(v);
  return (OVERLAY_LEVELS as readonly number[]).includes(n) ? (n as OverlayLevel) : 0;
}

/** Serialise only what differs from the defaults, in a fixed key order, so equal states give equal links. */
export function serializeState(state: Readonly<AppState>, defaults: Readonly<AppState> = DEFAULT_STATE): string {
  const p = new URLSearchParams();
  for (const k of Object.keys(KEYS) as (keyof AppState)[]) {
    const v = state[k];
    if (v === defaults[k]) continue;
    if (typeof v === 'boolean') p.set(KEYS[k], v ? '1' : '0');
    else if (v !== '') p.set(KEYS[k], String(v));
    else if (defaults[k] !== '') p.set(KEYS[k], '');
  }
  const s = p.toString();
  return s ? `#${s}` : '';
}

export interface MapView {
  zoom: number;
  lon: number;
  lat: number;
}

/** "12.5/13.3889/52.5170" → {zoom, lon, lat}; null when malformed or out of range. */
export function parseMapView(s: string | null | undefined): MapView | null {
  if (!s) return null;
  const parts = s.split('/').map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x))) return null;
  const [zoom, lon, lat] = parts;
  if (zoom < 0 || zoom > 24 || Math.abs(lon) > 180 || Math.abs(lat) > 90) return null;
  return { zoom, lon, lat };
}

/** Rounded so that links stay short: 2 decimals of zoom, 5 of degrees (about a metre). */
export function formatMapView(v: MapView): string {
  return `${Number(v.zoom.toFixed(2))}/${Number(v.lon.toFixed(5))}/${Number(v.lat.toFixed(5))}`;
}

/**
 * The host a basemap spec loads from ("tile.openstreetmap.org" of an XYZ template, the WMS server
 * of "wms:URL|layers"); null for a spec that is not an http(s) URL (it is never loaded).
 */
export function basemapHost(spec: string): string | null {
  if (!spec) return null;
  // Placeholders ({z}, {a-c}) are not valid in a host: stand-ins let the URL parse.
  const url = spec
    .replace(/^wms:/, '')
    .split('|')[0]
    .replace(/\{[^}]*\}/g, 'a');
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.host : null;
  } catch {
    return null;
  }
}

/**
 * The question asked before a basemap from a shared link is loaded: the link may come from anyone,
 * and every tile request tells that host the user's address and where they look on the map.
 */
export function basemapQuestion(host: string): string {
  return (
    `Dieser Link möchte eine Grundkarte von ${host} laden. Ihr Browser fragt dann Kartenbilder bei diesem ` +
    `fremden Server an (er sieht Ihre IP-Adresse und den Kartenausschnitt). Grundkarte von ${host} laden?`
  );
}
