/**
 * The one-page handout for counselling centres (GET /profile/{level}/{code}/handout): one self-contained
 * HTML page (no external CSS, fonts or images) laid out for exactly one A4 page in print, in plain German
 * without statistics words: the area's name, a map of the area at a round scale with its neighbours
 * named, three to five key figures for counsellors of older people, each said as "mehr/weniger als in
 * Berlin insgesamt" with its date, the published grouping's plain name where there is one, the nearest
 * facilities, a legend, the date and the sources. The data is server/services/handout.ts.
 */
import { fmt, fmtDate, escapeHtml as h } from './format.js';

/** Width (and height) of the printed map in millimetres. */
export const HANDOUT_MAP_MM = 86;
/** The round scales the map may use (1:s), smallest first: the first that fits the area is taken. */
export const HANDOUT_SCALES = [5_000, 10_000, 15_000, 25_000, 50_000, 100_000, 200_000, 400_000] as const;

export interface HandoutFigure {
  key: string;
  title: string;
  unit: string | null;
  kind: string;
  /** null when missing or hidden. */
  value: number | null;
  /** Hidden to protect people's data (a small area or one that would give a small area away). */
  hidden: boolean;
  /** The value of the whole city on the same date; null for counts. */
  city: number | null;
  period: string;
}

export interface HandoutMapArea {
  code: string;
  name: string;
  /** SVG path data (ST_AsSVG, absolute, y negated) in the metric CRS of the frame. */
  path: string;
  /** Label point [x, y] (y not negated). */
  label: [number, number];
  self: boolean;
  neighbour: boolean;
}

export interface HandoutMap {
  /** 1:scale. */
  scale: number;
  /** [xmin, ymin, xmax, ymax] in metres (UTM). */
  frame: [number, number, number, number];
  areas: HandoutMapArea[];
}

export interface Handout {
  code: string;
  name: string;
  levelLabel: string;
  parent: { name: string; levelLabel: string } | null;
  /** "Berlin": the whole the figures are compared with. */
  regionName: string;
  figures: HandoutFigure[];
  /** The published grouping's plain name and description for this area; null when none is published. */
  placement: { name: string; description: string } | null;
  nearby: {
    label: string;
    period: string;
    attribution: string | null;
    points: { name: string; address: string | null; distanceM: number }[];
  }[];
  map: HandoutMap;
  attribution: string[];
}

const CSS = `
@page { size: A4 portrait; margin: 10mm 12mm 10mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 9.5pt/1.3 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 184mm; padding: 6mm 0; }
h1 { font-size: 19pt; line-height: 1.15; margin: 0; overflow-wrap: anywhere; }
h2 { font-size: 11.5pt; margin: 0 0 1.5mm 0; }
h3 { font-size: 10pt; margin: 1.5mm 0 0.5mm 0; }
p { margin: 0; }
header { border-bottom: 0.6mm solid #333; padding-bottom: 2mm; margin-bottom: 3mm; }
.sub { color: #444; margin-top: 0.8mm; }
.top { display: flex; gap: 5mm; align-items: flex-start; }
figure { margin: 0; flex: none; width: ${HANDOUT_MAP_MM}mm; }
figure svg { display: block; border: 0.25mm solid #777; }
figcaption { font-size: 8pt; color: #333; margin-top: 1mm; display: flex; justify-content: space-between; gap: 2mm; }
.figures { flex: 1; display: flex; flex-direction: column; gap: 1.5mm; }
.figure { border: 0.3mm solid #bbb; border-radius: 1.5mm; padding: 1.2mm 2.2mm; break-inside: avoid; }
.figure .title { font-weight: 600; }
.figure .value { font-size: 15pt; font-weight: 700; line-height: 1.15; }
.figure .cmp { font-size: 9.5pt; }
.figure .date { font-size: 8pt; color: #555; }
section.block { margin-top: 3mm; break-inside: avoid; }
.nearby li { font-size: 8.5pt; }
ul { margin: 0; padding-left: 4.5mm; }
li { margin: 0.3mm 0; }
.nearby { display: flex; gap: 6mm; }
.nearby > div { flex: 1; }
.legend li { list-style: none; margin-left: -4.5mm; }
.swatch { display: inline-block; width: 4mm; height: 3mm; vertical-align: -0.4mm; margin-right: 1.5mm; border: 0.3mm solid #555; }
footer { margin-top: 3.5mm; font-size: 7.5pt; color: #444; border-top: 0.2mm solid #999; padding-top: 1.5mm; break-inside: avoid; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
`;

/** "23,4 %" / "3.419": one decimal for shares, none for counts. */
function valueText(f: HandoutFigure, v: number): string {
  if (f.kind === 'count') return fmt(v, 0);
  return `${fmt(v, 1)}${f.unit ? ` ${h(f.unit)}` : ''}`;
}

/** "mehr als in Berlin insgesamt (18,2 %)", on the rounded values a reader sees. */
function comparison(f: HandoutFigure, region: string): string {
  if (f.value === null || f.city === null) return '';
  const a = Number(f.value.toFixed(1));
  const b = Number(f.city.toFixed(1));
  const word = a > b ? 'mehr als' : a < b ? 'weniger als' : 'genauso viel wie';
  return `<p class="cmp">${word} in ${h(region)} insgesamt (${valueText(f, f.city)})</p>`;
}

function figureHtml(f: HandoutFigure, region: string): string {
  const value = f.hidden
    ? '<p class="cmp">Nicht gezeigt: hier leben sehr wenige Menschen (Datenschutz).</p>'
    : f.value === null
      ? '<p class="cmp">Für dieses Gebiet liegt keine Zahl vor.</p>'
      : `<p class="value">${valueText(f, f.value)}</p>${comparison(f, region)}`;
  return `<div class="figure" data-key="${h(f.key)}"><p class="title">${h(f.title)}</p>${value}<p class="date">Stand: ${fmtDate(f.period)}</p></div>`;
}

/** A scale bar length that is a round number of metres and about a quarter of the map width. */
function scaleBar(scale: number): { metres: number; mm: number } {
  const target = (HANDOUT_MAP_MM / 4) * (scale / 1000);
  const steps = [50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000];
  const metres = steps.filter((s) => s <= target).at(-1) ?? steps[0];
  return { metres, mm: metres / (scale / 1000) };
}

const metresText = (m: number) => (m >= 1000 ? `${fmt(m / 1000, m % 1000 === 0 ? 0 : 1)} km` : `${fmt(m, 0)} m`);

/** The map as inline SVG: neighbours grey with their names, the area red with its name in bold. */
export function handoutMapSvg(map: HandoutMap, name: string): string {
  const [x0, y0, x1, y1] = map.frame;
  const side = x1 - x0;
  const mm = side / HANDOUT_MAP_MM; // metres per printed millimetre
  const inFrame = (p: [number, number]) => p[0] > x0 && p[0] < x1 && p[1] > y0 && p[1] < y1;
  const others = map.areas.filter((a) => !a.self);
  const self = map.areas.find((a) => a.self);
  const label = (a: HandoutMapArea, size: number, bold: boolean) =>
    `<text x="${a.label[0].toFixed(0)}" y="${(-a.label[1]).toFixed(0)}" font-size="${(size * mm).toFixed(0)}"${bold ? ' font-weight="700"' : ''}>${h(a.name)}</text>`;
  const bar = scaleBar(map.scale);
  const barX = x0 + 3 * mm;
  const barY = -y0 - 3 * mm;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Karte: ${h(name)} und Nachbargebiete" width="${HANDOUT_MAP_MM}mm" height="${HANDOUT_MAP_MM}mm" viewBox="${x0.toFixed(0)} ${(-y1).toFixed(0)} ${side.toFixed(0)} ${side.toFixed(0)}">`,
    `<rect x="${x0.toFixed(0)}" y="${(-y1).toFixed(0)}" width="${side.toFixed(0)}" height="${side.toFixed(0)}" fill="#fafafa"/>`,
    `<g fill="#e3e3e3" stroke="#8c8c8c" stroke-width="${(0.25 * mm).toFixed(1)}" fill-rule="evenodd">`,
    ...others.map((a) => `<path d="${a.path}"/>`),
    '</g>',
    self
      ? `<path d="${self.path}" fill="#f4a582" stroke="#b2182b" stroke-width="${(0.7 * mm).toFixed(1)}" fill-rule="evenodd"/>`
      : '',
    `<g font-family="DejaVu Sans, Arial, sans-serif" text-anchor="middle" fill="#222" stroke="#fafafa" stroke-width="${(0.5 * mm).toFixed(1)}" paint-order="stroke">`,
    ...others.filter((a) => a.neighbour && inFrame(a.label)).map((a) => label(a, 2.4, false)),
    self ? label(self, 3.2, true) : '',
    '</g>',
    `<g><rect x="${barX.toFixed(0)}" y="${(barY - 1.2 * mm).toFixed(0)}" width="${(bar.mm * mm).toFixed(0)}" height="${(1.2 * mm).toFixed(0)}" fill="#333"/>`,
    `<text x="${barX.toFixed(0)}" y="${(barY - 2 * mm).toFixed(0)}" font-size="${(2.6 * mm).toFixed(0)}" font-family="DejaVu Sans, Arial, sans-serif" fill="#222" stroke="#fafafa" stroke-width="${(0.5 * mm).toFixed(1)}" paint-order="stroke">${metresText(bar.metres)}</text></g>`,
    '</svg>',
  ].join('');
}

/** The handout page. `created` is the day of printing (YYYY-MM-DD). */
export function handoutHtml(d: Handout, created: string): string {
  const where = d.parent ? ` in der ${h(d.parent.levelLabel)} ${h(d.parent.name)}` : '';
  const neighbours = d.map.areas.filter((a) => a.neighbour).map((a) => a.name);
  const placement = d.placement
    ? `<section class="block"><h2>Wie das Gebiet eingeordnet ist</h2><p><strong>${h(d.placement.name)}</strong>${d.placement.description ? ` – ${h(d.placement.description)}` : ''}</p></section>`
    : '';
  const nearby =
    d.nearby.length > 0
      ? `<section class="block"><h2>In der Nähe</h2><div class="nearby">${d.nearby
          .map(
            (l) =>
              `<div><h3>${h(l.label)} <span class="date">(Stand ${fmtDate(l.period)})</span></h3><ul>${l.points
                .map(
                  (p) =>
                    `<li>${h(p.name)}${p.address ? `, ${h(p.address)}` : ''} – ${metresText(Math.round(p.distanceM / 50) * 50 || 50)}</li>`,
                )
                .join('')}</ul></div>`,
          )
          .join('')}</div></section>`
      : '';
  const swatch = (fill: string, stroke: string) =>
    `<span class="swatch" style="background:${fill};border-color:${stroke}"></span>`;
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>${h(d.name)} – Informationsblatt</title><style>${CSS}</style></head>
<body>
<header><h1>${h(d.name)}</h1><p class="sub">${h(d.levelLabel)} ${h(d.code)}${where}</p></header>
<div class="top">
<figure>${handoutMapSvg(d.map, d.name)}<figcaption><span>Maßstab 1:${fmt(d.map.scale, 0)}</span><span>Norden ist oben</span></figcaption></figure>
<section class="figures"><h2>Das Gebiet in Zahlen</h2>${d.figures.map((f) => figureHtml(f, d.regionName)).join('')}</section>
</div>
${neighbours.length > 0 ? `<section class="block"><h2>Angrenzende Gebiete</h2><p>${neighbours.map(h).join(' · ')}</p></section>` : ''}
${placement}
${nearby}
<section class="block legend"><h2>So lesen Sie dieses Blatt</h2><ul>
<li>${swatch('#f4a582', '#b2182b')}das Gebiet ${h(d.name)}</li>
<li>${swatch('#e3e3e3', '#8c8c8c')}die Gebiete drumherum, mit ihren Namen</li>
<li>„mehr als“ oder „weniger als in ${h(d.regionName)} insgesamt“ vergleicht die Zahl des Gebiets mit der Zahl für die ganze Stadt am selben Stichtag.</li>
<li>„Stand“ ist der Tag, für den die Zahl erhoben wurde.${d.nearby.length > 0 ? ' Entfernungen sind Luftlinie vom Mittelpunkt des Gebiets, auf 50 m gerundet.' : ''}</li>
</ul></section>
<footer><p>Erstellt am ${fmtDate(created)} mit Sozialatlas. Quellen: ${d.attribution.map(h).join(' · ')}</p></footer>
</body></html>`;
}
