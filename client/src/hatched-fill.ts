/**
 * The hatched fill of "nicht typisiert" (palettes.ts UNTYPED_FILL): the grey as a light ground with
 * darker diagonal stripes, so an untyped area can never be read as the lightest type. A canvas
 * pattern, built once per colour on first use (the canvas needs the DOM).
 */
const cache = new Map<string, CanvasPattern | string>();

/** Fill colour for OpenLayers: "hatch:#bdbdbd" → stripes of that grey; any other colour unchanged. */
export function fillColour(colour: string): CanvasPattern | string {
  if (!colour.startsWith('hatch:')) return colour;
  const grey = colour.slice(6);
  let p = cache.get(grey);
  if (p === undefined) {
    p = stripes(grey);
    cache.set(grey, p);
  }
  return p;
}

function stripes(grey: string): CanvasPattern | string {
  const n = 8;
  const c = document.createElement('canvas');
  c.width = c.height = n;
  const ctx = c.getContext('2d');
  if (!ctx) return grey;
  ctx.fillStyle = '#eeeeee';
  ctx.fillRect(0, 0, n, n);
  ctx.strokeStyle = grey;
  ctx.lineWidth = 2;
  ctx.beginPath();
  // "/" stripes that meet across tile edges: the main diagonal and its two wrapped neighbours.
  for (const d of [-n, 0, n]) {
    ctx.moveTo(d, n);
    ctx.lineTo(d + n, 0);
  }
  ctx.stroke();
  return ctx.createPattern(c, 'repeat') ?? grey;
}
