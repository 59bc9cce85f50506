/**
 * Spatial weights API:
 *   GET  /api/weights?level=&type=   neighbour lists of a level from PostGIS: read from storage if
 *                                    stored for the current geometry version, else computed on the
 *                                    fly and NOT stored (a read never writes: `stored` says which)
 *   POST /api/weights {level, type}  compute and store them (Bearer token), so later reads and
 *                                    hotspot runs find them; 201 when stored now, 200 when already stored
 * The query schema is shared with `sozialatlas weights` (services/hotspot-request.ts).
 */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { requireRole } from '../http/require-role.js';
import { levelWeights, parseWeightsSpec, type NeighbourLists } from '../services/weights.js';
import { weightsQuery } from '../services/hotspot-request.js';
import { jsonRequestBody, parametersOf } from '../openapi.js';

const body = (w: NeighbourLists) => ({
  level: w.level,
  type: w.spec,
  geometryVersion: w.geometryVersion,
  srid: w.srid,
  stored: w.cached,
  islands: w.islands,
  nLinks: w.nLinks,
  lists: w.lists,
});

export function weightsRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/api/weights', async (req, res) => {
    const q = parseOr400(weightsQuery, req.query);
    res.json(body(await levelWeights(ctx.db, q.level, parseWeightsSpec(q.type), { store: false })));
  });

  r.post('/api/weights', requireRole(ctx, 'editor'), async (req, res) => {
    const q = parseOr400(weightsQuery.strict(), req.body ?? {}, 'Angaben');
    const w = await levelWeights(ctx.db, q.level, parseWeightsSpec(q.type), { store: true });
    res.status(w.cached ? 200 : 201).json({ ...body(w), stored: true });
  });

  return r;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const weightsPaths: Record<string, unknown> = {
  '/api/weights': {
    get: {
      summary: 'Nachbarschaftslisten einer Ebene (aus PostGIS; nicht gespeicherte werden berechnet, nicht gespeichert)',
      parameters: parametersOf(weightsQuery, 'query'),
      responses: {
        '200': { description: 'code → sortierte Nachbarcodes; stored: ob die Listen gespeichert sind' },
        '400': errorResponse('Unbekannter Gewichtstyp oder unbekannte Ebene'),
      },
    },
    post: {
      summary: 'Nachbarschaftslisten berechnen und speichern',
      security: [{ bearer: [] }],
      requestBody: jsonRequestBody(weightsQuery.strict()),
      responses: {
        '200': { description: 'waren schon gespeichert' },
        '201': { description: 'jetzt gespeichert' },
        '400': errorResponse('Unbekannter Gewichtstyp oder unbekannte Ebene'),
        '401': errorResponse('Kein Token'),
        '403': errorResponse('Token ungültig'),
      },
    },
  },
};
