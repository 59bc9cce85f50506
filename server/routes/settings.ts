/**
 * GET /api/settings (public) and PUT /api/settings (bearer token): the confidentiality threshold
 * and the coverage threshold of aggregated values (services/settings.ts). Values outside their
 * range (coverage 0–100 %, threshold a whole number ≥ 0) are a 400 naming the field.
 */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { requireRole } from '../http/require-role.js';
import { readSettings, writeSettings, SettingsBody } from '../services/settings.js';
import { jsonRequestBody } from '../openapi.js';

export function settingsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/settings', async (_req, res) => {
    res.json(await readSettings(ctx.db));
  });
  r.put('/api/settings', requireRole(ctx, 'admin'), async (req, res) => {
    res.json(await writeSettings(ctx.db, parseOr400(SettingsBody, req.body, 'Einstellungen')));
  });
  return r;
}

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const settingsPaths: Record<string, unknown> = {
  '/api/settings': {
    get: {
      summary: 'Einstellungen: Geheimhaltungsschwelle (Einwohner) und Abdeckungsschwelle (%)',
      responses: { 200: { description: 'Einstellungen' } },
    },
    put: {
      summary: 'Einstellungen ändern (Token); die Werte aller Ebenen werden sofort neu berechnet',
      security: [{ bearer: [] }],
      requestBody: jsonRequestBody(SettingsBody),
      responses: {
        200: { description: 'gespeichert' },
        400: { description: 'Wert außerhalb des Bereichs' },
        401: { description: 'ohne Token' },
      },
    },
  },
};
