/**
 * HTTP errors of the API: the error type every service and route throws, the one rule for names
 * that match nothing (404 in the path, 400 in the query or body), and the error middleware that
 * turns them into {error:{code,message,details}} answers.
 */
import type { ErrorRequestHandler } from 'express';

/** An error with an HTTP status that the error handler turns into {error:{code,message,details}}. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const notFound = (message: string, details?: unknown) => new HttpError(404, 'not_found', message, details);
/** Where a request names a level, indicator, period, area or run. */
export type NameSource = 'path' | 'query' | 'body';

/**
 * The one rule for a name that matches nothing: in the URL path it names a resource that is not
 * there (404, like any unknown path); in the query string or the body the request itself is wrong
 * (400, like any other bad parameter). Every lookup of the catalog decides its status here.
 */
export function unknownName(source: NameSource, message: string, details?: unknown): HttpError {
  return source === 'path' ? notFound(message, details) : badRequest(message, details);
}

export const unauthorized = (message = 'Schreibzugriff braucht Authorization: Bearer <token>') =>
  new HttpError(401, 'unauthorized', message);

/**
 * Last express middleware: known errors keep their status; a body that is not JSON is a 400;
 * anything else is logged and answered as a 4xx-free 500 without a stack trace.
 */
export function errorHandler(log: (err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details ?? null } });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string; statusCode?: number };
    if (e && (e.type === 'entity.parse.failed' || e.type === 'entity.too.large' || (e.status && e.status < 500))) {
      res
        .status(e.status ?? 400)
        .json({ error: { code: e.type ?? 'bad_request', message: e.message ?? 'Ungültige Anfrage', details: null } });
      return;
    }
    log(err);
    res.status(500).json({ error: { code: 'internal', message: 'Interner Fehler', details: null } });
  };
}
