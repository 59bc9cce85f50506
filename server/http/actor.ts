/**
 * Who is calling, resolved once per request into res.locals.actor:
 *   - `Authorization: Bearer <SOZIALATLAS_TOKEN>`: the automation token, admin (via env-token);
 *   - `Authorization: Bearer sat_…`: a personal API token, with its account's role (via api-token);
 *     a revoked, expired, unknown or disabled one is refused at once (res.locals.authRefusal, and
 *     res.locals.authFailed for the wrong-token limit in rate-limits.ts);
 *   - the session cookie (via session; res.locals.session holds its id and CSRF token);
 *   - nobody (anonymous viewer).
 * Also here: the gate of the internal mode (SOZIALATLAS_PRIVATE=1: reads need a login) and the
 * audit middleware that records every write that passed requireRole after its response.
 */
import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import type { AccountRole } from '../api-types.js';
import { checkApiToken, API_TOKEN_PREFIX } from '../services/accounts-tokens.js';
import { findSession } from '../services/accounts-sessions.js';
import { recordAudit } from '../services/audit.js';
import { bearerToken, envTokenMatcher, sessionCookie } from './auth.js';
import { changesState } from './csrf.js';
import { HttpError, unauthorized } from './errors.js';
import type { AuditMark } from './require-role.js';

export interface Actor {
  /** The account's id; null for the automation token and for anonymous callers. */
  id: number | null;
  name: string;
  role: AccountRole;
  via: 'session' | 'api-token' | 'env-token' | 'anonymous';
}

export const anonymousActor: Actor = Object.freeze({ id: null, name: 'anonym', role: 'viewer', via: 'anonymous' });

/** Name under which the automation token appears in the audit log. */
export const ENV_TOKEN_ACTOR = 'SOZIALATLAS_TOKEN';

const REFUSALS = {
  unknown: 'Token ungültig',
  revoked: 'Token widerrufen',
  expired: 'Token abgelaufen',
  disabled: 'Das Konto dieses Tokens ist gesperrt',
} as const;

const SERVED = /^\/(api|tiles|profile)(\/|$)/;

/**
 * Resolves the caller of /api, /tiles and /profile requests. Requests without credentials and the
 * automation token need no database; tile reads in the public mode are not resolved at all (the
 * hot path, and reads are open).
 */
export function resolveActor(ctx: AppContext): RequestHandler {
  const isEnvToken = envTokenMatcher(ctx.config.apiToken);
  return (req, res, next) => {
    res.locals.actor = anonymousActor;
    if (!SERVED.test(req.path)) return next();
    if (!ctx.config.private && req.path.startsWith('/tiles/') && !changesState(req.method)) return next();
    const token = bearerToken(req);
    const resolve = async () => {
      if (token !== null) {
        if (isEnvToken(token)) {
          res.locals.actor = { id: null, name: ENV_TOKEN_ACTOR, role: 'admin', via: 'env-token' } satisfies Actor;
          return;
        }
        const check =
          token.startsWith(API_TOKEN_PREFIX) && token.length < 200 ? await checkApiToken(ctx.db, token) : null;
        if (check?.ok) {
          res.locals.actor = {
            id: check.accountId,
            name: check.name,
            role: check.role,
            via: 'api-token',
          } satisfies Actor;
          return;
        }
        res.locals.authFailed = true;
        res.locals.authRefusal = REFUSALS[check?.reason ?? 'unknown'];
        return;
      }
      const cookie = sessionCookie(req);
      if (cookie === null) return;
      const session = await findSession(ctx.db, cookie);
      if (!session) return;
      res.locals.actor = {
        id: session.accountId,
        name: session.name,
        role: session.role,
        via: 'session',
      } satisfies Actor;
      res.locals.session = { id: session.sessionId, csrf: session.csrf };
    };
    resolve().then(() => next(), next);
  };
}

/** Paths open in the internal mode: logging in needs no login. */
const OPEN_IN_PRIVATE = new Set(['/api/login', '/api/logout', '/api/session', '/api/setup']);

/** The internal mode's gate (SOZIALATLAS_PRIVATE=1): /api, /tiles and /profile need a login. */
export function privateGate(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    if (!ctx.config.private || !SERVED.test(req.path) || OPEN_IN_PRIVATE.has(req.path)) return next();
    if (res.locals.authRefusal) return next(new HttpError(403, 'forbidden', res.locals.authRefusal as string));
    if ((res.locals.actor as Actor).via === 'anonymous')
      return next(unauthorized('Anmeldung erforderlich: Sozialatlas läuft im internen Modus, bitte anmelden'));
    next();
  };
}

/**
 * Records each state-changing request that passed authorisation (res.locals.audit, set by
 * requireRole and the login routes) once its response has finished: actor, role, method, path,
 * action, target, res.locals.auditDetail if the route set one, and the status. A failed write of
 * the log is logged, never the request's body.
 */
export function auditWrites(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    if (!changesState(req.method)) return next();
    res.on('finish', () => {
      const mark = res.locals.audit as AuditMark | undefined;
      if (!mark) return;
      const actor = (res.locals.auditActor ?? res.locals.actor ?? anonymousActor) as Actor;
      recordAudit(ctx.db, {
        actor: actor.name,
        role: actor.role,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        action: mark.action,
        target: mark.target,
        detail: res.locals.auditDetail ?? null,
        status: res.statusCode,
      }).catch((err: unknown) => ctx.log.error({ err }, 'Eintrag ins Audit-Log fehlgeschlagen'));
    });
    next();
  };
}
