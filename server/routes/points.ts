/**
 * Point layers ("Georessourcen") API:
 *   GET /api/point-layers                                   layers, stands, attribution, fields
 *   GET /api/areas/{code}/nearby?layer=&level=&limit=       nearest facilities of an area (Beratung, handout)
 *   GET /tiles/points/{layer}/{z}/{x}/{y}.pbf (+ .json)     the facilities as a vector tile layer
 * An unknown area code in the path is a 404; an unknown layer or level in the query string a 400;
 * an unknown layer in a tile path a 404 (errors.unknownName).
 */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { parametersOf } from '../openapi.js';
import { listPointLayers, nearbyPath, nearbyQuery, nearestPoints } from '../services/points.js';
import { pointTileRoutes, pointTilesPaths } from './point-tiles.js';

export function pointsRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/api/point-layers', async (_req, res) => {
    res.json(await listPointLayers(ctx.db));
  });

  r.get('/api/areas/:code/nearby', async (req, res) => {
    const { code } = parseOr400(nearbyPath, req.params, 'Pfadangabe');
    const q = parseOr400(nearbyQuery, req.query);
    res.json(await nearestPoints(ctx.db, q.layer, q.level, code, q.limit));
  });

  r.use(pointTileRoutes(ctx));
  return r;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const pointsPaths: Record<string, unknown> = {
  '/api/point-layers': {
    get: {
      summary: 'Punktlayer (Georessourcen, z. B. Kitas, Pflegeeinrichtungen) mit Ständen, Quelle und Feldern',
      responses: { '200': { description: 'Liste der Punktlayer' } },
    },
  },
  '/api/areas/{code}/nearby': {
    get: {
      summary:
        'Die nächstgelegenen Einrichtungen eines Punktlayers zu einem Gebiet (Entfernung in Metern vom Punkt im Gebiet, ST_PointOnSurface)',
      parameters: [...parametersOf(nearbyPath, 'path'), ...parametersOf(nearbyQuery, 'query')],
      responses: {
        '200': { description: '[{ fid, name, address, distanceM, lon, lat, attrs }] nach Entfernung' },
        '400': errorResponse('Unbekannter Punktlayer oder unbekannte Ebene, ungültige Anzahl'),
        '404': errorResponse('Unbekanntes Gebiet'),
      },
    },
  },
  ...pointTilesPaths,
};
