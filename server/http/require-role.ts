/**
 * The one place routes ask for permission: `requireRole(ctx, 'editor')` for imports, runs,
 * publishing, rules and own API tokens, `requireRole(ctx, 'admin')` for settings, accounts and the
 * audit log, `requireRole(ctx, 'viewer')` for anything that needs just a login. The caller was
 * resolved by actor.ts: no credentials → 401, a refused token → 403, a too-small role → 403, a
 * cookie-authenticated write without the right CSRF token → 403 (csrf.ts). A request that passes
 * is marked for the audit log (action = the route, target = its id), written after the response.
 */
import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { HttpError, unauthorized } from './errors.js';
import { anonymousActor, type Actor } from './actor.js';
import { csrfRefusal } from './csrf.js';

/** Roles in ascending order of rights: viewer reads public data, editor writes data, admin administers. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `held` includes the rights of `needed`. */
export const roleAtLeast = (held: Role, needed: Role) => ROLES.indexOf(held) >= ROLES.indexOf(needed);

/** What the audit middleware records for a request that passed (res.locals.audit). */
export interface AuditMark {
  action: string;
  target: string | null;
}

/** Guards a route: the caller must hold at least `role`. */
export function requireRole(_ctx: AppContext, role: Role): RequestHandler {
  return (req, res, next) => {
    const actor: Actor = res.locals.actor ?? anonymousActor;
    const refused = res.locals.authRefusal as string | undefined;
    if (refused) return next(new HttpError(403, 'forbidden', refused));
    if (actor.via === 'anonymous')
      return next(unauthorized('Anmeldung erforderlich: bitte anmelden oder Authorization: Bearer <token> senden'));
    const csrf = csrfRefusal(req, res);
    if (csrf) return next(csrf);
    if (!roleAtLeast(actor.role, role))
      return next(
        new HttpError(
          403,
          'forbidden',
          `Keine Berechtigung: dafür braucht es die Rolle ${role} (angemeldet als ${actor.role})`,
        ),
      );
    const params = req.params as Record<string, string | undefined>;
    const target = params.id ?? params.key ?? params.level ?? null;
    res.locals.audit = { action: `${req.method} ${req.route?.path ?? req.path}`, target } satisfies AuditMark;
    next();
  };
}
