/**
 * Facility symbols on the map ("Einrichtungen anzeigen"): which symbol each point layer gets, how
 * strong it is drawn in the planning view and how calm in the counselling view, the legend entries,
 * the point-tile URL and the hover text (name, address, places or beds). Pure: the map draws what
 * this describes (OpenLayers styles are built from the spec by the caller).
 */
import { formatNumber } from './format.js';

/** The label of the layer switch in the planning and counselling views. */
export const FACILITY_SWITCH_LABEL = 'Einrichtungen anzeigen';

export type FacilityView = 'planning' | 'counselling';
export type FacilityShape = 'circle' | 'square' | 'triangle' | 'diamond';

/** How one facility layer is drawn. */
export interface FacilitySymbol {
  shape: FacilityShape;
  /** radius in CSS pixels */
  radius: number;
  fill: string;
  stroke: string;
  strokeWidth: number;
  /** 0..1, of fill and stroke */
  opacity: number;
}

interface KnownLayer {
  label: string;
  shape: FacilityShape;
  /** strong colour (planning) and its calm counterpart (counselling) */
  colour: string;
  calm: string;
  /** the attribute holding the capacity, and its unit */
  capacityField: string;
  capacityUnit: string;
}

/** The shipped layers (geodata/sample/facilities.ts): Kitas with their places, care homes with theirs. */
const KNOWN: Readonly<Record<string, KnownLayer>> = {
  kitas: {
    label: 'Kitas',
    shape: 'circle',
    colour: '#1b7837',
    calm: '#7fb48a',
    capacityField: 'e_platz',
    capacityUnit: 'Plätze',
  },
  pflege: {
    label: 'Pflegeheime',
    shape: 'square',
    colour: '#762a83',
    calm: '#a98bb0',
    capacityField: 'platzzahl',
    capacityUnit: 'Pflegeplätze',
  },
};

/** Further layers, in the order they come: shape and colours by position. */
const OTHERS: readonly { shape: FacilityShape; colour: string; calm: string }[] = [
  { shape: 'triangle', colour: '#b35806', calm: '#d9a070' },
  { shape: 'diamond', colour: '#2166ac', calm: '#86a9cc' },
  { shape: 'circle', colour: '#8c510a', calm: '#c2a27a' },
];

function kindOf(layer: string, index: number): { shape: FacilityShape; colour: string; calm: string } {
  return KNOWN[layer] ?? OTHERS[Math.max(0, index) % OTHERS.length];
}

/**
 * The symbol of a layer. Planning: full colour, white outline, 6 px. Counselling: the calm
 * colour, half transparent, smaller and without a hard outline, so the symbols do not shout over
 * the area the conversation is about. index: the layer's position among the shown layers
 * (for layers other than kitas and pflege).
 */
export function facilitySymbol(layer: string, view: FacilityView, index = 0): FacilitySymbol {
  const k = kindOf(layer, index);
  return view === 'planning'
    ? { shape: k.shape, radius: 6, fill: k.colour, stroke: '#ffffff', strokeWidth: 1.5, opacity: 1 }
    : { shape: k.shape, radius: 4.5, fill: k.calm, stroke: k.calm, strokeWidth: 0.5, opacity: 0.7 };
}

/** A layer as GET /api/point-layers lists it (the fields this needs). */
export interface FacilityLayerInfo {
  key: string;
  label?: string | null;
  /** stands, newest first, with their number of points */
  periods?: readonly { period: string; count: number }[];
}

export interface FacilityLegendEntry {
  layer: string;
  /** "Kitas (2.880, Stand 01.12.2022)" */
  text: string;
  symbol: FacilitySymbol;
}

/** One legend entry per layer, in the order given; the label from the layer, else the known one, else the key. */
export function facilityLegend(layers: readonly FacilityLayerInfo[], view: FacilityView): FacilityLegendEntry[] {
  return layers.map((l, i) => {
    const label = KNOWN[l.key]?.label ?? (l.label || l.key);
    const newest = l.periods?.[0];
    const detail = newest ? ` (${formatNumber(newest.count, 0)}, Stand ${germanDate(newest.period)})` : '';
    return { layer: l.key, text: `${label}${detail}`, symbol: facilitySymbol(l.key, view, i) };
  });
}

/** The point tiles of a layer's newest stand (server/routes/point-tiles.ts). */
export function facilityTileUrl(layer: string): string {
  return `/tiles/points/${encodeURIComponent(layer)}/{z}/{x}/{y}.pbf`;
}

/** The hover text of a facility: "Kita Sonnenschein · Musterstraße 1, 10115 Berlin · 45 Plätze". */
export function facilityTooltip(
  layer: string,
  props: { name?: unknown; address?: unknown; capacity?: unknown },
  attrs?: Readonly<Record<string, unknown>>,
): string {
  const parts: string[] = [];
  const name = typeof props.name === 'string' && props.name.trim() ? props.name.trim() : null;
  parts.push(name ?? KNOWN[layer]?.label.replace(/e$/, '') ?? 'Einrichtung');
  if (typeof props.address === 'string' && props.address.trim()) parts.push(props.address.trim());
  // the point tiles carry `capacity` (geodata/tiles/point-tiles.ts); a nearby answer its attributes
  const capacity =
    typeof props.capacity === 'number' && Number.isFinite(props.capacity) && props.capacity >= 0
      ? capacityText(layer, props.capacity)
      : facilityCapacity(layer, attrs);
  if (capacity) parts.push(capacity);
  return parts.join(' · ');
}

/** "45 Plätze", "1 Pflegeplatz"; null where the layer has no known capacity field or no number in it. */
export function facilityCapacity(layer: string, attrs?: Readonly<Record<string, unknown>>): string | null {
  const k = KNOWN[layer];
  if (!k || !attrs) return null;
  const raw = attrs[k.capacityField];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(n) || n < 0) return null;
  return capacityText(layer, n);
}

/** "45 Plätze", "1 Pflegeplatz" in the layer's unit (Plätze for layers not known here). */
function capacityText(layer: string, n: number): string {
  const plural = KNOWN[layer]?.capacityUnit ?? 'Plätze';
  return `${formatNumber(n, 0)} ${n === 1 ? plural.replace(/ätze$/, 'atz') : plural}`;
}

function germanDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}
