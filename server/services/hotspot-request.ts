/**
 * The requests of the hotspot and weights services, shared by the API (POST /api/hotspots,
 * GET /api/hotspots, GET /api/weights), the CLI (`sozialatlas hotspots`, `sozialatlas weights`,
 * which map their flags to the same objects) and the OpenAPI document generated from these
 * schemas. Defaults come from analysis/hotspot-defaults.ts.
 */
import { z } from 'zod';
import { HOTSPOT_DEFAULTS } from '../../analysis/hotspot-defaults.js';
import { MAX_PERMUTATIONS } from '../../analysis/hotspot-input.js';
import { isoDate, levelKey } from '../http/params.js';
import { parseOr400 } from '../http/validate.js';
import { parseWeightsSpec } from './weights.js';

/** A key, pc1:KEY,KEY,… for the first principal component, or typology:<id> for a typology run's need score. */
export const indicatorExpr = z
  .string()
  .regex(
    /^((pc1:)?[A-Za-z0-9_.-]{1,60}(,[A-Za-z0-9_.-]{1,60})*|typology:\d{1,12})$/i,
    'Indikator: Schlüssel, pc1:A,B,C oder typology:<Lauf-Id>',
  )
  .describe('Indikator, pc1:A,B,C (1. Hauptkomponente) oder typology:<id> (Bedarfswert des Typs)');

/** Weights spec text; services/weights.ts parses it (and answers 400 for an unknown type). */
const weightsSpec = z
  .string()
  .max(40)
  .default(HOTSPOT_DEFAULTS.weights)
  .describe('queen | queen:snap=<m> | rook | knn:<k> | distance:<m>');

export const hotspotRequestSchema = z
  .object({
    level: levelKey,
    period: isoDate.meta({ format: 'date' }),
    indicator: indicatorExpr,
    weights: weightsSpec,
    permutations: z
      .number()
      .int()
      .min(0)
      .max(MAX_PERMUTATIONS, `höchstens ${MAX_PERMUTATIONS} Permutationen`)
      .default(HOTSPOT_DEFAULTS.permutations),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(HOTSPOT_DEFAULTS.seed),
    correction: z.enum(['fdr', 'bonferroni', 'none']).default(HOTSPOT_DEFAULTS.correction),
    alpha: z.number().gt(0).lt(1).default(HOTSPOT_DEFAULTS.alpha),
  })
  .strict();

export type HotspotRequestBody = z.infer<typeof hotspotRequestSchema>;

/** Validates a run request and its weights spec, so a bad spec is a 400 before any work. */
export function parseHotspotRequest(body: unknown): HotspotRequestBody {
  const req = parseOr400(hotspotRequestSchema, body, 'Angaben');
  parseWeightsSpec(req.weights);
  return req;
}

/** GET /api/hotspots: stored runs, optionally of one level and indicator. */
export const hotspotListQuery = z.object({ level: levelKey.optional(), indicator: indicatorExpr.optional() });

/** GET /api/weights and `sozialatlas weights`: a level's neighbour lists of one weights type. */
export const weightsQuery = z.object({ level: levelKey, type: weightsSpec });
