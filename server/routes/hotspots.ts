/**
 * Hotspot API:
 *   POST /api/hotspots                 run and store an analysis (Bearer token)
 *   GET  /api/hotspots                 list stored runs (?level, ?indicator)
 *   GET  /api/hotspots/{id}            one run with its global result, dropped areas, islands
 *   GET  /api/hotspots/{id}/members    per-area results
 * Requests are validated with the schemas of services/hotspot-request.ts, which the CLI and the
 * OpenAPI path items below share.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { requireRole } from '../http/require-role.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { getHotspotMembers, getHotspotRun, listHotspotRuns, runHotspots } from '../services/hotspots.js';
import { hotspotListQuery, hotspotRequestSchema, parseHotspotRequest } from '../services/hotspot-request.js';
import { jsonRequestBody, parametersOf } from '../openapi.js';
import { jsonOrTableFormat, sendTable } from '../http/export.js';
import { hotspotMembersTable } from '../../geodata/export/tables.js';

const idParam = z.object({ id: z.coerce.number().int().positive() });
const membersFormat = z.object({ format: jsonOrTableFormat });

export function hotspotsRoutes(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.db;

  r.post('/api/hotspots', requireRole(ctx, 'editor'), async (req, res) => {
    const body = parseHotspotRequest(req.body ?? {});
    await refreshValues(db); // values made by a direct SQL change reach the run too
    const out = await runHotspots(db, body);
    res.status(201).json(out);
  });

  r.get('/api/hotspots', async (req, res) => {
    res.json(await listHotspotRuns(db, parseOr400(hotspotListQuery, req.query)));
  });

  r.get('/api/hotspots/:id', async (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'Pfadangabe');
    res.json(await getHotspotRun(db, id));
  });

  r.get('/api/hotspots/:id/members', async (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'Pfadangabe');
    const { format } = parseOr400(membersFormat, req.query);
    const members = await getHotspotMembers(db, id);
    if (format !== 'json') {
      const run = await getHotspotRun(db, id);
      const names = await db.query<{ code: string; name: string | null }>(
        'SELECT code, name FROM area WHERE level = $1',
        [run.level],
      );
      const nameOf = new Map(names.rows.map((a) => [a.code, a.name]));
      const table = hotspotMembersTable(
        run,
        members.map((m) => ({ ...m, name: nameOf.get(m.code) ?? null })),
      );
      sendTable(res, format, `sozialatlas_hotspots_${id}`, table);
      return;
    }
    res.json(members);
  });

  return r;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const member = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    neighbours: { type: 'integer' },
    lisaI: { type: ['number', 'null'] },
    lisaZ: { type: ['number', 'null'], description: 'z of Ii under conditional randomisation (spdep ≥ 1.2)' },
    lisaP: { type: ['number', 'null'], description: 'two-sided p of lisaZ' },
    lisaPPermutation: {
      type: ['number', 'null'],
      description: 'folded pseudo p, conditional permutation without replacement',
    },
    quadrant: { type: ['string', 'null'], enum: ['HH', 'LL', 'HL', 'LH', null] },
    giZ: { type: ['number', 'null'] },
    giP: { type: ['number', 'null'] },
    class: {
      type: ['integer', 'null'],
      minimum: -3,
      maximum: 3,
      description: '±3/2/1 = hot/cold at 99/95/90 % after the correction; null = island',
    },
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
      parameters: parametersOf(hotspotListQuery, 'query'),
      responses: { '200': { description: 'Läufe, neueste zuerst' }, '400': errorResponse('Ungültige Parameter') },
    },
    post: {
      summary: "Hotspot-Analyse: Moran's I, LISA, Gi*, Klassen",
      security: [{ bearer: [] }],
      requestBody: jsonRequestBody(hotspotRequestSchema),
      responses: {
        '201': { description: 'Lauf gespeichert: runId, params, dropped, islands, global, members' },
        '400': errorResponse(
          'Ungültige Angaben, konstanter Indikator, < 3 Gebiete, > 99 999 Permutationen, unbekannter Gewichtstyp',
        ),
        '401': errorResponse('Token fehlt'),
      },
    },
  },
  '/api/hotspots/{id}': {
    get: {
      summary: 'Ein Hotspot-Lauf',
      parameters: parametersOf(idParam, 'path'),
      responses: {
        '200': { description: 'Lauf mit Parametern und globalem Ergebnis' },
        '404': errorResponse('Unbekannter Lauf'),
      },
    },
  },
  '/api/hotspots/{id}/members': {
    get: {
      summary: 'Ergebnisse je Gebiet (format=csv|csv-de|xlsx: als Tabelle mit Gebietsnamen)',
      parameters: [...parametersOf(idParam, 'path'), ...parametersOf(membersFormat, 'query')],
      responses: {
        '200': {
          description: 'Gebiete (JSON) oder Tabelle',
          content: {
            'application/json': { schema: { type: 'array', items: member } },
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: { type: 'string', format: 'binary' },
            },
          },
        },
        '404': errorResponse('Unbekannter Lauf'),
      },
    },
  },
};
