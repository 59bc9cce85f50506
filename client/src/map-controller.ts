/**
 * Keeps the map's fill, hatching, legend and hover text in step with the state: layer-choice.ts
 * decides what is shown, this module loads the data for it, builds the layers (fill-rules.ts) and
 * hands them to the map. A newer state always wins over a slower answer for an older one.
 */
import { api, typologyAt, unwrap } from './data.js';
import { errorMessage } from './api.js';
import { fill, message } from './dom.js';
import { renderLegend } from './legend-view.js';
import {
  changeLayer,
  hotspotLayer,
  hotspotOverlay,
  indicatorLayer,
  typologyLayer,
  type LayerResult,
  type OverlayResult,
} from './fill-rules.js';
import type { Legend } from './legend.js';
import { significantMembers, type HotspotMember } from './hotspot-data.js';
import { shownValue } from './value-text.js';
import { layerChoice, type FillChoice, type OverlayChoice } from './layer-choice.js';
import { hotspotMethodNote } from './hotspot-legend.js';
import { HOTSPOT_DEFAULTS } from '../../analysis/hotspot-defaults.js';
import { loadIndex } from './index-map.js';
import { indexLayer } from './status-index-data.js';
import { silhouetteLayer } from './silhouette-data.js';
import { lisaSignificanceLayer } from './lisa-significance.js';
import type { Ctx } from './ctx.js';
import type { AppState } from './url-state.js';

/** The page elements the controller writes to besides the map. */
export interface MapElements {
  /** Legend in the map corner. */
  legend: HTMLElement;
  /** Legend of the print layout. */
  printLegend: HTMLElement;
  /** Messages about the map (a layer that cannot be drawn). */
  status: HTMLElement;
}

export class MapController {
  /** Number of the latest update; an answer for an older one is dropped. */
  private seq = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly el: MapElements,
  ) {}

  async update(): Promise<void> {
    const { ctx, el } = this;
    const seq = ++this.seq;
    const s = ctx.store.state;
    const choice = layerChoice(s);
    fill(el.status);
    let legend: Legend | null = null;
    try {
      const res = await this.loadFill(s, choice.fill);
      if (seq !== this.seq) return; // a newer state won
      if (!res) {
        ctx.map.setFill(null);
        ctx.map.setOverlay(null);
        this.showLegend(null);
        return;
      }
      // Layers that describe themselves on hover (change, hotspots) say so; else the text set while loading.
      if (res.hover) ctx.hoverValue = res.hover;
      ctx.map.setFill(res.fill);
      legend = res.legend;
      this.showLegend(legend);
    } catch (err) {
      if (seq !== this.seq) return;
      fill(el.status, message(err instanceof Error && !('status' in err) ? err.message : errorMessage(err), 'error'));
      if (choice.fallbackToIndicator) {
        const ind = ctx.indicators.find((i) => i.key === s.indicator);
        if (ind) {
          try {
            const values = await api.values(ind.key, s.period, s.level);
            if (seq !== this.seq) return;
            const r = indicatorLayer(ind, values, s.level, s.method, s.classes);
            ctx.map.setFill(r.fill);
            legend = r.legend;
            this.showLegend(legend);
          } catch {
            /* the message above already explains */
          }
        }
      }
    }
    try {
      const ov = choice.overlay ? await this.loadOverlay(s, choice.overlay) : null;
      if (seq !== this.seq) return;
      ctx.map.setOverlay(ov?.spec ?? null);
      if (ov && legend) {
        this.showLegend({ ...legend, overlay: ov.legend });
        // The hover names the hotspot class after the value: "12,3 % · Hotspot, mind. 95 % sicher".
        const base = ctx.hoverValue;
        ctx.hoverValue = (code) => {
          const v = base(code);
          const o = ov.hover(code);
          return o ? (v ? `${v} · ${o}` : o) : v;
        };
      }
    } catch (err) {
      if (seq !== this.seq) return;
      ctx.map.setOverlay(null);
      fill(el.status, message(`Hotspots: ${errorMessage(err)}`, 'error'));
    }
  }

  /** The fill layer of the choice; null = nothing to draw (no indicator for this level). */
  private async loadFill(s: Readonly<AppState>, choice: FillChoice): Promise<LayerResult | null> {
    const { ctx } = this;
    if (choice.kind === 'types') {
      const { run, members, k, chosen } = await typologyAt(choice.run, choice.k);
      const labels = new Map(run.types.map((t) => [t.type, t.label || `Typ ${t.type}`]));
      const typeOf = new Map(members.map((m) => [m.code, m.type]));
      ctx.hoverValue = (code) => {
        const t = typeOf.get(code);
        return t === undefined ? 'nicht typisiert' : (labels.get(t) ?? `Typ ${t}`);
      };
      // Beratung names the types in plain words only (no run number, no "Typ n").
      return typologyLayer(choice.run, run.types, members, s.level, chosen ? undefined : k, s.view === 'beratung');
    }
    if (choice.kind === 'silhouette') {
      const { members, k, chosen } = await typologyAt(choice.run, choice.k);
      return silhouetteLayer(choice.run, members, s.level, chosen ? undefined : k);
    }
    // The MSS index needs no indicator of its own: it reads its index indicators at the period.
    if (choice.kind === 'index') return indexLayer(await loadIndex(s.level, s.period), choice.aspect);
    const ind = ctx.indicators.find((i) => i.key === s.indicator);
    if (!ind) return null;
    switch (choice.kind) {
      case 'incomplete':
        throw new Error(choice.reason);
      case 'hotspots': {
        const [raw, meta] = await Promise.all([
          api.hotspotMembers(choice.run),
          api.hotspotRun(choice.run).catch(() => null),
        ]);
        // A run stored without its alpha was made with the default one.
        const alpha = Number(meta?.params?.alpha ?? HOTSPOT_DEFAULTS.alpha);
        const layer =
          choice.mode === 'lisap'
            ? lisaSignificanceLayer(
                choice.run,
                unwrap<HotspotMember>(raw as HotspotMember[], 'members'),
                s.level,
                alpha,
                ind.label,
              )
            : hotspotLayer(
                choice.run,
                significantMembers(unwrap<HotspotMember>(raw as HotspotMember[], 'members'), alpha),
                choice.mode,
                s.level,
                ind.label,
              );
        // What "significant" means here: neighbourhood, correction, α and the run's global Moran's I.
        const method = hotspotMethodNote(meta, HOTSPOT_DEFAULTS);
        if (method) layer.legend.note = layer.legend.note ? `${layer.legend.note} ${method}` : method;
        return layer;
      }
      case 'change': {
        const res = await api.change(ind.key, s.level, choice.from, choice.to);
        return changeLayer(ind, res.members, s.level, choice.from, choice.to, s.classes, s.method);
      }
      case 'indicator': {
        // The threshold only words the legend: without the settings the map is drawn all the same.
        const [values, settings] = await Promise.all([
          api.values(ind.key, s.period, s.level),
          api.settings().catch(() => null),
        ]);
        if (choice.valueHover) {
          const byCode = new Map(values.values.map((r) => [r.code, r]));
          ctx.hoverValue = (code) => {
            const r = byCode.get(code);
            // "12,3 %", "12,3 % (unvollständig)", "geheim (Einwohnerzahl)"
            return r ? shownValue(r, ind.unit, ind.kind) : null;
          };
        } else ctx.hoverValue = () => null;
        return indicatorLayer(ind, values, s.level, s.method, s.classes, settings?.coverageThreshold);
      }
    }
  }

  /** Hatching over the fill: hotspots over the types (combined research view) or over the choropleth (planner). */
  private async loadOverlay(s: Readonly<AppState>, choice: OverlayChoice): Promise<OverlayResult | null> {
    const { ctx } = this;
    const [raw, meta] = await Promise.all([
      api.hotspotMembers(choice.run),
      api.hotspotRun(choice.run).catch(() => null),
    ]);
    const rows = unwrap<HotspotMember>(raw as HotspotMember[], 'members');
    const runInd = ctx.indicators.find((i) => i.key === meta?.indicator);
    const run = { id: choice.run, indicatorLabel: runInd?.label ?? meta?.indicator, period: meta?.period };
    if (choice.sameIndicatorOnly && meta?.indicator && meta.indicator !== s.indicator) return null;
    return hotspotOverlay(run, rows, s.level, choice.mode, choice.minLevel);
  }

  private showLegend(legend: Legend | null): void {
    renderLegend(this.el.legend, legend);
    renderLegend(this.el.printLegend, legend);
  }
}
