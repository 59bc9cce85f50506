/**
 * The typology computed on first start, so the map shows types from the first minute: the
 * Berlin sample's MSS status and context indicators with k = 5, published for its level
 * (publication.ts), so planning and counselling show it until an editor publishes another run.
 */
import type { AppContext } from '../../context.js';
import { typologyRequestSchema, type TypologyRequest } from './request.js';
import { createTypology } from './run.js';
import { setPublished } from './publication.js';

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

/**
 * Computes and publishes the default typology when no run exists yet. Returns the run id, or null
 * when a run already existed. A database from before migration 010 (runs, none published) gets its
 * oldest run with the default parameters published, so counselling keeps showing what it showed.
 */
export async function computeDefaultTypology(ctx: AppContext): Promise<number | null> {
  const existing = await ctx.db.query('SELECT 1 FROM typology_run LIMIT 1');
  if (existing.rows[0]) {
    const { level, period, indicators, k } = DEFAULT_TYPOLOGY;
    const legacy = await ctx.db.query<{ id: string }>(
      `SELECT id::text FROM typology_run r WHERE params @> $1::jsonb
          AND NOT EXISTS (SELECT 1 FROM typology_run p WHERE p.level = r.level AND p.published)
        ORDER BY r.id LIMIT 1`,
      [JSON.stringify({ level, period, indicators, k })],
    );
    if (legacy.rows[0]) await setPublished(ctx.db, Number(legacy.rows[0].id), true);
    return null;
  }
  const out = await createTypology(ctx, DEFAULT_TYPOLOGY);
  await setPublished(ctx.db, out.runId, true);
  ctx.log.info({ runId: out.runId, chosenK: out.chosenK }, 'Standard-Typisierung gespeichert und veröffentlicht');
  return out.runId;
}
