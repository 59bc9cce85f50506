/**
 * Small locator map of an area and its neighbours as inline SVG, for printed profiles.
 *
 * Input shapes are SVG path data in a projected CRS as PostGIS ST_AsSVG writes them (absolute
 * coordinates, y already negated so that north is up in SVG), with their bounding boxes in the
 * same CRS (ymin/ymax NOT negated). Only shapes whose box meets the frame are drawn.
 */

export interface LocatorShape {
  code: string;
  /** SVG path data from ST_AsSVG(geom, 0, precision). */
  path: string;
  /** [xmin, ymin, xmax, ymax] in the projected CRS. */
  bbox: [number, number, number, number];
}

export interface LocatorOptions {
  /** Rendered width in mm (default 60: a third of an A4 text column). */
  widthMm?: number;
  /** Margin around the area as a share of its larger side (default 0.6: shows the first ring of neighbours). */
  margin?: number;
  /** Fill of the area itself (default ColorBrewer Reds #de2d26, readable in greyscale print). */
  highlight?: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The frame around an area: its box grown by `margin` of the larger side on every edge, made square. */
export function locatorFrame(b: [number, number, number, number], margin: number): [number, number, number, number] {
  const w = b[2] - b[0];
  const h = b[3] - b[1];
  const side = Math.max(w, h, 1) * (1 + 2 * margin);
  const cx = (b[0] + b[2]) / 2;
  const cy = (b[1] + b[3]) / 2;
  return [cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2];
}

export function intersects(a: readonly number[], b: readonly number[]): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

export function locatorSvg(
  target: LocatorShape,
  others: readonly LocatorShape[],
  label: string,
  opts: LocatorOptions = {},
): string {
  const widthMm = opts.widthMm ?? 60;
  const f = locatorFrame(target.bbox, opts.margin ?? 0.6);
  const side = f[2] - f[0];
  // ST_AsSVG negates y, so the frame's top edge in SVG space is −ymax.
  const viewBox = `${f[0].toFixed(0)} ${(-f[3]).toFixed(0)} ${side.toFixed(0)} ${side.toFixed(0)}`;
  const stroke = (side / 400).toFixed(1); // about 0.15 mm at 60 mm width, whatever the map scale
  const near = others.filter((o) => o.code !== target.code && intersects(o.bbox, f));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="locator" role="img" aria-label="Lage: ${esc(label)}" width="${widthMm}mm" height="${widthMm}mm" viewBox="${viewBox}" preserveAspectRatio="xMidYMid meet">`,
    `<rect x="${f[0].toFixed(0)}" y="${(-f[3]).toFixed(0)}" width="${side.toFixed(0)}" height="${side.toFixed(0)}" fill="#f7f7f7"/>`,
    `<g fill="#d9d9d9" stroke="#ffffff" stroke-width="${stroke}" fill-rule="evenodd">`,
    ...near.map((o) => `<path d="${o.path}"><title>${esc(o.code)}</title></path>`),
    '</g>',
    `<path d="${target.path}" fill="${opts.highlight ?? '#de2d26'}" stroke="#67000d" stroke-width="${(Number(stroke) * 2).toFixed(1)}" fill-rule="evenodd"><title>${esc(label)}</title></path>`,
    '</svg>',
  ].join('');
}
