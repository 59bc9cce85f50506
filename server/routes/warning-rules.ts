/**
 * The rules of the social warning system (table warning_rule, sql/005):
 *   GET /api/warning-rules, GET /api/warning-rules/{id}, and with the bearer token
 *   POST /api/warning-rules, PUT and DELETE /api/warning-rules/{id}.
 * Validation and storage are services/warnings.ts; an unknown rule id (path) is a 404, an unknown
 * type, indicator or level in the body a 400. Evaluating the rules is GET /api/warnings (monitoring.ts).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { requireRole } from '../http/require-role.js';
import { listRules, getRule, createRule, updateRule, deleteRule, RuleBody } from '../services/warnings.js';

const ruleId = z.object({ id: z.coerce.number().int().positive() });

export function warningRulesRoutes(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.db;
  const write = requireRole(ctx, 'editor');

  r.get('/api/warning-rules', async (_req, res) => {
    res.json(await listRules(db));
  });
  r.get('/api/warning-rules/:id', async (req, res) => {
    res.json(await getRule(db, parseOr400(ruleId, req.params, 'Pfadangabe').id));
  });
  r.post('/api/warning-rules', write, async (req, res) => {
    res.status(201).json(await createRule(db, parseOr400(RuleBody, req.body, 'Regel')));
  });
  r.put('/api/warning-rules/:id', write, async (req, res) => {
    const { id } = parseOr400(ruleId, req.params, 'Pfadangabe');
    res.json(await updateRule(db, id, parseOr400(RuleBody, req.body, 'Regel')));
  });
  r.delete('/api/warning-rules/:id', write, async (req, res) => {
    await deleteRule(db, parseOr400(ruleId, req.params, 'Pfadangabe').id);
    res.status(204).end();
  });

  return r;
}

const p = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const invalid = {
  400: { description: 'Ungültige Regel (unbekannter Regeltyp, Indikator oder Ebene, ungültige Parameter)' },
};
const unknown = { 404: { description: 'Keine Warnregel mit dieser ID' } };

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const warningRulesPaths: Record<string, unknown> = {
  '/api/warning-rules': {
    get: { summary: 'Warnregeln', responses: { 200: { description: 'Liste' } } },
    post: {
      summary: 'Warnregel anlegen (Token): type threshold | target | trend | hotspot | index_class',
      security: [{ bearer: [] }],
      responses: { 201: { description: 'angelegt' }, ...invalid, 401: { description: 'ohne Token' } },
    },
  },
  '/api/warning-rules/{id}': {
    get: {
      summary: 'Eine Warnregel',
      parameters: [p('id', 'Regel-ID')],
      responses: { 200: { description: 'Regel' }, ...unknown },
    },
    put: {
      summary: 'Warnregel ändern (Token)',
      security: [{ bearer: [] }],
      parameters: [p('id', 'Regel-ID')],
      responses: { 200: { description: 'geändert' }, ...invalid, ...unknown },
    },
    delete: {
      summary: 'Warnregel löschen (Token)',
      security: [{ bearer: [] }],
      parameters: [p('id', 'Regel-ID')],
      responses: { 204: { description: 'gelöscht' }, ...unknown },
    },
  },
};
