/**
 * Typology API:
 *   POST   /api/typologies               run and store a typology (Bearer token); ≤ 5 000 areas → 201 with
 *                                        the run, more → 202 with a job to poll
 *   GET    /api/typologies               stored runs (?level, ?period), newest first, each with `published`
 *   GET    /api/typologies/published?level=L&k=N  the level's published run (same shape as one run), or 404
 *   GET    /api/typologies/compare?a=&b= Adjusted Rand Index and transition table of two runs
 *   GET    /api/typologies/{id}?k=N      one run: params, fingerprint, metrics, types (of k N of its range;
 *                                        default the chosen k; N outside the range → 400)
 *   GET    /api/typologies/{id}/members?k=N  per-area type, silhouette, stability, PC scores (same k rule);
 *                                        ?format=csv|csv-de|xlsx: a table with plain type names and z-scores
 *   DELETE /api/typologies/{id}          (Bearer token)
 *   PUT    /api/typologies/{id}/published {published}: publish (unpublishes the level's other run) or
 *                                        withdraw (Bearer token)
 *   PUT    /api/typologies/{id}/types    {k?, types:[{type, name, description}]}: plain names (Bearer token)
 * One run's answer carries types [{type, label, size, name, description, suggested, needRank}]: the
 * plain texts (services/typology/publication.ts) next to the planners' label.
 * A run above the synchronous limit is polled at GET /api/jobs/{id} (routes/jobs.ts). The request
 * body is validated with services/typology/request.ts, which the CLI and the OpenAPI path items
 * below share.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { requireRole } from '../http/require-role.js';
import {
  compareTypologies,
  deleteTypology,
  getTypologyMembers,
  getTypologyView,
  getPublishedTypology,
  listTypologies,
  publishRequestSchema,
  saveTypeTexts,
  setPublished,
  typeTextsRequestSchema,
  submitTypology,
  typeKParam,
  typologyRequestSchema,
} from '../services/typology.js';
import { isoDate } from '../http/params.js';
import { jsonRequestBody, parametersOf } from '../openapi.js';
import { jsonOrTableFormat, sendTable } from '../http/export.js';
import { typologyMembersExport } from '../services/typology/member-export.js';

const idParam = z.object({ id: z.coerce.number().int().positive() });
const listQuery = z.object({
  level: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional(),
  period: isoDate.meta({ format: 'date' }).optional(),
});
const kQuery = z.object({
  k: typeKParam
    .optional()
    .describe(
      'Typen für dieses k aus dem k-Bereich des Laufs (ohne Neuberechnung; Stabilität nur für das gewählte k). Standard: das gewählte k',
    ),
});
const membersQuery = kQuery.extend({ format: jsonOrTableFormat });
const compareQuery = z.object({ a: z.coerce.number().int().positive(), b: z.coerce.number().int().positive() });
const publishedQuery = z.object({
  level: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .describe('Ebene, deren veröffentlichte Typisierung gefragt ist'),
  k: kQuery.shape.k,
});

export function typologiesRoutes(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.db;

  r.post('/api/typologies', requireRole(ctx, 'editor'), async (req, res) => {
    const out = await submitTypology(ctx, req.body ?? {});
    if (out.kind === 'done') {
      res.status(201).location(`/api/typologies/${out.output.runId}`).json(out.output);
      return;
    }
    res
      .status(202)
      .location(`/api/jobs/${out.job.id}`)
      .json({ jobId: out.job.id, status: out.job.status, url: `/api/jobs/${out.job.id}` });
  });

  r.get('/api/typologies', async (req, res) => {
    res.json(await listTypologies(db, parseOr400(listQuery, req.query)));
  });

  r.get('/api/typologies/compare', async (req, res) => {
    const { a, b } = parseOr400(compareQuery, req.query);
    res.json(await compareTypologies(db, a, b));
  });

  // before /:id, so 'published' is not read as an id
  r.get('/api/typologies/published', async (req, res) => {
    const { level, k } = parseOr400(publishedQuery, req.query);
    res.json(await getPublishedTypology(db, level, k));
  });

  r.get('/api/typologies/:id', async (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'Pfadangabe');
    const { k } = parseOr400(kQuery, req.query);
    res.json(await getTypologyView(db, id, k));
  });

  r.put('/api/typologies/:id/published', requireRole(ctx, 'editor'), async (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'Pfadangabe');
    const { published } = parseOr400(publishRequestSchema, req.body ?? {}, 'Angaben');
    res.json(await setPublished(db, id, published));
  });

  r.put('/api/typologies/:id/types', requireRole(ctx, 'editor'), async (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'Pfadangabe');
    const body = parseOr400(typeTextsRequestSchema, req.body ?? {}, 'Angaben');
    res.json(await saveTypeTexts(db, id, body));
  });

  r.get('/api/typologies/:id/members', async (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'Pfadangabe');
    const { k, format } = parseOr400(membersQuery, req.query);
    if (format !== 'json') {
      const table = await typologyMembersExport(db, id, k);
      sendTable(res, format, `sozialatlas_typisierung_${id}_k${k ?? table.rows[0]?.k ?? ''}`, table);
      return;
    }
    res.json(await getTypologyMembers(db, id, k));
  });

  r.delete('/api/typologies/:id', requireRole(ctx, 'editor'), async (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'Pfadangabe');
    await deleteTypology(db, id);
    res.status(204).end();
  });

  return r;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const json = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});
const idPath = parametersOf(idParam, 'path');
const kParam = parametersOf(kQuery, 'query');

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const typologiesPaths: Record<string, unknown> = {
  '/api/typologies': {
    post: {
      summary: 'Sozialraumtypisierung berechnen und speichern',
      security: [{ bearer: [] }],
      requestBody: jsonRequestBody(typologyRequestSchema),
      responses: {
        201: json(
          'Der gespeicherte Lauf mit runId, params, dropped, standardization, explainedVariance, loadings, byK, chosenK, types, members',
        ),
        202: json('Mehr als 5 000 Gebiete: Job gestartet', {
          type: 'object',
          properties: { jobId: { type: 'string' }, url: { type: 'string' } },
        }),
        400: errorResponse('Ungültige Angaben (unbekannte Ebene, Zeitraum oder Indikator, k, Varianz 0)'),
        401: errorResponse('Kein Token'),
        403: errorResponse('Token ungültig oder Schreiben ausgeschaltet'),
      },
    },
    get: {
      summary: 'Gespeicherte Typisierungsläufe',
      parameters: parametersOf(listQuery, 'query'),
      responses: { 200: json('Läufe, neueste zuerst (Id als Zahl), je mit published', { type: 'array' }) },
    },
  },
  '/api/typologies/published': {
    get: {
      summary: 'Die veröffentlichte Typisierung einer Ebene (wie ein Lauf, mit Typnamen in einfachen Worten)',
      parameters: parametersOf(publishedQuery, 'query'),
      responses: {
        200: json('Lauf mit types [{type, label, size, name, description, suggested, needRank}]'),
        400: errorResponse('Unbekannte Ebene oder k außerhalb des Bereichs'),
        404: errorResponse('Für die Ebene ist keine Typisierung veröffentlicht'),
      },
    },
  },
  '/api/typologies/{id}/published': {
    put: {
      summary:
        'Lauf veröffentlichen (höchstens einer je Ebene: der bisher veröffentlichte wird zurückgezogen) oder zurückziehen',
      security: [{ bearer: [] }],
      parameters: idPath,
      requestBody: jsonRequestBody(publishRequestSchema),
      responses: {
        200: json('{id, level, published, unpublished: zurückgezogener Lauf oder null}'),
        400: errorResponse('Ungültige Angaben'),
        401: errorResponse('Kein Token'),
        403: errorResponse('Token ungültig oder Schreiben ausgeschaltet'),
        404: errorResponse('nicht gefunden'),
      },
    },
  },
  '/api/typologies/{id}/types': {
    put: {
      summary: 'Namen und Beschreibungen der Typen in einfachen Worten speichern (für k, Standard das gewählte k)',
      security: [{ bearer: [] }],
      parameters: idPath,
      requestBody: jsonRequestBody(typeTextsRequestSchema),
      responses: {
        200: json('Texte aller Typen dieses k: [{type, name, description, suggested, needRank}]', { type: 'array' }),
        400: errorResponse('Ungültige Angaben (Typ außerhalb 1..k, doppelt, Länge, k außerhalb des Bereichs)'),
        401: errorResponse('Kein Token'),
        403: errorResponse('Token ungültig oder Schreiben ausgeschaltet'),
        404: errorResponse('nicht gefunden'),
      },
    },
  },
  '/api/typologies/compare': {
    get: {
      summary: 'Zwei Läufe vergleichen: Adjusted Rand Index und Übergangstabelle',
      parameters: parametersOf(compareQuery, 'query'),
      responses: { 200: json('ARI und Übergänge (von Typ a nach Typ b)'), 404: errorResponse('Lauf nicht gefunden') },
    },
  },
  '/api/typologies/{id}': {
    get: {
      summary: 'Ein Typisierungslauf',
      parameters: [...idPath, ...kParam],
      responses: {
        200: json(
          'Lauf mit Parametern, Fingerabdruck und Ergebnis; k = gezeigtes k, availableK = abrufbare k; types mit Namen in einfachen Worten und needRank (1 = höchster Bedarf)',
        ),
        400: errorResponse('k außerhalb des Bereichs des Laufs'),
        404: errorResponse('nicht gefunden'),
      },
    },
    delete: {
      summary: 'Typisierungslauf löschen',
      security: [{ bearer: [] }],
      parameters: idPath,
      responses: {
        204: { description: 'gelöscht' },
        401: errorResponse('Kein Token'),
        404: errorResponse('nicht gefunden'),
      },
    },
  },
  '/api/typologies/{id}/members': {
    get: {
      summary:
        'Typ, Silhouette, Stabilität und Komponentenwerte je Gebiet; als Tabelle (format=csv|csv-de|xlsx) mit Typnamen und z-Werten je Indikator',
      parameters: [...idPath, ...parametersOf(membersQuery, 'query')],
      responses: {
        200: {
          description: 'Gebiete (JSON) oder Tabelle',
          content: {
            'application/json': { schema: { type: 'array' } },
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: { type: 'string', format: 'binary' },
            },
          },
        },
        400: errorResponse('k außerhalb des Bereichs des Laufs'),
        404: errorResponse('nicht gefunden'),
      },
    },
  },
};
