/**
 * CSRF protection of cookie-authenticated writes: a request authenticated by the session cookie
 * that changes state (POST, PUT, PATCH, DELETE) must carry `X-CSRF-Token` equal to its session's
 * CSRF token (from POST /api/login and GET /api/session), compared in constant time. A cross-site
 * page cannot read that token, so it cannot forge the header. Requests with a bearer token need
 * none: no ambient credential is sent by a browser on its own.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { HttpError } from './errors.js';

export const CSRF_HEADER = 'X-CSRF-Token';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Whether a request method changes state. */
export const changesState = (method: string) => STATE_CHANGING.has(method.toUpperCase());

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The CSRF refusal (403), or null when the request passes: not a state change, not cookie-based, or the right token. */
export function csrfRefusal(req: Request, res: Response): HttpError | null {
  if (!changesState(req.method)) return null;
  const session = res.locals.session as { csrf: string } | undefined;
  if (res.locals.actor?.via !== 'session' || !session) return null;
  const sent = req.get(CSRF_HEADER);
  if (sent && timingSafeEqual(digest(sent), digest(session.csrf))) return null;
  return new HttpError(403, 'csrf', 'CSRF-Token fehlt oder ist ungültig');
}
