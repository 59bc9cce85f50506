/** The importer library: used by the CLI (server/cli/import.ts) and later by the API. */
export { ImportError } from './errors.js';
export type {
  ImportReport,
  AreaImportOptions,
  IndicatorImportOptions,
  ProgressFn,
  RepairedFeature,
  AreaChanges,
} from './types.js';
export { importAreas } from './areas.js';
export { GEOMETRY_TOLERANCE_M } from './area-changes.js';
export { importIndicators, DEFAULT_MISSING } from './indicators.js';
export { importMeta, META_COLUMNS } from './meta.js';
export { epsgFromPrj, epsgFromCrsName } from './crs.js';
export { parseCsv, readCsvFile } from './read-csv.js';
export { importPoints, type PointImportOptions, type PointImportReport } from './points.js';
