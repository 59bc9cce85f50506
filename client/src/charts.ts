/**
 * Charts with Observable Plot. Loaded lazily (dynamic import) so the first map does not wait for it.
 * Every chart gets a German aria-label; colours for signed values use a diverging scheme.
 */
import * as Plot from '@observablehq/plot';
import { formatNumber, formatPeriod } from './format.js';
import { seriesExtent, tickDecimals, type SeriesPanel, type SeriesPoint } from './series-data.js';
import { distinctTicks } from './axis-ticks.js';

const de = (d: number) => formatNumber(d, Math.abs(d) < 10 ? 1 : 0);

function wrap(el: Element, label: string, testid: string): HTMLElement {
  const fig = document.createElement('figure');
  fig.className = 'chart';
  fig.setAttribute('data-testid', testid);
  fig.setAttribute('aria-label', label);
  const cap = document.createElement('figcaption');
  cap.textContent = label;
  fig.append(cap, el);
  return fig;
}

/** Bullet bars: the area's value as an index (whole region = 100), ticks for the parent area. */
export function profileBars(rows: { label: string; value: number; parent: number | null }[], width = 320): HTMLElement {
  const data = rows.filter((r) => Number.isFinite(r.value));
  const chart = Plot.plot({
    width,
    height: 22 * data.length + 40,
    marginLeft: 150,
    x: { label: 'Gesamtstadt = 100', grid: true, tickFormat: de },
    y: { label: null, domain: data.map((r) => r.label) },
    marks: [
      Plot.barX(data, {
        x: 'value',
        y: 'label',
        fill: (d) => (d.value > 100 ? '#d6604d' : '#4393c3'),
        x1: 100,
        x2: 'value',
      }),
      Plot.tickX(
        data.filter((d) => d.parent !== null),
        { x: 'parent', y: 'label', stroke: '#222', strokeWidth: 2 },
      ),
      Plot.ruleX([100], { stroke: '#333' }),
    ],
  });
  return wrap(chart, 'Abweichung vom Wert der Gesamtstadt (Strich: übergeordnetes Gebiet)', 'chart-profile');
}

/** German date ticks: the year on 1 January, else "6/2022". */
const dateTick = (d: Date) =>
  d.getUTCMonth() === 0 && d.getUTCDate() === 1
    ? String(d.getUTCFullYear())
    : `${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`;

/**
 * Small multiples: one compact line chart per indicator with several periods. One Plot each, not
 * one faceted Plot, because the indicators have different units and ranges: each panel needs its
 * own y axis (labelled with the unit). The x axis (time) is shared so the same date lines up.
 */
export function seriesMultiples(panels: readonly SeriesPanel[], width = 166): HTMLElement {
  const box = document.createElement('div');
  box.className = 'chart-grid series-grid';
  box.setAttribute('data-testid', 'chart-series-multiples');
  const head = document.createElement('p');
  head.className = 'chart-head';
  head.textContent = `Zeitreihen (${panels.length === 1 ? '1 Indikator' : `${panels.length} Indikatoren`} mit mehreren Zeitpunkten)`;
  box.append(head);
  const extent = seriesExtent(panels);
  for (const p of panels) {
    const colour = p.current ? '#08519c' : '#4d4d4d';
    const decimals = tickDecimals(p.points.map((d) => d.value));
    const num = (d: number) => formatNumber(d, decimals);
    const chart = Plot.plot({
      width,
      height: 118,
      marginLeft: 44,
      marginRight: 12,
      marginTop: 22,
      marginBottom: 22,
      style: { fontSize: '10px' },
      x: {
        type: 'utc',
        label: null,
        domain: extent ?? undefined,
        ticks: Math.max(2, Math.floor(width / 55)),
        tickFormat: dateTick,
      },
      y: { label: p.unit ?? null, grid: true, nice: true, ticks: 3, tickFormat: num },
      marks: [
        Plot.lineY(p.points, { x: 'date', y: 'value', stroke: colour, strokeWidth: p.current ? 2 : 1.5 }),
        Plot.dot(p.points, {
          x: 'date',
          y: 'value',
          fill: colour,
          r: 2.5,
          title: (d: SeriesPoint) =>
            `${formatPeriod(d.period)}: ${formatNumber(d.value, Math.max(decimals, 1))}${p.unit ? ` ${p.unit}` : ''}`,
        }),
      ],
    });
    const fig = wrap(chart, `Zeitreihe: ${p.label}`, 'chart-series');
    fig.classList.add('chart-small');
    // The aria-label says "Zeitreihe: …"; the visible caption needs only the name.
    const cap = fig.querySelector('figcaption');
    if (cap) cap.textContent = p.current ? `${p.label} (gewählt)` : p.label;
    if (p.current) fig.classList.add('current');
    fig.setAttribute('data-key', p.key);
    fig.setAttribute('data-points', String(p.points.length));
    box.append(fig);
  }
  return box;
}

/** Scree plot with the Kaiser line (eigenvalue 1). */
export function scree(eigen: number[]): HTMLElement {
  const data = eigen.map((v, i) => ({ c: i + 1, v }));
  const chart = Plot.plot({
    width: 320,
    height: 180,
    x: { label: 'Hauptkomponente', ticks: data.length, tickFormat: (d: number) => String(d) },
    y: { label: 'Eigenwert', grid: true, tickFormat: de },
    marks: [
      Plot.ruleY([1], { stroke: '#b2182b', strokeDasharray: '4,3' }),
      Plot.text([{ c: data.length, v: 1 }], {
        x: 'c',
        y: 'v',
        text: () => 'Kaiser (1)',
        dy: -7,
        textAnchor: 'end',
        fill: '#b2182b',
      }),
      Plot.lineY(data, { x: 'c', y: 'v', stroke: '#333' }),
      Plot.dot(data, { x: 'c', y: 'v', fill: (d) => (d.v > 1 ? '#08519c' : '#999') }),
    ],
  });
  return wrap(chart, 'Screeplot der Hauptkomponenten', 'chart-scree');
}

/** One small line chart per validity index over k, with the chosen k marked. */
export function byKCharts(
  byK: { k: number; inertia: number; silhouette: number; calinskiHarabasz: number; daviesBouldin: number }[],
  chosenK: number,
): HTMLElement {
  const box = document.createElement('div');
  box.className = 'chart-grid';
  box.setAttribute('data-testid', 'chart-byk');
  const specs: [keyof (typeof byK)[number], string][] = [
    ['inertia', 'Ellbogen: Fehlerquadratsumme (kleiner = kompakter)'],
    ['silhouette', 'Silhouette (größer = besser)'],
    ['calinskiHarabasz', 'Calinski-Harabasz (größer = besser)'],
    ['daviesBouldin', 'Davies-Bouldin (kleiner = besser)'],
  ];
  for (const [key, label] of specs) {
    const data = byK.map((d) => ({ k: d.k, v: d[key] as number }));
    // Ticks on a nice step with as many decimals as the step needs: distinct labels (not "0,3 / 0,3").
    const finite = data.map((d) => d.v).filter(Number.isFinite);
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    const axis = distinctTicks(lo, hi, 3);
    const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
    box.append(
      wrap(
        Plot.plot({
          width: 210,
          height: 130,
          x: { label: 'k', ticks: data.length, tickFormat: (d: number) => String(d) },
          y: {
            label: null,
            grid: true,
            domain: [lo - pad, hi + pad],
            ticks: axis.ticks,
            tickFormat: (d: number) => formatNumber(d, axis.decimals),
          },
          marks: [
            Plot.ruleX([chosenK], { stroke: '#b2182b', strokeDasharray: '3,3' }),
            Plot.lineY(data, { x: 'k', y: 'v' }),
            Plot.dot(data, { x: 'k', y: 'v', fill: (d) => (d.k === chosenK ? '#b2182b' : '#333') }),
          ],
        }),
        label,
        `chart-byk-${key}`,
      ),
    );
  }
  return box;
}

/** Heatmap of signed values in [−domain, +domain]; cells show the number. */
export function heatmap(
  cells: { x: string; y: string; v: number; flag?: boolean }[],
  opts: {
    label: string;
    testid: string;
    marginLeft?: number;
    domain?: number;
    xLabel?: string;
    yLabel?: string;
    xOrder?: string[];
    yOrder?: string[];
    width?: number;
  },
): HTMLElement {
  const dom = opts.domain ?? Math.max(1e-9, ...cells.map((c) => Math.abs(c.v)).filter(Number.isFinite));
  const xs = opts.xOrder ?? [...new Set(cells.map((c) => c.x))];
  const ys = opts.yOrder ?? [...new Set(cells.map((c) => c.y))];
  const counts = cells.every((c) => !(c.v < 0));
  const marginLeft = opts.marginLeft ?? 110;
  const chart = Plot.plot({
    width: opts.width ?? Math.max(240, marginLeft + 20 + xs.length * 46),
    height: 50 + ys.length * 26,
    marginLeft,
    marginBottom: 40,
    x: { label: opts.xLabel ?? null, domain: xs, tickRotate: xs.length > 6 ? -45 : 0 },
    y: { label: opts.yLabel ?? null, domain: ys },
    // Signed values (r, loadings, z): red above, blue below zero. Counts: one sequential hue.
    color: counts
      ? { type: 'linear', scheme: 'Blues', domain: [0, dom] }
      : { type: 'linear', scheme: 'RdBu', domain: [-dom, dom], reverse: true },
    marks: [
      Plot.cell(cells, { x: 'x', y: 'y', fill: 'v', inset: 0.5 }),
      Plot.cell(
        cells.filter((c) => c.flag),
        { x: 'x', y: 'y', stroke: '#000', strokeWidth: 2, inset: 1 },
      ),
      Plot.text(cells, {
        x: 'x',
        y: 'y',
        text: (d) => formatNumber(d.v, Math.abs(dom) > 10 ? 0 : 1),
        fill: (d) => (Math.abs(d.v) > dom * 0.6 ? 'white' : 'black'),
        fontSize: 11,
      }),
    ],
  });
  return wrap(chart, opts.label, opts.testid);
}
