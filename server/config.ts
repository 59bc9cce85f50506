/**
 * Runtime configuration from the environment (CLI flags override these).
 * Every default is what `npm start` on a fresh machine should do.
 */
import { availableParallelism } from 'node:os';
import { oidcConfigFromEnv, type OidcConfig } from './services/oidc-config.js';

/** Per-client request limits (express-rate-limit); 0 switches a limit off. */
export interface RateLimits {
  /** Length of the counting window in ms (SOZIALATLAS_RATE_WINDOW_S, default 60 s). */
  windowMs: number;
  /**
   * Analysis runs per client and window: POST /api/typologies and /api/hotspots
   * (SOZIALATLAS_RATE_RUNS, default 20: a researcher trying settings, not a script).
   */
  runs: number;
  /**
   * Downloads per client and window: profile ZIPs and /api/export.*
   * (SOZIALATLAS_RATE_DOWNLOADS, default 30: a planner's working session).
   */
  downloads: number;
  /**
   * Wrong tokens per client within authWindowMs before every token of that client is refused with
   * 429 (SOZIALATLAS_AUTH_FAILURES, default 10).
   */
  authFailures: number;
  /** Window of the wrong-token count in ms (SOZIALATLAS_AUTH_WINDOW_S, default 15 min). */
  authWindowMs: number;
}

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
  /** Threads of the analysis pool for typology and hotspot runs (SOZIALATLAS_WORKERS, default: the core count). */
  workers: number;
  /**
   * Public origin (and prefix) of the service, e.g. https://atlas.example.org, for absolute URLs
   * in documents such as TileJSON (SOZIALATLAS_PUBLIC_URL; default http://localhost:PORT). Never
   * taken from the Host header, which a client can set to anything.
   */
  publicUrl: string;
  /**
   * Origins the map may load basemap tiles from (Content-Security-Policy img-src), e.g.
   * https://tile.openstreetmap.org (SOZIALATLAS_BASEMAP_ORIGINS, comma-separated; default that one
   * host; empty = no external basemap).
   */
  basemapOrigins: string[];
  /**
   * Who may embed the app and the profiles in a frame: CSP frame-ancestors sources
   * (SOZIALATLAS_FRAME_ANCESTORS, space-separated, e.g. "https://intranet.example.org";
   * default 'none').
   */
  frameAncestors: string[];
  rateLimits: RateLimits;
  /**
   * Internal mode (SOZIALATLAS_PRIVATE=1; default off = reads are public): every read of /api,
   * /tiles and /profile needs a login (viewer or better), for data before publication. The app's
   * files and /api/login, /api/session, /api/setup stay open.
   */
  private: boolean;
  /**
   * The first admin account, created at start when no admin exists (SOZIALATLAS_ADMIN_USER and
   * SOZIALATLAS_ADMIN_PASSWORD; default unset = a one-time setup link is printed instead).
   */
  adminUser?: string;
  adminPassword?: string;
  /**
   * Single sign-on with OpenID Connect (SOZIALATLAS_OIDC_*, see services/oidc-config.ts; default
   * unset = off). Half of it set is a start error.
   */
  oidc?: OidcConfig;
}

const list = (s: string | undefined, sep: RegExp): string[] | undefined =>
  s === undefined
    ? undefined
    : s
        .split(sep)
        .map((x) => x.trim())
        .filter(Boolean);
const count = (s: string | undefined, fallback: number): number =>
  s !== undefined && s.trim() !== '' && Number.isFinite(Number(s)) && Number(s) >= 0 ? Math.floor(Number(s)) : fallback;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT || 8080);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.SOZIALATLAS_DATA_DIR || 'data/pglite',
    port,
    apiToken: env.SOZIALATLAS_TOKEN || undefined,
    tileCacheMb: Number(env.SOZIALATLAS_TILE_CACHE_MB || 512),
    loadSample: env.SOZIALATLAS_NO_SAMPLE !== '1',
    suppressionThreshold: env.SOZIALATLAS_SUPPRESSION_THRESHOLD
      ? Number(env.SOZIALATLAS_SUPPRESSION_THRESHOLD)
      : undefined,
    coverageThreshold: env.SOZIALATLAS_COVERAGE_THRESHOLD ? Number(env.SOZIALATLAS_COVERAGE_THRESHOLD) : undefined,
    workers: Math.max(1, count(env.SOZIALATLAS_WORKERS, 0) || availableParallelism()),
    publicUrl: (env.SOZIALATLAS_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    basemapOrigins: list(env.SOZIALATLAS_BASEMAP_ORIGINS, /[,\s]+/) ?? ['https://tile.openstreetmap.org'],
    frameAncestors: list(env.SOZIALATLAS_FRAME_ANCESTORS, /\s+/) ?? ["'none'"],
    rateLimits: {
      windowMs: count(env.SOZIALATLAS_RATE_WINDOW_S, 60) * 1000,
      runs: count(env.SOZIALATLAS_RATE_RUNS, 20),
      downloads: count(env.SOZIALATLAS_RATE_DOWNLOADS, 30),
      authFailures: count(env.SOZIALATLAS_AUTH_FAILURES, 10),
      authWindowMs: count(env.SOZIALATLAS_AUTH_WINDOW_S, 15 * 60) * 1000,
    },
    private: env.SOZIALATLAS_PRIVATE === '1',
    adminUser: env.SOZIALATLAS_ADMIN_USER || undefined,
    adminPassword: env.SOZIALATLAS_ADMIN_PASSWORD || undefined,
    oidc: oidcConfigFromEnv(env),
  };
}
