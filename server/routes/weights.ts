/**
 * Spatial weights API:
 *   GET /api/weights?level=&type=   neighbour lists of a level from PostGIS (stored per geometry version)
 * The query schema is shared with `sozialatlas weights` (services/hotspot-request.ts).
 */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { levelWeights, parseWeightsSpec } from '../services/weights.js';
import { weightsQuery } from '../services/hotspot-request.js';
import { parametersOf } from '../openapi.js';

export function weightsRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/api/weights', async (req, res) => {
    const q = parseOr400(weightsQuery, req.query);
    const w = await levelWeights(ctx.db, q.level, parseWeightsSpec(q.type));
    res.json({
      level: w.level,
      type: w.spec,
      geometryVersion: w.geometryVersion,
      srid: w.srid,
      islands: w.islands,
      nLinks: w.nLinks,
      lists: w.lists,
    });
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
      summary: 'Nachbarschaftslisten einer Ebene (aus PostGIS, gespeichert je Geometrie-Version)',
      parameters: parametersOf(weightsQuery, 'query'),
      responses: {
        '200': { description: 'code → sortierte Nachbarcodes' },
        '400': errorResponse('Unbekannter Gewichtstyp'),
      },
    },
  },
};
