/**
 * The research view's silhouette map: each area's silhouette in the shown run (how well it fits its
 * own type compared with the nearest other type, −1 … +1) in five diverging classes around 0, with
 * the usual reading of Kaufman and Rousseeuw (over 0,5 clear; 0,25–0,5 weak; under 0,25 hardly any
 * structure; below 0 closer to another type). Red = fits badly, blue = fits well. Pure: tested in node.
 */
import type { FeatureLike } from 'ol/Feature.js';
import { formatNumber } from './format.js';
import { areasCount, classLegendEntries } from './legend.js';
import { classCounts, classOf } from './classify.js';
import { divergingPalette, NO_DATA_COLOUR } from './palettes.js';
import type { LayerResult } from './fill-rules.js';

/** Class limits: −1, −0,25, 0, 0,25, 0,5, 1 (closed at the top, as the other class legends). */
export const SILHOUETTE_LIMITS: readonly number[] = [-1, -0.25, 0, 0.25, 0.5, 1];

/** Red (low) … blue (high): the palette of a "lower is worse" quantity (polarity −1). */
export const SILHOUETTE_COLOURS: readonly string[] = divergingPalette(-1, SILHOUETTE_LIMITS.length - 1);

/** A plain reading of one silhouette value. */
export function silhouetteReading(s: number): string {
  if (s > 0.5) return 'passt klar zu seinem Typ';
  if (s > 0.25) return 'passt eher zu seinem Typ';
  if (s > 0) return 'liegt zwischen zwei Typen';
  return 'passt besser zu einem anderen Typ';
}

export function silhouetteLayer(
  runId: string,
  members: readonly { code: string; silhouette?: number | null }[],
  level: string,
  k?: number,
): LayerResult {
  const byCode = new Map(
    members.map((m) => [
      m.code,
      typeof m.silhouette === 'number' && Number.isFinite(m.silhouette) ? m.silhouette : null,
    ]),
  );
  const vals = [...byCode.values()];
  const counts = classCounts(vals, SILHOUETTE_LIMITS);
  const missing = vals.filter((v) => v === null).length;
  const shown = vals.filter((v): v is number => v !== null);
  const mean = shown.length ? shown.reduce((a, b) => a + b, 0) / shown.length : null;
  const negative = shown.filter((v) => v < 0).length;
  return {
    fill: {
      tiles: `/tiles/areas/{z}/{x}/{y}.pbf?level=${encodeURIComponent(level)}`,
      level,
      revision: `sil/${runId}/${k ?? 0}`,
      colour: (code: string, _f: FeatureLike) => {
        const c = classOf(byCode.get(code) ?? null, SILHOUETTE_LIMITS);
        return c < 0 ? NO_DATA_COLOUR : SILHOUETTE_COLOURS[c];
      },
    },
    legend: {
      title: 'Silhouette je Gebiet',
      subtitle: `Lauf ${runId}${k ? `, k = ${k}` : ''}`,
      entries: classLegendEntries(SILHOUETTE_LIMITS, SILHOUETTE_COLOURS, null, 2, counts),
      noData: missing ? { colour: NO_DATA_COLOUR, label: `ohne Wert: ${areasCount(missing)}` } : undefined,
      note:
        mean === null
          ? undefined
          : `Mittlere Silhouette ${formatNumber(mean, 2)}; ${areasCount(negative)} unter 0 (näher an einem anderen Typ).`,
    },
    hover: (code) => {
      const s = byCode.get(code);
      return s === null || s === undefined ? null : `Silhouette ${formatNumber(s, 2)}: ${silhouetteReading(s)}`;
    },
  };
}
