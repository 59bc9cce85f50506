/**
 * Typology service: the public face of server/services/typology/, so routes, the CLI and tests
 * import one module. Each job lives in its own file there:
 *   request.ts      the request schema (API, CLI, OpenAPI) with every default filled in
 *   matrix.ts       the indicator matrix from indicator_value (suppressed/invalid areas excluded) and its fingerprint
 *   worker.ts       the pure pipeline (analysis/typology.ts) in a worker thread
 *   store.ts        typology_run / typology_member writes and deletes
 *   run.ts          validate → load → run → store, awaited or as a job above SYNC_LIMIT areas
 *   k-view.ts       ?k=N: which k of a stored run a read shows
 *   reads.ts        list, one run, its members
 *   compare.ts      Adjusted Rand Index and transitions between two runs
 *   default-run.ts  the run computed on first start (published)
 *   publication.ts  the published run per level, plain type names and descriptions (sql/010)
 *
 * Every k of a run's range is stored (result.typesByK, typology_member.type_by_k and
 * silhouette_by_k, aligned with result.byK), so reads take an optional k: the chosen k answers
 * from the original columns; another k from the arrays, with stability null (bootstrap runs for
 * the chosen k only).
 */
export {
  typologyRequestSchema,
  parseTypologyRequest,
  typologyOptionsOf,
  type TypologyRequest,
} from './typology/request.js';
export { loadTypologyInput, fingerprintInput, type LoadedInput } from './typology/matrix.js';
export { runInWorker } from './typology/worker.js';
export { storeRun, deleteTypology } from './typology/store.js';
export { SYNC_LIMIT, createTypology, submitTypology, type TypologyOutput } from './typology/run.js';
export { typeKParam } from './typology/k-view.js';
export {
  listTypologies,
  getTypology,
  getTypologyMembers,
  type TypologyRunSummary,
  type TypologyMemberRow,
} from './typology/reads.js';
export { compareTypologies } from './typology/compare.js';
export { DEFAULT_TYPOLOGY, computeDefaultTypology } from './typology/default-run.js';
export {
  publishRequestSchema,
  typeTextsRequestSchema,
  setPublished,
  publishedRunId,
  getTypologyView,
  getPublishedTypology,
  saveTypeTexts,
  typeTexts,
  type TypeTextsRequest,
} from './typology/publication.js';
