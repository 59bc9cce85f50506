/**
 * Per-client request limits (express-rate-limit, in memory, per process), configured in
 * config.rateLimits (0 switches a limit off):
 *   runs        POST /api/typologies and POST /api/hotspots: each occupies an analysis worker;
 *   downloads   profile ZIPs, /api/export.* and every ?format=csv|csv-de|xlsx export: each reads a
 *               whole level (isDownload);
 *   auth        wrong tokens: after `authFailures` wrong tokens within the window every request of
 *               that client carrying a token is refused, so a token cannot be guessed by trying.
 * Only requests that succeed count against runs and downloads (a 400 costs nothing). Over a limit
 * the answer is 429 with Retry-After (seconds) and the usual {error} body.
 */
import { rateLimit } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
import type { RateLimits } from '../config.js';
import { HttpError } from './errors.js';

const pass: RequestHandler = (_req, _res, next) => next();

function limiter(
  limit: number,
  windowMs: number,
  message: string,
  extra: Partial<Parameters<typeof rateLimit>[0]> = {},
): RequestHandler {
  if (limit <= 0) return pass;
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, 'too_many_requests', message, { limit, windowMs })),
    ...extra,
  });
}

const perWindow = (limits: RateLimits) =>
  limits.windowMs % 60_000 === 0 ? `${limits.windowMs / 60_000} min` : `${limits.windowMs / 1000} s`;

/** Analysis runs per client (POST /api/typologies, POST /api/hotspots). */
export function runLimiter(limits: RateLimits): RequestHandler {
  return limiter(
    limits.runs,
    limits.windowMs,
    `Zu viele Analyseläufe: höchstens ${limits.runs} je ${perWindow(limits)} und Client; bitte später erneut versuchen`,
    { skipFailedRequests: true },
  );
}

/** Exports and ZIPs (the requests downloadLimiter counts). */
export function isDownload(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (/^\/profile\/[^/]+\.zip$/.test(req.path) || /^\/api\/export[./]/.test(req.path)) return true;
  const format = req.query.format;
  return typeof format === 'string' && /^(csv|csv-de|xlsx)$/.test(format);
}

/** Downloads of whole levels per client (isDownload); other requests pass uncounted. */
export function downloadLimiter(limits: RateLimits): RequestHandler {
  const limit = limiter(
    limits.downloads,
    limits.windowMs,
    `Zu viele Downloads: höchstens ${limits.downloads} je ${perWindow(limits)} und Client; bitte später erneut versuchen`,
    { skipFailedRequests: true },
  );
  return (req, res, next) => (isDownload(req) ? limit(req, res, next) : next());
}

/**
 * Counts wrong tokens per client (requireToken marks them in res.locals.authFailed); requests
 * without an Authorization header are not counted. Mount before the routes.
 */
export function authFailureLimiter(limits: RateLimits): RequestHandler {
  return limiter(
    limits.authFailures,
    limits.authWindowMs,
    `Zu viele ungültige Tokens von diesem Client: Schreibzugriff vorübergehend gesperrt`,
    {
      skip: (req) => !req.headers.authorization,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.locals.authFailed !== true,
    },
  );
}
