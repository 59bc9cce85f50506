/**
 * The one-page handout for counselling centres: GET /profile/{level}/{code}/handout, printable HTML
 * for exactly one A4 page (geodata/report/handout-html.ts) with the area's map, key figures in plain
 * words, the nearest facilities and the sources. Level and code are in the path: unknown ones are a 404.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { areaCode, levelKey } from '../http/params.js';
import { buildHandout } from '../services/handout.js';
import { handoutHtml } from '../../geodata/report/handout-html.js';

export function handoutRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/profile/:level/:code/handout', async (req, res) => {
    const { level, code } = parseOr400(z.object({ level: levelKey, code: areaCode }), req.params, 'Pfadangabe');
    const handout = await buildHandout(ctx.db, level, code);
    res.type('text/html; charset=utf-8').send(handoutHtml(handout, new Date().toISOString().slice(0, 10)));
  });
  return r;
}

/** OpenAPI 3.1 path item of this route, merged into /api/openapi.json. */
export const handoutPaths: Record<string, unknown> = {
  '/profile/{level}/{code}/handout': {
    get: {
      summary:
        'Informationsblatt für Beratungsstellen: eine A4-Seite mit Karte, Kennzahlen in einfachen Worten, Einrichtungen in der Nähe und Quellen (HTML)',
      parameters: [
        { name: 'level', in: 'path', required: true, description: 'Ebene', schema: { type: 'string' } },
        { name: 'code', in: 'path', required: true, description: 'Gebietsschlüssel', schema: { type: 'string' } },
      ],
      responses: {
        200: { description: 'HTML-Seite' },
        404: { description: 'Unbekannte Ebene oder unbekanntes Gebiet' },
      },
    },
  },
};
