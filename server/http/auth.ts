/**
 * Bearer-token protection for write endpoints (imports, runs, deletes); reads stay public. The
 * token is compared in constant time so its content cannot be guessed from response times.
 */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError, unauthorized } from './errors.js';

/** Guards write endpoints: requires `Authorization: Bearer <token>` matching the configured token. */
export function requireToken(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (!token)
      return next(
        new HttpError(403, 'writes_disabled', 'Schreibzugriff ist ausgeschaltet: kein SOZIALATLAS_TOKEN gesetzt'),
      );
    const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (!m) return next(unauthorized());
    const a = Buffer.from(m[1]);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return next(new HttpError(403, 'forbidden', 'Token ungültig'));
    next();
  };
}
