/**
 * Runtime configuration from the environment (CLI flags override these).
 * Every default is what `npm start` on a fresh machine should do.
 */
export interface Config {
  /** node-postgres connection string; unset = embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory (default ./data/pglite). */
  dataDir: string;
  /** HTTP port (default 8080). */
  port: number;
  /** Bearer token for write endpoints; unset = writes are refused. */
  apiToken?: string;
  /** Memory bound of the tile index cache in MB (default 512). */
  tileCacheMb: number;
  /**
   * Confidentiality threshold: areas with fewer residents are flagged, left out of analyses and
   * their values hidden (default: the stored setting, 300 — the MSS `KOM` rule).
   */
  suppressionThreshold?: number;
  /**
   * Coverage threshold in percent: an aggregated parent value whose contributing children hold
   * less of the population is flagged incomplete (default: the stored setting, 90).
   */
  coverageThreshold?: number;
  /** Load the Berlin sample (and compute a default typology) into an empty database (default true). */
  loadSample: boolean;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.SOZIALATLAS_DATA_DIR || 'data/pglite',
    port: Number(env.PORT || 8080),
    apiToken: env.SOZIALATLAS_TOKEN || undefined,
    tileCacheMb: Number(env.SOZIALATLAS_TILE_CACHE_MB || 512),
    loadSample: env.SOZIALATLAS_NO_SAMPLE !== '1',
    suppressionThreshold: env.SOZIALATLAS_SUPPRESSION_THRESHOLD
      ? Number(env.SOZIALATLAS_SUPPRESSION_THRESHOLD)
      : undefined,
    coverageThreshold: env.SOZIALATLAS_COVERAGE_THRESHOLD ? Number(env.SOZIALATLAS_COVERAGE_THRESHOLD) : undefined,
  };
}
