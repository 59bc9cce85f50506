/**
 * OpenLayers styles. Colours are decided elsewhere (palettes.ts, views); this module turns a
 * colour into a cached Style so that style functions allocate nothing per feature and frame.
 */
import Style from 'ol/style/Style.js';
import Fill from 'ol/style/Fill.js';
import Stroke from 'ol/style/Stroke.js';
import Text from 'ol/style/Text.js';
import type { HatchPattern } from './hotspot-overlay.js';
import { fillColour } from './hatched-fill.js';

const fillCache = new Map<string, Style>();

/** Polygon fill with a thin white border, so neighbouring areas stay distinguishable. */
export function fillStyle(colour: string): Style {
  let s = fillCache.get(colour);
  if (!s) {
    s = new Style({
      // "hatch:#…" (untyped areas) becomes a striped grey pattern.
      fill: new Fill({ color: fillColour(colour) }),
      stroke: new Stroke({ color: 'rgba(255,255,255,0.8)', width: 0.5 }),
    });
    fillCache.set(colour, s);
  }
  return s;
}

/** Transparent fill: invisible, but OpenLayers still hit-detects the inside of the polygon. */
export const HIT_ONLY = new Style({ fill: new Fill({ color: 'rgba(255,255,255,0.001)' }) });

export const PARENT_OUTLINE = new Style({ stroke: new Stroke({ color: 'rgba(40,40,40,0.75)', width: 1.2 }) });
export const AREA_OUTLINE = new Style({
  fill: new Fill({ color: 'rgba(255,255,255,0.001)' }),
  stroke: new Stroke({ color: 'rgba(90,90,90,0.35)', width: 0.5 }),
});

// Selection is drawn twice (white halo under black line) so it is visible on every fill colour.
export const SELECTED = [
  new Style({ stroke: new Stroke({ color: '#ffffff', width: 6 }), zIndex: 1 }),
  new Style({
    stroke: new Stroke({ color: '#000000', width: 3 }),
    fill: new Fill({ color: 'rgba(255,255,255,0.001)' }),
    zIndex: 2,
  }),
];
export const HOVERED = new Style({
  stroke: new Stroke({ color: '#222222', width: 2 }),
  fill: new Fill({ color: 'rgba(255,255,255,0.001)' }),
});

/** Diagonal hatching as a canvas pattern, for hotspots drawn over another fill. "up" = /, "down" = \, "cross" = both. */
function hatch(colour: string, pattern: HatchPattern): CanvasPattern | string {
  const n = 10;
  const c = document.createElement('canvas');
  c.width = c.height = n;
  const ctx = c.getContext('2d');
  if (!ctx) return colour;
  ctx.beginPath();
  if (pattern !== 'up') {
    ctx.moveTo(0, 0);
    ctx.lineTo(n, n);
  }
  if (pattern !== 'down') {
    ctx.moveTo(0, n);
    ctx.lineTo(n, 0);
  }
  // Each line over a white edge: visible on the darkest choropleth class as on the lightest.
  ctx.strokeStyle = 'rgba(255,255,255,0.85)';
  ctx.lineWidth = 3.5;
  ctx.stroke();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.6;
  ctx.stroke();
  return ctx.createPattern(c, 'repeat') ?? colour;
}

/**
 * Mark of an aggregate below the coverage threshold ("unvollständig"), drawn over its fill class:
 * dark dots and a dashed outline, so it differs from the hotspot hatching (lines) and stays
 * visible on light and dark classes alike. Built on first use (the canvas needs the DOM).
 */
let incompleteMark: Style | null = null;
export function incompleteStyle(): Style {
  if (!incompleteMark) {
    const n = 8;
    const c = document.createElement('canvas');
    c.width = c.height = n;
    const ctx = c.getContext('2d');
    let pattern: CanvasPattern | string = 'rgba(34,34,34,0.35)';
    if (ctx) {
      for (const [x, y] of [
        [2, 2],
        [6, 6],
      ]) {
        ctx.beginPath();
        ctx.arc(x, y, 1.8, 0, 2 * Math.PI);
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fill();
        ctx.beginPath();
        ctx.arc(x, y, 1.1, 0, 2 * Math.PI);
        ctx.fillStyle = '#222222';
        ctx.fill();
      }
      pattern = ctx.createPattern(c, 'repeat') ?? pattern;
    }
    incompleteMark = new Style({
      fill: new Fill({ color: pattern }),
      stroke: new Stroke({ color: '#222222', width: 1.5, lineDash: [5, 4] }),
      zIndex: 1,
    });
  }
  return incompleteMark;
}

const hatchCache = new Map<string, Style[]>();
/**
 * Hatched fill with an outline in the same colour over a white halo: the outline stays visible on
 * dark fill classes too. Hot and cold hatch in opposite directions (not only colour).
 */
export function hatchStyle(colour: string, pattern: HatchPattern = 'up'): Style[] {
  const key = `${colour}/${pattern}`;
  let s = hatchCache.get(key);
  if (!s) {
    s = [
      new Style({ stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 4 }) }),
      new Style({ fill: new Fill({ color: hatch(colour, pattern) }), stroke: new Stroke({ color: colour, width: 2 }) }),
    ];
    hatchCache.set(key, s);
  }
  return s;
}

const labelCache = new Map<string, Style>();
/** Area-name label with a white halo: calm and legible on any fill (Beratung view). */
export function labelStyle(name: string, large: boolean): Style {
  const key = `${large}/${name}`;
  let s = labelCache.get(key);
  if (!s) {
    s = new Style({
      text: new Text({
        text: name,
        font: `${large ? 600 : 500} ${large ? 14 : 12}px system-ui, sans-serif`,
        fill: new Fill({ color: '#111111' }),
        stroke: new Stroke({ color: '#ffffff', width: 3.5 }),
        overflow: false,
      }),
    });
    labelCache.set(key, s);
  }
  return s;
}
