/**
 * Shapes of the API's JSON answers, declared once for both sides: the server's services return
 * them and the client reads them. Types only (no runtime code), so the client imports them with
 * `import type`, which the build erases: the client still talks to the server only over HTTP.
 */

/** One level of areas (GET /api/levels). */
export interface LevelRow {
  key: string;
  label: string;
  parentLevel: string | null;
  count: number;
  geometryVersion: number;
  periods: string[];
  /** The level's default reference date, see levelDefaultPeriod() in services/catalog.ts. */
  defaultPeriod: string | null;
}

/** An indicator's metadata as stored in the catalogue. */
export interface IndicatorMeta {
  key: string;
  label: string;
  unit: string | null;
  topic: string | null;
  polarity: number;
  description: string | null;
  target: number | null;
  targetDirection: 'max' | 'min' | null;
  /** rate: scale·Σnum/Σden on parent levels; count: Σ; mean: weighted by weightIndicator; index and class: not aggregated. */
  kind: 'rate' | 'count' | 'mean' | 'index' | 'class';
  scale: number;
  numerator: string | null;
  denominator: string | null;
  /** A Kennzahl computed on every level from count indicators, e.g. "100 * E_65 / EW"; null = imported values. */
  formula: string | null;
  /** For kind mean: the count that weights it on parent levels. */
  weightIndicator: string | null;
}

/** One entry of GET /api/indicators: the metadata and the periods with values (on the level asked for). */
export type IndicatorListEntry = IndicatorMeta & { periods: string[] };
