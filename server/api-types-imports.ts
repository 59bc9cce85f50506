/**
 * Response shapes of the upload API (/api/imports, routes/imports.ts) and the catalogue editing
 * (PATCH /api/indicators/{key}), shared with the client as types only (re-exported by api-types.ts).
 */

/** One problem of a file: where (row, field, value) and why, with the very message of the CLI. */
export interface ImportProblem {
  /** 'error': the import would fail; 'warning': it would import, but the value looks wrong. */
  severity: 'error' | 'warning';
  /** 1-based data row (header excluded), when the problem is in a row. */
  row?: number;
  field?: string;
  value?: string;
  /** The full message, as `sozialatlas import indicators` prints it. */
  message: string;
}

/** How one value column is stored. */
export interface ImportColumnMapping {
  column: string;
  /** The indicator key the column is stored as; null: left out. */
  indicator: string | null;
  /** existing: an indicator of the catalogue; new: created by the import; skipped: left out (text or chosen). */
  status: 'existing' | 'new' | 'skipped';
  /** Label of an existing indicator. */
  label?: string;
}

/** What the importer found in the file by itself. */
export interface ImportDetected {
  format: 'csv' | 'xlsx' | 'ods';
  encoding: string;
  /** CSV only. */
  delimiter?: string;
  decimal: '.' | ',';
  /** Thousands separator seen in the numbers, or null. */
  thousands: '.' | ',' | ' ' | null;
  /** 1-based row of the header in the file (2 or more: a title row above it was skipped). */
  headerRow: number;
  /** Missing-value codes that occur in the file. */
  missing: string[];
  /** The code column holds numbers (leading zeros may be lost and are restored from the level). */
  codesAsNumbers: boolean;
}

/** What every upload has: who brought which file, and how far it got. */
export interface ImportUpload {
  id: number;
  created: string;
  actor: string;
  fileName: string;
  sha256: string;
  size: number;
  kind: ImportKind;
  status: 'preview' | 'committed' | 'undone';
}

/** What an upload holds: indicator values, areas of a level, a point layer's stand, or indicator definitions. */
export type ImportKind = 'indicators' | 'areas' | 'points' | 'meta';

/** Areas, point layers and metadata: what the CLI's reader found in the file. */
export interface ImportFileInfo {
  format: 'geojson' | 'shapefile' | 'csv' | 'json';
  /** Text encoding of the file (Shapefile: of the .dbf, from the .cpg or the dBASE default). */
  encoding: string;
  /** EPSG code the file declares (or the default it falls under), null when it says none. */
  srid: number | null;
  /** Where the EPSG code came from ('crs', '.prj', 'RFC 7946 default', …). */
  sridSource: string | null;
  /** Features (GeoJSON, Shapefile) or data rows (CSV, JSON records) read. */
  count: number;
  /** The attribute names (columns) of the file. */
  fields: string[];
}

/**
 * The report of `sozialatlas import areas|points|meta` (geodata/import): for areas the codes new,
 * changed in geometry and missing (areaChanges, on a re-import), for points the comparison with
 * the stored stand. The preview answers it from a dry run, the commit as written.
 */
export interface ImportKindReport {
  file: string;
  kind: 'areas' | 'points' | 'meta';
  total: number;
  added: number;
  /** Areas and meta: rows that existed and were overwritten. */
  replaced?: number;
  warnings: string[];
  level?: string;
  repaired?: { code: string; feature: number; reason: string }[];
  areaChanges?: {
    validFrom: string;
    validFromSource: string;
    geometry: string[];
    added: string[];
    vanished: string[];
    recorded: number;
  };
  /** Points: the layer key and stand, the comparison with the stored stand, points outside every area. */
  layer?: string;
  period?: string;
  removed?: number;
  moved?: number;
  unchanged?: number;
  addedIds?: string[];
  removedIds?: string[];
  movedIds?: string[];
  outside?: { level: string; count: number; ids: string[] }[];
  srid?: number;
}

/** Upload as stored, with its preview. */
export interface ImportPreview extends ImportUpload {
  detected: ImportDetected | null;
  /** The settings used for this preview (the user's, completed with what was detected). */
  settings: Record<string, unknown>;
  header: string[];
  /** The first 20 data rows as read (text cells). */
  rows: string[][];
  mapping: { level: string | null; codeField: string | null; period: string | null; columns: ImportColumnMapping[] };
  /** Every problem found (up to 1000, the rest counted in warnings). */
  problems: ImportProblem[];
  /** What a commit would write (absent when the file cannot be planned at all). */
  summary: { total: number; added: number; replaced: number; newIndicators: string[]; periods: string[] } | null;
  warnings: string[];
  levels: { key: string; label: string }[];
  /** Areas, points, meta: what the reader found (null when the file cannot be read). */
  file?: ImportFileInfo | null;
  /** Areas, points, meta: the CLI's report of a dry run (null when the file has an error). */
  report?: ImportKindReport | null;
}

/** One line of the history. */
export interface ImportHistoryEntry extends ImportUpload {
  level: string | null;
  periods: string[];
  added: number | null;
  replaced: number | null;
  committed: string | null;
  committedBy: string | null;
  undone: string | null;
  undoneBy: string | null;
}

/** The answer of a commit: the CLI's report plus the history entry. */
export interface ImportCommitResult {
  entry: ImportHistoryEntry;
  report:
    | {
        file: string;
        level?: string;
        total: number;
        added: number;
        replaced: number;
        warnings: string[];
        newIndicators?: string[];
        periods?: string[];
      }
    | ImportKindReport;
}

/** The answer of an undo. */
export interface ImportUndoResult {
  entry: ImportHistoryEntry;
  restored: number;
  removed: number;
  removedIndicators: string[];
}
