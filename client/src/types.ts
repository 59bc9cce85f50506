/**
 * Shapes of the server's JSON answers as the client reads them (docs/CONTRACTS.md). Answers whose
 * types the server declares in server/api-types.ts come from there, type-only (erased by the
 * build); the rest are declared here until the server declares them too.
 */
import type { IndicatorListEntry, LevelRow } from '../../server/api-types.js';
import type { SuppressionReason } from './hidden-reason.js';

/** A level of areas (GET /api/levels). */
export type Level = LevelRow;
/** An indicator with its periods (GET /api/indicators). */
export type Indicator = IndicatorListEntry;

/**
 * One hit of GET /api/search (server/api-types.ts SearchHit): what matched and the area it leads to.
 * kind and label are optional because an older server answered with the area alone; search-results.ts
 * reads both shapes.
 */
export interface SearchHit {
  kind?: 'address' | 'street' | 'area' | 'ortsteil' | 'postcode';
  label?: string;
  code: string;
  name: string;
  level: string;
  parent: string | null;
  bbox?: [number, number, number, number];
}

export interface AreaIndicator {
  key: string;
  label: string;
  unit: string | null;
  polarity: number;
  value: number | null;
  suppressed: boolean;
  parentValue: number | null;
  regionValue: number | null;
  rank: number | null;
  n: number | null;
  /** Period of the value ("Stand"): the requested one, or the indicator's latest before it. */
  period: string;
  series: { period: string; value: number | null }[];
  /** Why the value is hidden (hidden-reason.ts); null or absent when it is shown. */
  suppressionReason?: SuppressionReason | null;
  /** How the value was made: imported, summed from the child level, or by its formula. */
  source?: ValueSource | null;
  /** Of a value summed from the child level: children with a value, children in all. */
  nChildren?: number | null;
  nChildrenTotal?: number | null;
  /** Share (0..1) of the children's population held by the contributing children. */
  coverage?: number | null;
  /** Summed from too little of the population (below the coverage threshold). */
  incomplete?: boolean;
}

export interface AreaDetail {
  code: string;
  name: string;
  level: string;
  /** The level's label ("Bezirksregion"). */
  levelLabel?: string;
  parent: { code: string; name: string } | null;
  period: string;
  population: number | null;
  bbox: [number, number, number, number];
  indicators: AreaIndicator[];
}

export interface ValueRow {
  code: string;
  name: string;
  value: number | null;
  suppressed: boolean;
  suppressionReason?: SuppressionReason | null;
  source?: ValueSource | null;
  /** Children with a value and in all: sent with the area profile; read here when /api/values sends them too. */
  nChildren?: number | null;
  nChildrenTotal?: number | null;
  coverage?: number | null;
  incomplete?: boolean;
  /** "geschätzt aus Ebene plr" for a value carried over a boundary change or from grid cells (harmonize, aggregate grid). */
  estimatedFrom?: string | null;
}

/** How a value was made (server: level_value.source). */
export type ValueSource = 'imported' | 'aggregated' | 'formula';

export interface Values {
  indicator: string;
  period: string;
  level: string;
  unit: string | null;
  polarity: number;
  n: number;
  min: number;
  max: number;
  mean: number;
  sd: number;
  quantiles: { p10: number; p25: number; p50: number; p75: number; p90: number };
  values: ValueRow[];
}

export interface ChangeRow {
  code: string;
  from: number | null;
  to: number | null;
  absolute: number | null;
  relative: number | null;
  comparable: boolean;
}

export interface TypologyParams {
  level: string;
  period: string;
  indicators: string[];
  standardize: 'z' | 'robust' | 'minmax';
  pca: 'none' | 'kaiser' | number;
  rotation?: 'varimax';
  clusterOn: 'z' | 'pcs';
  k?: number;
  kRange?: [number, number];
  restarts?: number;
  seed?: number;
  bootstrap?: number;
}

export interface ByK {
  k: number;
  inertia: number;
  silhouette: number;
  calinskiHarabasz: number;
  daviesBouldin: number;
}

export interface TypeInfo {
  type: number;
  size: number;
  label: string;
  description: string;
  /** Shape decided by the typology issue; read through typology-data.ts. */
  profile: unknown;
  /** Bootstrap stability; null for a k other than the run's chosen k (not computed there). */
  stability?: number | null;
  populationShare?: number;
  /** The type's name in plain words (server/api-types.ts TypologyTypeText), edited by a person or suggested. */
  name?: string;
  /** The type's description in plain words, for counselling (`description` is the researchers' one). */
  plainDescription?: string;
  /** Order of need: 1 = the type with the highest need. */
  needRank?: number;
  /** Whether name and description are still the server's suggestion (not yet edited by a person). */
  suggested?: boolean;
}

export interface TypologyMember {
  code: string;
  type: number;
  label?: string;
  silhouette?: number | null;
  stability?: number | null;
  scores?: number[];
}

export interface TypologyRun {
  runId: number | string;
  params: TypologyParams;
  dropped?: unknown;
  standardization?: unknown;
  explainedVariance?: unknown;
  eigenvalues?: number[];
  loadings?: unknown;
  correlation?: unknown;
  byK?: ByK[];
  chosenK: number;
  /** The k whose types this answer holds (GET /api/typologies/{id}?k=N; the chosen k without N). */
  k?: number;
  /** Every k whose stored types can be shown (only the chosen k for runs stored before all k were kept). */
  availableK?: number[];
  types: TypeInfo[];
  members?: TypologyMember[];
}

export interface RunSummary {
  id: number | string;
  createdAt: string;
  level: string;
  period: string;
  params: TypologyParams;
  chosenK: number;
  /** The run planning and counselling show for its level; absent on a server without publishing. */
  published?: boolean;
}

export interface Job {
  status: string;
  progress: number;
  message?: string;
  result?: TypologyRun;
}

export interface HotspotRunSummary {
  id: number | string;
  createdAt?: string;
  level: string;
  period: string;
  indicator: string;
  params?: Record<string, unknown>;
}

/**
 * One facility near an area (GET /api/areas/{code}/nearby?layer=pflege|kitas): name, address and the
 * distance in metres; further fields (places, operator) vary by layer.
 */
export interface NearbyFacility {
  name: string;
  address?: string | null;
  distanceM: number;
  [field: string]: unknown;
}
