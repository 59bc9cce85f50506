/**
 * Credentials of a request, read without judging them: the bearer token (compared with
 * SOZIALATLAS_TOKEN in constant time, as SHA-256 digests of equal length, so neither its content
 * nor its length can be guessed from response times), the session cookie (set and cleared here
 * with HttpOnly, SameSite=Strict, Path=/ and Secure behind https), and the limit on failed logins.
 * Who the caller is follows in actor.ts; what the caller may do in require-role.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config, RateLimits } from '../config.js';
import { SESSION_HOURS } from '../services/accounts-sessions.js';
import { HttpError } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The token of `Authorization: Bearer <token>`, or null without one. */
export function bearerToken(req: Request): string | null {
  const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
  return m ? m[1] : null;
}

/** A test whether a token is SOZIALATLAS_TOKEN (constant time); always false when none is set. */
export function envTokenMatcher(token: string | undefined): (candidate: string) => boolean {
  const expected = token ? digest(token) : null;
  return (candidate) => expected !== null && timingSafeEqual(digest(candidate), expected);
}

/** Name of the session cookie. */
export const SESSION_COOKIE = 'sozialatlas_session';

/** A random-id cookie's value (20–100 of [A-Za-z0-9_-]), or null when absent or malformed. */
export function idCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[\w-]{20,100}$/.test(value) ? value : null;
    }
  }
  return null;
}

/** The session cookie's value, or null. */
export const sessionCookie = (req: Request): string | null => idCookie(req, SESSION_COOKIE);

/** Secure cookies when the public URL is https (TLS in front of the service). */
const secure = (config: Config) => config.publicUrl.startsWith('https:');

/** Sets the session cookie after a login (HttpOnly, SameSite=Strict, Path=/, Secure behind https). */
export function setSessionCookie(res: Response, config: Config, token: string): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: secure(config),
    maxAge: SESSION_HOURS * 3600_000,
  });
}

/** Clears the session cookie (logout). */
export function clearSessionCookie(res: Response, config: Config): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: secure(config) });
}

/**
 * Failed logins and setup attempts per client (POST /api/login, POST /api/setup): after
 * `authFailures` failures within `authWindowMs` (the wrong-token limits, default 10 per 15 min)
 * every attempt of that client is refused with 429 until the window ends; successful logins are
 * not counted.
 */
export function loginLimiter(limits: RateLimits): RequestHandler {
  if (limits.authFailures <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: limits.authWindowMs,
    limit: limits.authFailures,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    handler: (_req, _res, next) =>
      next(
        new HttpError(
          429,
          'too_many_requests',
          'Zu viele fehlgeschlagene Anmeldungen von diesem Client: bitte später erneut versuchen',
          {
            limit: limits.authFailures,
            windowMs: limits.authWindowMs,
          },
        ),
      ),
  });
}
