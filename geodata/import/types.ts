/** Public option and report shapes of the importer library (see docs/CONTRACTS.md). */

export interface RepairedFeature {
  /** Area code of the repaired feature. */
  code: string;
  /** 1-based feature index in the file. */
  feature: number;
  /** PostGIS ST_IsValidReason of the input geometry. */
  reason: string;
}

export interface ImportReport {
  file: string;
  kind: 'areas' | 'indicators' | 'meta';
  level?: string;
  /** Rows or features read from the file and written. */
  total: number;
  /** Rows that did not exist before. */
  added: number;
  /** Rows that existed and were overwritten (upsert). */
  replaced: number;
  /** Invalid geometries repaired with ST_MakeValid (areas only). */
  repaired: RepairedFeature[];
  warnings: string[];
  /**
   * Areas only, when a level that already had areas is imported again: what changed against
   * the stored areas, and what went into the comparability register `area_change`. Absent on
   * the first import of a level (nothing to compare with).
   */
  areaChanges?: AreaChanges;
  /** Indicators only: keys created by this import (they had no definition). */
  newIndicators?: string[];
  /** Indicators only: the periods written (YYYY-MM-DD), sorted. */
  periods?: string[];
}

/** The comparison of a re-imported level with its stored areas (geodata/import/area-changes.ts). */
export interface AreaChanges {
  /** area_change.changed_on of the recorded rows: the first day the new geometries apply (YYYY-MM-DD). */
  validFrom: string;
  /** --valid-from, the day after the level's last period with values, or today (level without values). */
  validFromSource: 'option' | 'after-last-period' | 'today';
  /** Existing codes whose boundary moved by more than GEOMETRY_TOLERANCE_M (kind 'geometry'), in file order. */
  geometry: string[];
  /** Codes new to the level (kind 'code', predecessor unknown), in file order. */
  added: string[];
  /** Codes of the level missing from the file: kept unchanged and not recorded. */
  vanished: string[];
  /** Rows inserted into area_change (a row with the same level, code, date and kind is kept). */
  recorded: number;
}

export interface AreaImportOptions {
  /** Level key, e.g. 'plr'. */
  level: string;
  /** Label for a new level row; default: the level key. Ignored when the level exists. */
  levelLabel?: string;
  /** Attribute that holds the area code (read as text). */
  codeField: string;
  /** Attribute that holds the area name; default: no name. */
  nameField?: string;
  /** Level key of the parent level; it must exist. Default: none. */
  parentLevel?: string;
  /** Attribute holding the parent code (needs parentLevel). */
  parentField?: string;
  /** Parent code = the first N characters of the code (needs parentLevel). */
  parentCodePrefix?: number;
  /** EPSG code of the input coordinates; overrides the file's own CRS. Default: read from the file. */
  srid?: number;
  /**
   * Re-import only: YYYY-MM-DD from which the new geometries and codes apply (area_change.changed_on).
   * Default: the day after the level's last period with values, or today when it has none.
   */
  validFrom?: string;
}

export interface IndicatorImportOptions {
  level: string;
  /** Column holding the area code (read as text, leading zeros kept). */
  codeField: string;
  /** YYYY-MM-DD; required for wide format, default for long format rows without a period column. */
  period?: string;
  /** Wide format: the indicator columns; default: every column except the code and numerator columns. */
  columns?: string[];
  /** Coded missing values (compared as text after trimming); the empty cell is always missing. Default: ['-9999', '-99999']. */
  missing?: string[];
  /** Field delimiter; default: detected from the header (';', ',' or tab). */
  delimiter?: string;
  /** Decimal separator; default '.'. */
  decimal?: '.' | ',';
  /** Wide format: indicator key → the columns holding its numerator and denominator counts. */
  numeratorFor?: Record<string, { numerator: string; denominator: string }>;
  /** Allow more than MAX_NEW_INDICATORS (500) new indicators in this import (--allow-many). Default false. */
  allowMany?: boolean;
  /** Spreadsheets only: 1-based sheet row of the header; default: detected (a title row above it is skipped). */
  headerRow?: number;
}

/** Called after each batch so the CLI can show a progress bar. */
export type ProgressFn = (done: number, total: number) => void;
