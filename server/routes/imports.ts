/**
 * Data in through the browser (issue 15): the upload API.
 *   POST   /api/imports?name=…        the file as the raw body → stored, answered with its preview
 *   GET    /api/imports               the history (who, when, file, hash, level, periods, added, replaced)
 *   GET    /api/imports/{id}          the preview of one upload (again, against today's data)
 *   PATCH  /api/imports/{id}          new settings and mapping → the new preview
 *   POST   /api/imports/{id}/commit   writes it (one transaction, the CLI's report)
 *   DELETE /api/imports/{id}          undoes a committed import (one transaction)
 * Writes need the editor role. The body is the bare file (Content-Type application/octet-stream),
 * capped at the upload limit (SOZIALATLAS_MAX_UPLOAD_MB, default 20 MB): no multipart parser.
 * ?kind= says what it holds: indicators (default), areas, points or meta; the work itself is
 * services/imports/* (areas, points and meta through the CLI's importers, kinds.ts).
 */
import express, { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { requireRole } from '../http/require-role.js';
import { HttpError, badRequest } from '../http/errors.js';
import { jsonRequestBody, parametersOf } from '../openapi.js';
import { ImportId, ImportSettings, UploadQuery } from '../services/imports/schemas.js';
import { getEntry, listEntries, storeUpload, updateSettings } from '../services/imports/store.js';
import { previewUpload } from '../services/imports/preview.js';
import { commitUpload } from '../services/imports/commit.js';
import { undoUpload } from '../services/imports/undo.js';

/** Default upload limit in MB: a Planungsraum table is kilobytes, a block-level workbook a few MB. */
export const DEFAULT_MAX_UPLOAD_MB = 20;

/** The upload limit in bytes (SOZIALATLAS_MAX_UPLOAD_MB; default 20 MB). */
export function maxUploadBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.SOZIALATLAS_MAX_UPLOAD_MB);
  return Math.floor((Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024);
}

/** The raw body up to `limit` bytes; larger is a 413 in German. */
function rawFile(limit: number): RequestHandler {
  const raw = express.raw({ type: () => true, limit });
  return (req, res, next) =>
    raw(req, res, (err?: unknown) => {
      const e = err as { type?: string } | undefined;
      if (e?.type === 'entity.too.large')
        return next(
          new HttpError(
            413,
            'too_large',
            `Die Datei ist größer als ${Math.round((limit / 1024 / 1024) * 10) / 10} MB (Grenze SOZIALATLAS_MAX_UPLOAD_MB); bitte aufteilen`,
          ),
        );
      next(err);
    });
}

/** Who wrote: the account's name, or 'token' for the automation token. */
const actorName = (res: express.Response): string =>
  (res.locals.actor as { name?: string } | undefined)?.name ?? 'token';

export function importsRoutes(ctx: AppContext, limit = maxUploadBytes()): Router {
  const r = Router();
  const db = ctx.db;
  const write = requireRole(ctx, 'editor');

  r.get('/api/imports', write, async (_req, res) => {
    res.json(await listEntries(db));
  });
  r.get('/api/imports/:id', write, async (req, res) => {
    res.json(await previewUpload(db, parseOr400(ImportId, req.params, 'Pfadangabe').id));
  });
  r.post('/api/imports', write, rawFile(limit), async (req, res) => {
    const q = parseOr400(UploadQuery, req.query, 'Parameter');
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (bytes.length === 0) throw badRequest('Die Datei ist leer (kein Inhalt gesendet)');
    const settings = parseOr400(
      ImportSettings,
      { level: q.level, codeField: q.codeField, period: q.period, layer: q.layer },
      'Einstellungen',
    );
    const id = await storeUpload(db, { actor: actorName(res), fileName: q.name, bytes, settings, kind: q.kind });
    res.status(201).json(await previewUpload(db, id));
  });
  r.patch('/api/imports/:id', write, async (req, res) => {
    const { id } = parseOr400(ImportId, req.params, 'Pfadangabe');
    await updateSettings(db, id, parseOr400(ImportSettings, req.body ?? {}, 'Einstellungen'));
    res.json(await previewUpload(db, id));
  });
  r.post('/api/imports/:id/commit', write, async (req, res) => {
    const { id } = parseOr400(ImportId, req.params, 'Pfadangabe');
    res.locals.auditDetail = { importId: id };
    res.json(await commitUpload(db, id, actorName(res)));
  });
  r.delete('/api/imports/:id', write, async (req, res) => {
    const { id } = parseOr400(ImportId, req.params, 'Pfadangabe');
    res.locals.auditDetail = { importId: id };
    res.json(await undoUpload(db, id, actorName(res)));
  });
  // The history entry alone, without the preview (cheap; the CLI polls it).
  r.get('/api/imports/:id/entry', write, async (req, res) => {
    res.json(await getEntry(db, parseOr400(ImportId, req.params, 'Pfadangabe').id));
  });
  return r;
}

const idParam = parametersOf(ImportId, 'path');
const secured = { security: [{ bearer: [] }] };
const denied = { 401: { description: 'ohne Anmeldung oder Token' }, 403: { description: 'ohne Rolle editor' } };

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const importsPaths: Record<string, unknown> = {
  '/api/imports': {
    get: { summary: 'Importverlauf (editor)', ...secured, responses: { 200: { description: 'Liste' }, ...denied } },
    post: {
      summary:
        'Datei hochladen (editor): Indikatorwerte (CSV, XLSX, ODS), Gebiete (GeoJSON, Shapefile als ZIP, WKT-CSV), Punktdaten (GeoJSON, Shapefile als ZIP, CSV mit Koordinaten) oder Indikator-Metadaten (CSV, JSON); antwortet mit der Vorschau, schreibt nichts',
      ...secured,
      parameters: parametersOf(UploadQuery, 'query'),
      requestBody: {
        required: true,
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      },
      responses: {
        201: { description: 'Vorschau: Erkanntes, erste 20 Zeilen, Zuordnung, alle Probleme' },
        400: { $ref: '#/components/responses/BadRequest' },
        413: { description: 'Datei größer als die Upload-Grenze' },
        ...denied,
      },
    },
  },
  '/api/imports/{id}': {
    get: {
      summary: 'Vorschau eines Uploads (editor)',
      ...secured,
      parameters: idParam,
      responses: { 200: { description: 'Vorschau' }, 404: { description: 'unbekannt' }, ...denied },
    },
    patch: {
      summary: 'Einstellungen und Zuordnung ändern (editor); antwortet mit der neuen Vorschau',
      ...secured,
      parameters: idParam,
      requestBody: jsonRequestBody(ImportSettings),
      responses: {
        200: { description: 'Vorschau' },
        400: { $ref: '#/components/responses/BadRequest' },
        409: { description: 'schon übernommen' },
        ...denied,
      },
    },
    delete: {
      summary: 'Übernommenen Import rückgängig machen (editor), in einer Transaktion',
      ...secured,
      parameters: idParam,
      responses: {
        200: { description: 'wiederhergestellt' },
        409: { description: 'später geändert oder nicht übernommen' },
        ...denied,
      },
    },
  },
  '/api/imports/{id}/commit': {
    post: {
      summary: 'Upload übernehmen (editor): eine Transaktion, Bericht wie die Kommandozeile',
      ...secured,
      parameters: idParam,
      responses: {
        200: { description: 'Bericht' },
        400: { description: 'die Datei hat Fehler' },
        409: { description: 'schon übernommen' },
        ...denied,
      },
    },
  },
  '/api/imports/{id}/entry': {
    get: {
      summary: 'Verlaufseintrag eines Uploads (editor)',
      ...secured,
      parameters: idParam,
      responses: { 200: { description: 'Eintrag' }, ...denied },
    },
  },
};
