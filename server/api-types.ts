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
  /** The level's default reference date, see defaultPeriod() in services/catalog.ts. */
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
  kind: 'rate' | 'count' | 'index' | 'class';
  scale: number;
  numerator: string | null;
  denominator: string | null;
}

/** One entry of GET /api/indicators: the metadata and the periods with values (on the level asked for). */
export type IndicatorListEntry = IndicatorMeta & { periods: string[] };
