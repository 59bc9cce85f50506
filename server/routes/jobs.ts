/**
 * Background job API:
 *   GET /api/jobs/{id}   progress of a long analysis (a typology above the synchronous limit);
 *                        the finished job's result points to the stored run
 *   DELETE /api/jobs/{id} cancel a running job (Bearer token): its run is dropped from the queue
 *                        or its worker stopped; the job ends as 'cancelled'
 * Jobs live in memory (server/jobs.ts) and are forgotten an hour after they finish.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { requireRole } from '../http/require-role.js';
import { HttpError, notFound } from '../http/errors.js';
import { cancelJob, getJob } from '../jobs.js';
import { parametersOf } from '../openapi.js';

const idParam = z.object({ id: z.string().uuid('Job-ID ist eine UUID') });

export function jobsRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/api/jobs/:id', (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'Pfadangabe');
    const job = getJob(id);
    if (!job) throw notFound(`Job ${id} nicht gefunden (oder vor über einer Stunde beendet)`);
    res.json(job);
  });

  r.delete('/api/jobs/:id', requireRole(ctx, 'editor'), (req, res) => {
    const { id } = parseOr400(idParam, req.params, 'Pfadangabe');
    const before = getJob(id)?.status;
    const job = cancelJob(id);
    if (!job) throw notFound(`Job ${id} nicht gefunden (oder vor über einer Stunde beendet)`);
    if (before !== 'running')
      throw new HttpError(409, 'conflict', `Job ${id} ist bereits beendet (${job.status})`, { status: job.status });
    res.json(job);
  });

  return r;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const jobsPaths: Record<string, unknown> = {
  '/api/jobs/{id}': {
    get: {
      summary: 'Fortschritt eines Hintergrundlaufs',
      parameters: parametersOf(idParam, 'path'),
      responses: {
        200: {
          description: 'status running|done|failed|cancelled, progress 0..1, result',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        404: errorResponse('unbekannt'),
      },
    },
    delete: {
      summary: 'Hintergrundlauf abbrechen',
      security: [{ bearer: [] }],
      parameters: parametersOf(idParam, 'path'),
      responses: {
        200: {
          description: 'Der Job mit status cancelled',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        401: errorResponse('Kein Token'),
        403: errorResponse('Token ungültig'),
        404: errorResponse('unbekannt'),
        409: errorResponse('Job bereits beendet'),
      },
    },
  },
};
