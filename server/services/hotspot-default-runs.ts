/**
 * The hotspot runs computed on first start, so the planner's hotspot map works without a token
 * from the first minute (issue 14): Getis-Ord Gi* and local Moran (LISA) — one stored run holds
 * both — for each index indicator of the Berlin sample's MSS 2021 (status S1, S3, S4 and
 * dynamics D1, D3, D4), on the Planungsräume at the MSS reference date, with the defaults every
 * other run gets (analysis/hotspot-defaults.ts: queen contiguity, 999 conditional permutations,
 * seed 1, Benjamini–Hochberg FDR, α = 0.05).
 */
import type { Db } from '../../geodata/db.js';
import { SAMPLE_LEVEL, SAMPLE_PERIOD } from '../../geodata/sample/load.js';
import { HOTSPOT_DEFAULTS } from '../../analysis/hotspot-defaults.js';
import { parseHotspotRequest, type HotspotRequestBody } from './hotspot-request.js';
import { DEFAULT_DYNAMICS_INDICATORS, DEFAULT_STATUS_INDICATORS } from './status-index.js';
import { runHotspots } from './hotspots.js';

/** The MSS index indicators the first start analyses, status first. */
export const DEFAULT_HOTSPOT_INDICATORS: readonly string[] = [
  ...DEFAULT_STATUS_INDICATORS,
  ...DEFAULT_DYNAMICS_INDICATORS,
];

/** One request per index indicator, through the schema API and CLI use (which fills the defaults). */
export const DEFAULT_HOTSPOT_RUNS: readonly HotspotRequestBody[] = DEFAULT_HOTSPOT_INDICATORS.map((indicator) =>
  parseHotspotRequest({
    level: SAMPLE_LEVEL,
    period: SAMPLE_PERIOD,
    indicator,
    weights: HOTSPOT_DEFAULTS.weights,
    permutations: HOTSPOT_DEFAULTS.permutations,
    seed: HOTSPOT_DEFAULTS.seed,
    correction: HOTSPOT_DEFAULTS.correction,
  }),
);

/**
 * Computes and stores the default runs when the sample level has no hotspot run yet; returns the
 * new run ids (empty when runs existed). Each run is stored with its members in one transaction
 * (inside the first start's transaction these become savepoints). `signal` stops between runs.
 */
export async function computeDefaultHotspots(
  db: Db,
  onRun?: (indicator: string, runId: number) => void,
  signal?: AbortSignal,
): Promise<number[]> {
  const existing = await db.query('SELECT 1 FROM hotspot_run WHERE level = $1 LIMIT 1', [SAMPLE_LEVEL]);
  if (existing.rows[0]) return [];
  const ids: number[] = [];
  for (const req of DEFAULT_HOTSPOT_RUNS) {
    signal?.throwIfAborted();
    const out = await db.transaction((tx) => runHotspots(tx, req));
    ids.push(out.runId);
    onRun?.(req.indicator, out.runId);
  }
  return ids;
}
