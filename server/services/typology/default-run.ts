/**
 * The typology computed on first start, so the map shows types from the first minute: the
 * Berlin sample's MSS status and context indicators with k = 5.
 */
import type { AppContext } from '../../context.js';
import { typologyRequestSchema, type TypologyRequest } from './request.js';
import { createTypology } from './run.js';

/**
 * The default run on first start (Berlin sample): MSS status and context indicators, k = 5.
 * Why not the suggestion rule: on these nine indicators silhouette, CH and DB all pick k = 2
 * (poorer vs. the rest), which says little on a map; k = 5 is the elbow of the inertia curve and
 * the metrics of every k in 2..10 are still stored with the run.
 */
export const DEFAULT_TYPOLOGY: TypologyRequest = typologyRequestSchema.parse({
  level: 'plr',
  period: '2020-12-31',
  indicators: ['S1', 'S3', 'S4', 'KI_01', 'KI_02', 'KI_03', 'KI_05', 'KI_10', 'KI_11'],
  k: 5,
  kRange: [2, 10],
});

/** Computes the default typology when no run exists yet. Returns the run id, or null when a run already existed. */
export async function computeDefaultTypology(ctx: AppContext): Promise<number | null> {
  const existing = await ctx.db.query('SELECT 1 FROM typology_run LIMIT 1');
  if (existing.rows[0]) return null;
  const out = await createTypology(ctx, DEFAULT_TYPOLOGY);
  ctx.log.info({ runId: out.runId, chosenK: out.chosenK }, 'Standard-Typisierung gespeichert');
  return out.runId;
}
