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
  /** Quelle of the values, e.g. "Amt für Statistik Berlin-Brandenburg" (sql/016). */
  source?: string | null;
  /** Nutzungsbedingungen/Namensnennung, e.g. "CC BY 3.0 DE" (sql/016). */
  attribution?: string | null;
}

/** One entry of GET /api/indicators: the metadata and the periods with values (on the level asked for). */
export type IndicatorListEntry = IndicatorMeta & { periods: string[] };

/**
 * One hit of GET /api/search: what matched (an address, a street in one area, an area's name or code,
 * an Ortsteil, a postcode in one area), a label to show, and the area the hit leads to on the level
 * asked for (the address register's level when none is asked for): its code, name, level, parent code
 * and bounding box [minLon, minLat, maxLon, maxLat]. An Ortsteil leads to the area with most of its
 * addresses, and its bbox spans all its areas. No match: an empty array.
 */
export interface SearchHit {
  kind: 'address' | 'street' | 'area' | 'ortsteil' | 'postcode';
  label: string;
  code: string;
  level: string;
  name: string;
  parent: string | null;
  bbox: [number, number, number, number];
}

/** One type of a typology run as the run list shows it: number, planners' label (type-label.ts), number of areas. */
export interface TypologyTypeSummary {
  type: number;
  label: string;
  size: number;
}

/** One entry of GET /api/typologies (sorted by id as a number, newest first). */
export interface TypologyRunSummary {
  id: number;
  createdAt: string;
  level: string;
  period: string;
  indicators: string[];
  chosenK: number;
  n: number | null;
  fingerprint: string;
  /** The run planning and counselling show for its level (at most one per level; PUT /api/typologies/{id}/published). */
  published: boolean;
  types: TypologyTypeSummary[];
}

/**
 * A type's name and description in plain words for the public (no type numbers, no "Belastung",
 * no z or SD): edited by a person (PUT /api/typologies/{id}/types) or, while `suggested`, proposed
 * from the type's profile (analysis/type-plain-name.ts). needRank 1 = the type with the highest
 * need (order of the need score along the indicators' polarity): the order of a sequential palette.
 */
export interface TypologyTypeText {
  type: number;
  name: string;
  description: string;
  suggested: boolean;
  needRank: number;
}

/** A type in GET /api/typologies/{id} and /api/typologies/published: summary and plain text. */
export type TypologyRunViewType = TypologyTypeSummary & TypologyTypeText;

/** GET /api/typologies/{id}?k=N and GET /api/typologies/published?level=L&k=N. */
export interface TypologyRunView extends Omit<TypologyRunSummary, 'types'> {
  /** The k shown (default the chosen k) and every k the run can show. */
  k: number;
  availableK: number[];
  params: unknown;
  /** The stored result for k (types with profiles, metrics per k, PCA …); see analysis/typology.ts TypologyResult. */
  result: unknown;
  types: TypologyRunViewType[];
}

/** Answer of PUT /api/typologies/{id}/published: the run, its level, and the run that was unpublished by it (if any). */
export interface TypologyPublishResult {
  id: number;
  level: string;
  published: boolean;
  unpublished: number | null;
}

/** Answer of PUT /api/typologies/{id}/types: the texts of the types of that k afterwards. */
export type TypologyTypeTexts = TypologyTypeText[];

export type { NearbyPoint, PointLayerInfo } from './api-types-points.js';

export type {
  AccountRole,
  AccountView,
  SessionView,
  ApiTokenView,
  ApiTokenCreated,
  AuditEntry,
} from './api-types-accounts.js';
export type {
  ImportProblem,
  ImportColumnMapping,
  ImportDetected,
  ImportPreview,
  ImportHistoryEntry,
  ImportCommitResult,
  ImportUndoResult,
  ImportKind,
  ImportFileInfo,
  ImportKindReport,
} from './api-types-imports.js';

/** One area of GET /api/index (MSS status and dynamics index). */
export interface IndexMemberOut {
  code: string;
  name: string | null;
  valid: boolean;
  /** Why an area is left out: 'unterdrückt (EW < 300)', 'ungültig (Validitätskennzeichen)', 'Wert fehlt'. */
  reason: string | null;
  statusZ: number | null;
  statusClass: string | null;
  statusCode: number | null;
  dynamicsZ: number | null;
  dynamicsClass: string | null;
  dynamicsCode: number | null;
  combinedClass: string | null;
  combinedCode: number | null;
}
