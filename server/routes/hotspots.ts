/**
 * Hotspot API (issue 3):
 *   POST /api/hotspots                 run and store an analysis (Bearer token)
 *   GET  /api/hotspots                 list stored runs (?level, ?indicator)
 *   GET  /api/hotspots/{id}            one run with its global result, dropped areas, islands
 *   GET  /api/hotspots/{id}/members    per-area results
 *   GET  /api/weights                  neighbour lists of a level (?level, ?type)
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { requireToken } from '../http/auth.js';
import { getHotspotMembers, getHotspotRun, listHotspotRuns, runHotspots } from '../services/hotspots.js';
import { levelWeights, parseWeightsSpec } from '../services/weights.js';
import { MAX_PERMUTATIONS } from '../../analysis/hotspot-input.js';
import { HOTSPOT_DEFAULTS } from '../../analysis/hotspot-defaults.js';
import { isoDate, levelKey } from '../http/params.js';

/** A key, pc1:KEY,KEY,… for the first principal component, or typology:<id> for a typology run's need score. */
const indicatorExpr = z
  .string()
  .regex(/^((pc1:)?[A-Za-z0-9_.-]{1,60}(,[A-Za-z0-9_.-]{1,60})*|typology:\d{1,12})$/i, 'Indikator: Schlüssel, pc1:A,B,C oder typology:<Lauf-Id>');

export const hotspotRequestSchema = z.object({
  level: levelKey,
  period: isoDate,
  indicator: indicatorExpr,
  weights: z.string().max(40).default(HOTSPOT_DEFAULTS.weights),
  permutations: z.number().int().min(0).max(MAX_PERMUTATIONS, `höchstens ${MAX_PERMUTATIONS} Permutationen`).default(HOTSPOT_DEFAULTS.permutations),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(HOTSPOT_DEFAULTS.seed),
  correction: z.enum(['fdr', 'bonferroni', 'none']).default(HOTSPOT_DEFAULTS.correction),
  alpha: z.number().gt(0).lt(1).default(HOTSPOT_DEFAULTS.alpha),
}).strict();

const idParam = z.object({ id: z.coerce.number().int().positive() });

export function hotspotsRoutes(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.db;

  r.post('/api/hotspots', requireToken(ctx.config.apiToken), async (req, res) => {
    const body = parseOr400(hotspotRequestSchema, req.body ?? {}, 'Angaben');
    parseWeightsSpec(body.weights); // 400 for an unknown type before any work
    const out = await runHotspots(db, body);
    res.status(201).json(out);
  });

  r.get('/api/hotspots', async (req, res) => {
    const q = parseOr400(z.object({ level: levelKey.optional(), indicator: indicatorExpr.optional() }), req.query);
    res.json(await listHotspotRuns(db, q));
  });

  r.get('/api/hotspots/:id', async (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'Pfadangabe');
    res.json(await getHotspotRun(db, id));
  });

  r.get('/api/hotspots/:id/members', async (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'Pfadangabe');
    res.json(await getHotspotMembers(db, id));
  });

  r.get('/api/weights', async (req, res) => {
    const q = parseOr400(z.object({ level: levelKey, type: z.string().max(40).default(HOTSPOT_DEFAULTS.weights) }), req.query);
    const w = await levelWeights(db, q.level, parseWeightsSpec(q.type));
    res.json({ level: w.level, type: w.spec, geometryVersion: w.geometryVersion, srid: w.srid, islands: w.islands, nLinks: w.nLinks, lists: w.lists });
  });

  return r;
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const member = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    neighbours: { type: 'integer' },
    lisaI: { type: ['number', 'null'] },
    lisaZ: { type: ['number', 'null'], description: 'z of Ii under conditional randomisation (spdep ≥ 1.2)' },
    lisaP: { type: ['number', 'null'], description: 'two-sided p of lisaZ' },
    lisaPPermutation: { type: ['number', 'null'], description: 'folded pseudo p, conditional permutation without replacement' },
    quadrant: { type: ['string', 'null'], enum: ['HH', 'LL', 'HL', 'LH', null] },
    giZ: { type: ['number', 'null'] },
    giP: { type: ['number', 'null'] },
    class: { type: ['integer', 'null'], minimum: -3, maximum: 3, description: '±3/2/1 = hot/cold at 99/95/90 % after the correction; null = island' },
    island: { type: 'boolean' },
    lisaPAdjusted: { type: ['number', 'null'] },
    giPAdjusted: { type: ['number', 'null'] },
  },
};

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const hotspotsPaths: Record<string, unknown> = {
  '/api/hotspots': {
    get: {
      summary: 'Gespeicherte Hotspot-Läufe',
      parameters: [
        { name: 'level', in: 'query', schema: { type: 'string' } },
        { name: 'indicator', in: 'query', schema: { type: 'string' } },
      ],
      responses: { '200': { description: 'Läufe, neueste zuerst' }, '400': errorResponse('Ungültige Parameter') },
    },
    post: {
      summary: "Hotspot-Analyse: Moran's I, LISA, Gi*, Klassen",
      security: [{ bearer: [] }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['level', 'period', 'indicator'],
              properties: {
                level: { type: 'string' },
                period: { type: 'string', format: 'date' },
                indicator: { type: 'string', description: 'Indikator, pc1:A,B,C (1. Hauptkomponente) oder typology:<id> (Bedarfswert des Typs)' },
                weights: { type: 'string', default: HOTSPOT_DEFAULTS.weights, description: 'queen | queen:snap=<m> | rook | knn:<k> | distance:<m>' },
                permutations: { type: 'integer', default: HOTSPOT_DEFAULTS.permutations, maximum: MAX_PERMUTATIONS },
                seed: { type: 'integer', default: HOTSPOT_DEFAULTS.seed },
                correction: { type: 'string', enum: ['fdr', 'bonferroni', 'none'], default: HOTSPOT_DEFAULTS.correction },
                alpha: { type: 'number', default: HOTSPOT_DEFAULTS.alpha },
              },
            },
          },
        },
      },
      responses: {
        '201': { description: 'Lauf gespeichert: runId, params, dropped, islands, global, members' },
        '400': errorResponse('Ungültige Angaben, konstanter Indikator, < 3 Gebiete, > 99 999 Permutationen, unbekannter Gewichtstyp'),
        '401': errorResponse('Token fehlt'),
      },
    },
  },
  '/api/hotspots/{id}': {
    get: {
      summary: 'Ein Hotspot-Lauf',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: { '200': { description: 'Lauf mit Parametern und globalem Ergebnis' }, '404': errorResponse('Unbekannter Lauf') },
    },
  },
  '/api/hotspots/{id}/members': {
    get: {
      summary: 'Ergebnisse je Gebiet',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: { '200': { description: 'Gebiete', content: { 'application/json': { schema: { type: 'array', items: member } } } }, '404': errorResponse('Unbekannter Lauf') },
    },
  },
  '/api/weights': {
    get: {
      summary: 'Nachbarschaftslisten einer Ebene (aus PostGIS, gespeichert je Geometrie-Version)',
      parameters: [
        { name: 'level', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'type', in: 'query', schema: { type: 'string', default: HOTSPOT_DEFAULTS.weights } },
      ],
      responses: { '200': { description: 'code → sortierte Nachbarcodes' }, '400': errorResponse('Unbekannter Gewichtstyp') },
    },
  },
};
