/**
 * Facilities on the map: a switch "Einrichtungen anzeigen" over the map in the planning and the
 * counselling view; switched on, every point layer of GET /api/point-layers is drawn from its point
 * tiles (/tiles/points/{layer}/…) with the symbol of facility-style.ts (strong in planning, calm in
 * counselling), a legend lists the layers, and hovering a facility shows its name, address and
 * places or beds. The view is read from body[data-view] (main.ts sets it), so nothing else has to
 * tell this module about view changes. Other views hide switch and symbols.
 */
import VectorTileLayer from 'ol/layer/VectorTile.js';
import VectorTileSource from 'ol/source/VectorTile.js';
import MVT from 'ol/format/MVT.js';
import Overlay from 'ol/Overlay.js';
import Control from 'ol/control/Control.js';
import { Circle as CircleStyle, Fill, RegularShape, Stroke, Style } from 'ol/style.js';
import type { FeatureLike } from 'ol/Feature.js';
import type { AtlasMap } from './map.js';
import { fetchJson } from './api.js';
import {
  FACILITY_SWITCH_LABEL,
  facilityLegend,
  facilitySymbol,
  facilityTileUrl,
  facilityTooltip,
  type FacilityLayerInfo,
  type FacilitySymbol,
  type FacilityView,
} from './facility-style.js';

/** How close (CSS pixels) the pointer must come to a facility for its hover text. */
const HOVER_PX = 6;

/** The views that offer the switch, and how each draws the symbols. */
const VIEWS: Readonly<Record<string, FacilityView>> = { planung: 'planning', beratung: 'counselling' };

/** An OpenLayers style from a symbol spec. */
export function olStyle(s: FacilitySymbol): Style {
  const alpha = (hex: string) => {
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${s.opacity})`;
  };
  const fill = new Fill({ color: alpha(s.fill) });
  const stroke = new Stroke({ color: alpha(s.stroke), width: s.strokeWidth });
  const image =
    s.shape === 'circle'
      ? new CircleStyle({ radius: s.radius, fill, stroke })
      : new RegularShape({
          points: s.shape === 'triangle' ? 3 : 4,
          radius: s.radius * (s.shape === 'triangle' ? 1.3 : 1.2),
          angle: s.shape === 'square' ? Math.PI / 4 : 0,
          fill,
          stroke,
        });
  return new Style({ image });
}

/** Mounts the switch, the legend and the hover text on the map; the layers load on first switch-on. */
export function mountFacilities(atlas: AtlasMap): void {
  const box = document.createElement('div');
  box.className = 'facility-control ol-unselectable ol-control';
  box.setAttribute('data-testid', 'facility-control');
  Object.assign(box.style, {
    top: '0.5em',
    right: '0.5em',
    left: 'auto',
    padding: '0.3em 0.5em',
    background: 'rgba(255, 255, 255, 0.92)',
    fontSize: '0.85rem',
    maxWidth: '16em',
  });
  const label = document.createElement('label');
  const toggle = document.createElement('input');
  toggle.type = 'checkbox';
  toggle.setAttribute('data-testid', 'facility-switch');
  label.append(toggle, ` ${FACILITY_SWITCH_LABEL}`);
  const legend = document.createElement('ul');
  legend.setAttribute('data-testid', 'facility-legend');
  Object.assign(legend.style, { listStyle: 'none', margin: '0.3em 0 0', padding: '0', display: 'none' });
  box.append(label, legend);
  atlas.map.addControl(new Control({ element: box }));

  const tip = document.createElement('div');
  tip.className = 'map-tooltip';
  tip.setAttribute('data-testid', 'facility-tooltip');
  tip.setAttribute('role', 'tooltip');
  tip.style.display = 'none';
  const tipOverlay = new Overlay({ element: tip, offset: [12, -12], positioning: 'bottom-left', stopEvent: false });
  atlas.map.addOverlay(tipOverlay);

  let infos: FacilityLayerInfo[] | null = null;
  const layers = new Map<VectorTileLayer, string>();
  const viewNow = (): FacilityView | null => VIEWS[document.body.dataset.view ?? ''] ?? null;

  function drawLegend(view: FacilityView): void {
    legend.replaceChildren(
      ...facilityLegend(infos ?? [], view).map((e) => {
        const li = document.createElement('li');
        li.setAttribute('data-layer', e.layer);
        const sw = document.createElement('span');
        const r = e.symbol.radius;
        Object.assign(sw.style, {
          display: 'inline-block',
          width: `${2 * r}px`,
          height: `${2 * r}px`,
          marginRight: '0.4em',
          background: e.symbol.fill,
          opacity: String(e.symbol.opacity),
          borderRadius: e.symbol.shape === 'circle' ? '50%' : '0',
          transform: e.symbol.shape === 'diamond' ? 'rotate(45deg)' : '',
        });
        li.append(sw, e.text);
        return li;
      }),
    );
  }

  async function ensureLayers(): Promise<void> {
    if (infos) return;
    infos = await fetchJson<FacilityLayerInfo[]>('/api/point-layers').catch(() => []);
    infos.forEach((info, i) => {
      const layer = new VectorTileLayer({
        source: new VectorTileSource({ url: facilityTileUrl(info.key), format: new MVT(), maxZoom: 14, transition: 0 }),
        style: (): Style => olStyle(facilitySymbol(info.key, viewNow() ?? 'planning', i)),
        zIndex: 50,
        visible: false,
      });
      layers.set(layer, info.key);
      atlas.map.addLayer(layer);
    });
  }

  async function apply(): Promise<void> {
    const view = viewNow();
    box.style.display = view ? '' : 'none';
    const on = view !== null && toggle.checked;
    if (on) await ensureLayers();
    for (const l of layers.keys()) {
      l.setVisible(on);
      l.changed(); // the style depends on the view
    }
    legend.style.display = on ? '' : 'none';
    if (on && view) drawLegend(view);
    if (!on) tip.style.display = 'none';
  }

  /** The facility nearest to a map coordinate within HOVER_PX pixels, from the loaded tiles of the shown layers. */
  function nearestFacility(at: number[]): { layer: string; f: FeatureLike } | null {
    const r = HOVER_PX * (atlas.map.getView().getResolution() ?? 1);
    let best: { layer: string; f: FeatureLike; d: number } | null = null;
    for (const [l, key] of layers) {
      if (!l.getVisible()) continue;
      for (const f of l.getFeaturesInExtent([at[0] - r, at[1] - r, at[0] + r, at[1] + r])) {
        const c = f.getGeometry()?.getExtent();
        if (!c) continue;
        const d = Math.hypot(c[0] - at[0], c[1] - at[1]);
        if (d <= r && (!best || d < best.d)) best = { layer: key, f, d };
      }
    }
    return best;
  }

  toggle.addEventListener('change', () => void apply());
  new MutationObserver(() => void apply()).observe(document.body, {
    attributes: true,
    attributeFilter: ['data-view'],
  });
  atlas.map.on('pointermove', (ev) => {
    if (ev.dragging || !toggle.checked || viewNow() === null) return;
    const found = nearestFacility(ev.coordinate);
    if (!found) {
      tip.style.display = 'none';
      tipOverlay.setPosition(undefined);
      return;
    }
    tip.textContent = facilityTooltip(found.layer, {
      name: found.f.get('name'),
      address: found.f.get('address'),
      capacity: found.f.get('capacity'),
    });
    tip.style.display = 'block';
    tipOverlay.setPosition(ev.coordinate);
  });
  void apply();
}
