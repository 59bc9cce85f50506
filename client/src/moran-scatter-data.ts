/**
 * The Moran scatter plot of a hotspot run: each area's standardised value (x) against the
 * standardised average of its neighbours (y, the spatial lag); the slope of the line through the
 * origin is the global Moran's I. The run stores each area's local Moran's I_i = x_i · y_i
 * (row-standardised weights, z = deviation / √m2, m2 = Σ z²/n), not the lag, so the lag is
 * recovered as y_i = I_i / x_i from the indicator's values at the run's period. That is exact when
 * every analysed area's value is public; when some are hidden (secondary suppression: the members
 * list leaves them out) mean and m2 come from the public values only and the plot is marked approximate. Pure: tested in node.
 */

export interface ScatterMember {
  code: string;
  /** Local Moran's I; null for islands and hidden areas. */
  lisaI: number | null;
  /**
   * Significant LISA quadrant (HH, LL, HL, LH) after the run's correction; null = not significant.
   * The API's members carry a quadrant for every area: pass them through significantMembers() first.
   */
  quadrant: string | null;
}

export interface ScatterPoint {
  code: string;
  /** Standardised value. */
  x: number;
  /** Standardised spatial lag. */
  y: number;
  quadrant: string | null;
}

export interface MoranScatter {
  points: ScatterPoint[];
  /** Σ x·y / Σ x² over the analysed areas: the global Moran's I when the values are complete. */
  slope: number;
  /** Analysed areas (members of the run). */
  n: number;
  /** Members whose value is not public: mean and m2 are then approximate. */
  missing: number;
  /** Points that cannot be drawn: island, hidden I_i, or a value exactly at the mean (x = 0). */
  skipped: number;
}

/**
 * @param analysed the number of areas the run analysed (its result.n); the members list omits hidden
 *   areas, so this is what tells they exist. Default: the members given.
 */
export function moranScatter(
  members: readonly ScatterMember[],
  values: ReadonlyMap<string, number | null>,
  analysed = members.length,
): MoranScatter {
  const known = members
    .map((m) => ({ m, v: values.get(m.code) }))
    .filter((e): e is { m: ScatterMember; v: number } => typeof e.v === 'number' && Number.isFinite(e.v));
  const n = Math.max(analysed, members.length);
  const mean = known.reduce((a, e) => a + e.v, 0) / (known.length || 1);
  const m2 = known.reduce((a, e) => a + (e.v - mean) ** 2, 0) / (known.length || 1);
  const sd = Math.sqrt(m2);
  const points: ScatterPoint[] = [];
  let sumI = 0;
  let sumX2 = 0;
  for (const { m, v } of known) {
    const x = sd > 0 ? (v - mean) / sd : 0;
    sumX2 += x * x;
    if (m.lisaI === null || !Number.isFinite(m.lisaI)) continue;
    sumI += m.lisaI;
    if (Math.abs(x) < 1e-12) continue;
    points.push({ code: m.code, x, y: m.lisaI / x, quadrant: m.quadrant });
  }
  return {
    points,
    slope: sumX2 > 0 ? sumI / sumX2 : NaN,
    n,
    missing: n - known.length,
    skipped: n - points.length,
  };
}

/** A symmetric axis range that holds every point, rounded up to a whole or half unit. */
export function axisLimit(points: readonly ScatterPoint[]): number {
  let max = 1;
  for (const p of points) max = Math.max(max, Math.abs(p.x), Math.abs(p.y));
  return Math.ceil(max * 2) / 2;
}
