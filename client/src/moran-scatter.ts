/**
 * The research sidebar's "Moran-Streudiagramm": a hotspot run of the shown level, its areas as
 * points (standardised value against the standardised neighbourhood average), the significant LISA
 * quadrants in their map colours, the line with slope Moran's I. Plain SVG: no chart library for
 * a few hundred dots. The numbers are moran-scatter-data.ts.
 */
import { h, fill, message, select } from './dom.js';
import { api, unwrap } from './data.js';
import { errorMessage } from './api.js';
import { formatNumber, formatPeriod } from './format.js';
import { LISA_COLOURS, LISA_LABELS } from './palettes.js';
import { axisLimit, moranScatter, type MoranScatter, type ScatterMember } from './moran-scatter-data.js';
import { significantMembers, type HotspotMember } from './hotspot-data.js';
import { HOTSPOT_DEFAULTS } from '../../analysis/hotspot-defaults.js';
import type { Ctx } from './ctx.js';
import type { HotspotRunSummary } from './types.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Drawing size in CSS pixels (square), and the margin for the axis labels. */
const SIZE = 280;
const MARGIN = 34;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export function moranScatterBox(ctx: Ctx): HTMLElement {
  const box = h('div', { testid: 'moran-box' });
  const plot = h('div', {});
  const details = h(
    'details',
    {
      testid: 'moran-details',
      ontoggle: () => {
        if (details.open && !details.dataset.loaded) {
          details.dataset.loaded = '1';
          void loadRuns(ctx, box, plot);
        }
      },
    },
    h('summary', {}, 'Moran-Streudiagramm (Hotspot-Analyse)'),
    box,
    plot,
  );
  return details;
}

async function loadRuns(ctx: Ctx, box: HTMLElement, plot: HTMLElement): Promise<void> {
  fill(box, message('Hotspot-Analysen werden geladen …'));
  try {
    const level = ctx.store.state.level;
    const runs = unwrap<HotspotRunSummary>((await api.hotspotRuns()) as HotspotRunSummary[], 'runs')
      .filter((r) => r.level === level && r.indicator)
      .sort((a, b) => Number(b.id) - Number(a.id));
    if (!runs.length) return fill(box, message('Für diese Ebene gibt es noch keine Hotspot-Analyse.'));
    const current = runs.some((r) => String(r.id) === ctx.store.state.hotspots)
      ? ctx.store.state.hotspots
      : String(runs[0].id);
    fill(
      box,
      h('label', { for: 'moran-run' }, 'Analyse'),
      select(
        { id: 'moran-run', testid: 'moran-run' },
        runs.map((r) => ({ value: String(r.id), label: `Nr. ${r.id}: ${r.indicator}, ${formatPeriod(r.period)}` })),
        current,
        (v) =>
          void draw(
            ctx,
            runs.find((r) => String(r.id) === v)!,
            plot,
          ),
      ),
    );
    await draw(
      ctx,
      runs.find((r) => String(r.id) === current)!,
      plot,
    );
  } catch (err) {
    fill(box, message(errorMessage(err), 'error'));
  }
}

/** Number of the latest draw; a slower answer for an earlier choice is dropped. */
let drawSeq = 0;

async function draw(ctx: Ctx, run: HotspotRunSummary, plot: HTMLElement): Promise<void> {
  const seq = ++drawSeq;
  fill(plot, message('Streudiagramm wird berechnet …'));
  try {
    const [raw, values, meta] = await Promise.all([
      api.hotspotMembers(String(run.id)),
      api.values(run.indicator, run.period, run.level),
      api.hotspotRun(String(run.id)).catch(() => null),
    ]);
    // The API names a quadrant for every area; only the significant ones (the run's α, corrected p)
    // are clusters, as on the LISA map. A run stored without its α used the default one.
    const alpha = Number(meta?.params?.alpha ?? HOTSPOT_DEFAULTS.alpha);
    const members = significantMembers(
      unwrap<HotspotMember>(raw as HotspotMember[], 'members'),
      alpha,
    ) as unknown as ScatterMember[];
    const byCode = new Map(values.values.map((r) => [r.code, r.suppressed ? null : r.value]));
    const names = new Map(values.values.map((r) => [r.code, r.name]));
    if (seq !== drawSeq) return;
    // The run's n counts the hidden areas the members list leaves out.
    const analysed = Number((meta as { result?: { n?: number } } | null)?.result?.n);
    const s = moranScatter(members, byCode, Number.isFinite(analysed) ? analysed : undefined);
    const label = ctx.indicators.find((i) => i.key === run.indicator)?.label ?? run.indicator;
    const fig = chart(s, label, names);
    fig.dataset.run = String(run.id);
    fill(plot, fig, notes(s));
  } catch (err) {
    fill(plot, message(errorMessage(err), 'error'));
  }
}

function chart(s: MoranScatter, label: string, names: ReadonlyMap<string, string>): HTMLElement {
  const lim = axisLimit(s.points);
  const inner = SIZE - 2 * MARGIN;
  const px = (x: number) => MARGIN + ((x + lim) / (2 * lim)) * inner;
  const py = (y: number) => SIZE - MARGIN - ((y + lim) / (2 * lim)) * inner;
  const root = svg('svg', {
    viewBox: `0 0 ${SIZE} ${SIZE}`,
    width: SIZE,
    height: SIZE,
    role: 'img',
    'aria-label': `Moran-Streudiagramm ${label}: ${s.points.length} Gebiete, Steigung (Moran's I) ${formatNumber(s.slope, 3)}`,
  });
  root.append(
    svg('rect', { x: MARGIN, y: MARGIN, width: inner, height: inner, fill: '#fff', stroke: '#999' }),
    svg('line', { x1: px(0), x2: px(0), y1: MARGIN, y2: SIZE - MARGIN, stroke: '#bbb' }),
    svg('line', { x1: MARGIN, x2: SIZE - MARGIN, y1: py(0), y2: py(0), stroke: '#bbb' }),
  );
  for (const t of [-lim, 0, lim]) {
    root.append(
      svg('text', { x: px(t), y: SIZE - MARGIN + 14, 'text-anchor': 'middle', 'font-size': 10 }, formatNumber(t, 1)),
      svg('text', { x: MARGIN - 4, y: py(t) + 3, 'text-anchor': 'end', 'font-size': 10 }, formatNumber(t, 1)),
    );
  }
  root.append(
    svg('text', { x: SIZE / 2, y: SIZE - 4, 'text-anchor': 'middle', 'font-size': 11 }, 'Wert (standardisiert)'),
    svg(
      'text',
      { x: 10, y: SIZE / 2, 'text-anchor': 'middle', 'font-size': 11, transform: `rotate(-90 10 ${SIZE / 2})` },
      'Mittel der Nachbarn (standardisiert)',
    ),
  );
  // Not significant first, so the coloured points lie on top.
  const ordered = [...s.points].sort((a, b) => Number(a.quadrant !== null) - Number(b.quadrant !== null));
  const g = svg('g', { 'data-testid': 'moran-points' });
  for (const p of ordered) {
    const inside = Math.abs(p.x) <= lim && Math.abs(p.y) <= lim;
    if (!inside) continue;
    const dot = svg('circle', {
      cx: px(p.x).toFixed(1),
      cy: py(p.y).toFixed(1),
      r: p.quadrant ? 3 : 2.2,
      fill: p.quadrant ? (LISA_COLOURS[p.quadrant] ?? '#777') : '#9e9e9e',
      stroke: p.quadrant ? '#333' : 'none',
      'stroke-width': 0.5,
      'data-code': p.code,
      'data-quadrant': p.quadrant ?? '',
    });
    dot.append(
      svg(
        'title',
        {},
        `${names.get(p.code) ?? p.code}: ${formatNumber(p.x, 2)} / ${formatNumber(p.y, 2)}${p.quadrant ? ` · ${LISA_LABELS[p.quadrant] ?? p.quadrant}` : ''}`,
      ),
    );
    g.append(dot);
  }
  root.append(g);
  if (Number.isFinite(s.slope)) {
    // The line y = I·x across the box, clipped to the square.
    const x0 = Math.abs(s.slope) > 1 ? lim / Math.abs(s.slope) : lim;
    root.append(
      svg('line', {
        x1: px(-x0),
        y1: py(-x0 * s.slope),
        x2: px(x0),
        y2: py(x0 * s.slope),
        stroke: '#000',
        'stroke-width': 1.5,
        'data-testid': 'moran-line',
        'data-slope': s.slope,
      }),
    );
  }
  const fig = h('figure', { class: 'chart', testid: 'moran-scatter' });
  fig.append(root, h('figcaption', {}, `${label}: Moran's I = ${formatNumber(s.slope, 3)} (Steigung der Linie)`));
  return fig;
}

function notes(s: MoranScatter): HTMLElement {
  return h(
    'p',
    { class: 'hint', testid: 'moran-note' },
    `${s.points.length} von ${s.n} Gebieten gezeichnet; farbig: signifikante lokale Cluster (LISA).`,
    s.missing ? ` Angenähert: ${s.missing} Werte sind geheim, Mittelwert und Streuung stammen aus den übrigen.` : '',
  );
}
