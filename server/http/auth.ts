/**
 * Bearer-token protection for write endpoints (imports, runs, deletes); reads stay public. The
 * token is compared in constant time (SHA-256 digests of equal length), so neither its content
 * nor its length can be guessed from response times. A wrong token is marked in
 * res.locals.authFailed, which the failed-authentication limit (rate-limits.ts) counts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError, unauthorized } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Guards write endpoints: requires `Authorization: Bearer <token>` matching the configured token. */
export function requireToken(token: string | undefined): RequestHandler {
  const expected = token ? digest(token) : null;
  return (req, res, next) => {
    if (!expected)
      return next(
        new HttpError(403, 'writes_disabled', 'Schreibzugriff ist ausgeschaltet: kein SOZIALATLAS_TOKEN gesetzt'),
      );
    const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (!m) return next(unauthorized());
    if (!timingSafeEqual(digest(m[1]), expected)) {
      res.locals.authFailed = true;
      return next(new HttpError(403, 'forbidden', 'Token ungültig'));
    }
    next();
  };
}
