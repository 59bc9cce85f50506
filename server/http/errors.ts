/**
 * HTTP errors of the API: the error type every service and route throws, the one rule for names
 * that match nothing (404 in the path, 400 in the query or body), and the error middleware that
 * turns them into {error:{code,message,details}} answers. A query the database cancelled for its
 * statement_timeout (SQLSTATE 57014, server backend) is an overload, not a defect: 503 with
 * Retry-After, like a full request queue.
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

/** SQLSTATE of a statement cancelled by statement_timeout (or a cancel request). */
export const QUERY_CANCELED = '57014';

/** Seconds a client is asked to wait after a cancelled query (Retry-After). */
export const QUERY_TIMEOUT_RETRY_SECONDS = 5;

/** The answer to a query the database cancelled after its statement_timeout. */
export const queryTimedOut = (retryAfter = QUERY_TIMEOUT_RETRY_SECONDS) =>
  new HttpError(
    503,
    'query_timeout',
    `Die Datenbankabfrage hat zu lange gedauert und wurde abgebrochen; bitte in ${retryAfter} s erneut versuchen`,
    { retryAfter },
  );

/**
 * Last express middleware: known errors keep their status; a body that is not JSON is a 400; a
 * query cancelled by statement_timeout is a 503 with Retry-After; anything else is logged and
 * answered as a 500 without a stack trace.
 */
export function errorHandler(log: (err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details ?? null } });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string; statusCode?: number; code?: unknown };
    if (e && e.code === QUERY_CANCELED) {
      const t = queryTimedOut();
      res
        .status(t.status)
        .setHeader('Retry-After', String(QUERY_TIMEOUT_RETRY_SECONDS))
        .json({ error: { code: t.code, message: t.message, details: t.details } });
      return;
    }
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
