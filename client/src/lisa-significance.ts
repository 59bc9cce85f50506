/**
 * The LISA significance map of a hotspot run, as GeoDa draws it beside the cluster map: each area
 * by the p-value of its local Moran's I — the corrected p when the run applied a correction, else
 * the permutation pseudo p (hotspot-data.ts) — in the classes 0,001 / 0,01 / 0,05 up to the run's α,
 * darker green = smaller p; everything above α is "nicht signifikant". Pure: tested in node.
 */
import type { FeatureLike } from 'ol/Feature.js';
import { formatUpTo } from './format.js';
import { areasCount, categoryLegendEntries } from './legend.js';
import { lisaPValue, type HotspotMember } from './hotspot-data.js';
import type { LayerResult } from './fill-rules.js';

/** Upper limits of the classes (p ≤ limit), smallest first. */
export const P_LIMITS: readonly number[] = [0.001, 0.01, 0.05, 0.1];
/** Greens from dark (p ≤ 0,001) to light (p ≤ 0,1). */
export const P_COLOURS: readonly string[] = ['#00441b', '#238b45', '#74c476', '#c7e9c0'];
export const NOT_SIGNIFICANT_COLOUR = '#eeeeee';

/** Class index of a p-value at α (the smallest limit it does not exceed), or −1 above α / without p. */
export function pClass(p: number | null, alpha: number): number {
  if (p === null || !Number.isFinite(p) || p > alpha) return -1;
  return P_LIMITS.findIndex((l) => p <= l);
}

export function lisaSignificanceLayer(
  runId: string,
  members: readonly HotspotMember[],
  level: string,
  alpha: number,
  indicatorLabel: string,
): LayerResult {
  const limits = P_LIMITS.filter((l) => l <= alpha + 1e-12);
  const pOf = new Map(members.map((m) => [m.code, lisaPValue(m)]));
  const counts = limits.map(() => 0);
  let rest = 0;
  for (const p of pOf.values()) {
    const c = pClass(p, alpha);
    if (c >= 0 && c < limits.length) counts[c]++;
    else rest++;
  }
  return {
    fill: {
      tiles: `/tiles/areas/{z}/{x}/{y}.pbf?level=${encodeURIComponent(level)}`,
      level,
      revision: `lisap/${runId}/${alpha}`,
      colour: (code: string, _f: FeatureLike) => {
        const c = pClass(pOf.get(code) ?? null, alpha);
        return c >= 0 ? P_COLOURS[c] : NOT_SIGNIFICANT_COLOUR;
      },
    },
    legend: {
      title: `Signifikanz lokaler Cluster (LISA): ${indicatorLabel}`,
      subtitle: `Analyse ${runId}`,
      entries: categoryLegendEntries(
        limits.map((l, i) => ({ colour: P_COLOURS[i], label: `p ≤ ${formatUpTo(l, 3)}`, count: counts[i] })),
      ),
      noData: { colour: NOT_SIGNIFICANT_COLOUR, label: `nicht signifikant oder ohne Wert: ${areasCount(rest)}` },
      note: 'p nach der Korrektur der Analyse für viele Tests, sonst der Permutationstest.',
    },
    hover: (code) => {
      const p = pOf.get(code);
      return p === null || p === undefined ? null : `p = ${formatUpTo(p, 3)}${p > alpha ? ' (nicht signifikant)' : ''}`;
    },
  };
}
