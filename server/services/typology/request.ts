/**
 * The typology request, shared by POST /api/typologies, `sozialatlas typology` and the OpenAPI
 * document (generated from this schema). Every default comes from analysis/typology-defaults.ts
 * and is filled in here, so the params stored with a run are complete and reproduce it.
 */
import { z } from 'zod';
import type { TypologyOptions } from '../../../analysis/typology.js';
import { TYPOLOGY_DEFAULTS as D, TYPOLOGY_LIMITS as L } from '../../../analysis/typology-defaults.js';
import { isoDate } from '../../http/params.js';
import { parseOr400 } from '../../http/validate.js';

const key = z.string().regex(/^[A-Za-z0-9_.-]{1,60}$/, 'Schlüssel: Buchstaben, Ziffern, _ . -');
/** A number of types: 2 … TYPOLOGY_LIMITS.maxK. */
const kValue = z
  .number()
  .int('k muss ganzzahlig sein')
  .min(2, 'k muss mindestens 2 sein')
  .max(L.maxK, `k höchstens ${L.maxK}`);
const indicatorList = z.array(key).min(1, 'mindestens ein Indikator').max(60);

export const typologyRequestSchema = z
  .object({
    level: key.meta({ examples: ['plr'] }),
    period: isoDate.meta({ format: 'date', examples: ['2020-12-31'] }),
    // A list, or "A,B,C" as the CLI and query strings write it.
    indicators: z
      .union([
        z.array(key).min(1).max(60),
        z.string().transform((s) =>
          s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        ),
      ])
      .pipe(indicatorList)
      .meta({ examples: [['S1', 'S3', 'S4', 'KI_01']] }),
    standardize: z.enum(['z', 'robust', 'minmax']).default(D.standardize).describe('z uses the population sd (ddof 0)'),
    weights: z
      .record(key, z.number().positive('Gewichte müssen > 0 sein'))
      .optional()
      .describe('weight per indicator key (default 1 each)'),
    alignPolarity: z.boolean().default(D.alignPolarity),
    missing: z.enum(['drop', 'impute-mean']).default(D.missing),
    pca: z
      .union([z.literal('none'), z.literal('kaiser'), z.number().positive()])
      .default(D.pca)
      .describe("'none', 'kaiser', a number of components, or a share of variance in (0, 1)"),
    rotation: z.enum(['none', 'varimax']).default(D.rotation),
    clusterOn: z.enum(['z', 'pcs']).default(D.clusterOn),
    k: kValue.optional().describe('fixed k; without it the suggested k is chosen'),
    kRange: z
      .tuple([kValue, kValue])
      .refine(([a, b]) => a <= b, 'kRange: Anfang ≤ Ende')
      .refine(
        ([a, b]) => b - a <= L.maxKRangeWidth,
        `kRange: höchstens ${L.maxKRangeWidth + 1} Werte von k (Ende − Anfang ≤ ${L.maxKRangeWidth})`,
      )
      .optional()
      .describe(
        `k evaluated; default ${D.kRange[0]}..${D.kRange[1]}, or just [k, k] when only k is given; end − start ≤ ${L.maxKRangeWidth}`,
      ),
    restarts: z
      .number()
      .int()
      .min(1)
      .max(L.maxRestarts, `höchstens ${L.maxRestarts} Neustarts (restarts)`)
      .default(D.restarts),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(D.seed),
    maxIterations: z.number().int().min(1).max(10000).default(D.maxIterations),
    tolerance: z.number().nonnegative().max(1).default(D.tolerance),
    bootstrap: z
      .number()
      .int()
      .min(0)
      .max(L.maxBootstrap, `höchstens ${L.maxBootstrap} Bootstrap-Stichproben`)
      .default(D.bootstrap)
      .describe('0 switches stability off'),
    bootstrapRestarts: z.number().int().min(1).max(100).default(D.bootstrapRestarts),
  })
  .strict();

export type TypologyRequest = z.infer<typeof typologyRequestSchema>;

/** Validates a request body (API) or the request built from CLI flags; a mismatch is a 400 naming the field. */
export function parseTypologyRequest(body: unknown): TypologyRequest {
  return parseOr400(typologyRequestSchema, body, 'Angaben');
}

/** The pipeline options of a validated request. */
export function typologyOptionsOf(req: TypologyRequest): TypologyOptions {
  return {
    standardize: req.standardize,
    weights: req.weights,
    alignPolarity: req.alignPolarity,
    missing: req.missing,
    pca: req.pca,
    rotation: req.rotation,
    clusterOn: req.clusterOn,
    k: req.k,
    kRange: req.kRange,
    restarts: req.restarts,
    seed: req.seed,
    maxIterations: req.maxIterations,
    tolerance: req.tolerance,
    bootstrap: req.bootstrap,
    bootstrapRestarts: req.bootstrapRestarts,
  };
}
