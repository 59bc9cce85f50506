/**
 * Single sign-on with OpenID Connect (issue 15, part 3; services/oidc.ts does the protocol):
 *   GET /api/oidc                    whether SSO is configured (the login dialog shows its button)
 *   GET /api/oidc/login?zurueck=/…   redirect to the IdP (code flow + PKCE + state + nonce)
 *   GET /api/oidc/callback           the IdP's answer: the same session as POST /api/login
 *                                    (cookie + CSRF token from GET /api/session), an audit entry,
 *                                    and a redirect back into the app
 * Mounted before the caller is resolved: these routes need no login, also in the internal mode.
 * A failure is a German message: an HTML page for a browser, {error} JSON otherwise; never a 500.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Actor } from '../http/actor.js';
import { idCookie, loginLimiter, sessionCookie, setSessionCookie } from '../http/auth.js';
import { escapeHtml } from '../../geodata/report/format.js';
import { HttpError, notFound } from '../http/errors.js';
import { parseOr400 } from '../http/validate.js';
import { parametersOf } from '../openapi.js';
import { createSession, deleteSession, expireSessions } from '../services/accounts-sessions.js';
import { secretHash } from '../services/accounts-secret.js';
import { recordAudit } from '../services/audit.js';
import { FLOW_MINUTES, oidcService, safeReturnTo } from '../services/oidc.js';

/** GET /api/oidc/login: where to return afterwards (a path of this app; anything else goes to the start page). */
const LoginQuery = z.object({
  zurueck: z
    .string()
    .max(1000)
    .optional()
    .describe('Pfad dieser Anwendung, zu dem nach der Anmeldung zurückgekehrt wird (sonst die Startseite)'),
});

/** GET /api/oidc/callback: what the IdP sends back (openid-client checks it; other parameters pass). */
const short = z.string().max(4000).optional();
const CallbackQuery = z.looseObject({ code: short, state: short, iss: short, error: short, error_description: short });

/** Cookie binding a login under way to this browser. SameSite=Lax: the IdP's redirect back is a cross-site navigation. */
export const OIDC_FLOW_COOKIE = 'sozialatlas_oidc';
const FLOW_PATH = '/api/oidc';

/** The flow cookie's value, or null. */
const flowCookie = (req: Request): string | null => idCookie(req, OIDC_FLOW_COOKIE);

export function oidcRoutes(ctx: AppContext): Router {
  const r = Router();
  const cfg = ctx.config.oidc;
  const service = cfg ? oidcService(cfg, ctx.db) : null;
  const secure = ctx.config.publicUrl.startsWith('https:');
  const home = `${ctx.config.publicUrl}/`;
  // discovery at start, so an unreachable IdP shows in the log before the first login (which retries)
  service?.ready().catch((err: unknown) => ctx.log.error({ err }, 'Single Sign-on: Anmeldedienst nicht erreichbar'));

  /** A failure: a German page for a browser, the usual JSON error otherwise. */
  const fail = (req: Request, res: Response, err: unknown) => {
    const e = err instanceof HttpError ? err : new HttpError(500, 'internal', 'Interner Fehler bei der Anmeldung');
    if (e.status >= 500 && e.code === 'internal') ctx.log.error({ err }, 'Single Sign-on: unerwarteter Fehler');
    else ctx.log.info({ status: e.status, message: e.message, details: e.details }, 'Single Sign-on abgelehnt');
    res.status(e.status).set('Cache-Control', 'no-store');
    if (req.accepts(['json', 'html']) === 'html') {
      res
        .type('html')
        .send(
          `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Anmeldung fehlgeschlagen – Sozialatlas</title></head>` +
            `<body><main><h1>Anmeldung fehlgeschlagen</h1><p>${escapeHtml(e.message)}</p>` +
            `<p><a href="${escapeHtml(home)}">Zurück zum Sozialatlas</a></p></main></body></html>`,
        );
      return;
    }
    res.json({ error: { code: e.code, message: e.message, details: e.details ?? null } });
  };

  const notConfigured = () => notFound('Single Sign-on (OpenID Connect) ist auf diesem Server nicht eingerichtet');

  r.get('/api/oidc', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ enabled: service !== null });
  });

  r.get('/api/oidc/login', async (req, res) => {
    try {
      if (!service) throw notConfigured();
      const { zurueck } = parseOr400(LoginQuery, req.query);
      const { url, flowToken } = await service.start(safeReturnTo(zurueck));
      res.cookie(OIDC_FLOW_COOKIE, flowToken, {
        httpOnly: true,
        sameSite: 'lax',
        path: FLOW_PATH,
        secure,
        maxAge: FLOW_MINUTES * 60_000,
      });
      res.set('Cache-Control', 'no-store').redirect(303, url);
    } catch (err) {
      fail(req, res, err);
    }
  });

  r.get('/api/oidc/callback', loginLimiter(ctx.config.rateLimits), async (req, res) => {
    try {
      if (!service || !cfg) throw notConfigured();
      parseOr400(CallbackQuery, req.query, 'Antwort des Anmeldedienstes');
      res.clearCookie(OIDC_FLOW_COOKIE, { httpOnly: true, sameSite: 'lax', path: FLOW_PATH, secure });
      // the URL the IdP redirected to, on the registered redirect URI (not the Host header)
      const callbackUrl = new URL(cfg.redirectUri);
      callbackUrl.search = new URL(req.originalUrl, 'http://x').search;
      const account = await service.finish(flowCookie(req), callbackUrl);
      // a session of this browser from before ends: one browser, one login
      const previous = sessionCookie(req);
      if (previous) await deleteSession(ctx.db, secretHash(previous));
      await expireSessions(ctx.db);
      const { token } = await createSession(ctx.db, account.id);
      setSessionCookie(res, ctx.config, token);
      const actor: Actor = { id: account.id, name: account.name, role: account.role, via: 'session' };
      await recordAudit(ctx.db, {
        actor: actor.name,
        role: actor.role,
        method: 'GET',
        path: '/api/oidc/callback',
        action: 'login',
        target: String(account.id),
        detail: { via: 'oidc', issuer: cfg.issuer, created: account.created, previousRole: account.previousRole },
        status: 303,
      });
      res.set('Cache-Control', 'no-store').redirect(303, account.returnTo ?? home);
    } catch (err) {
      fail(req, res, err);
    }
  });

  return r;
}

const errorResponse = (description: string) => ({
  description,
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/Error' } },
    'text/html': { schema: { type: 'string' } },
  },
});

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const oidcPaths: Record<string, unknown> = {
  '/api/oidc': {
    get: {
      summary: 'Ist Single Sign-on (OpenID Connect) eingerichtet? {enabled}',
      responses: { '200': { description: '{ "enabled": boolean }' } },
    },
  },
  '/api/oidc/login': {
    get: {
      summary: 'Anmeldung über den Anmeldedienst (OpenID Connect) beginnen: Weiterleitung dorthin',
      parameters: parametersOf(LoginQuery, 'query'),
      responses: {
        '303': { description: 'Weiterleitung zum Anmeldedienst; setzt ein kurzlebiges Cookie für den Vorgang' },
        '400': errorResponse('zurueck ungültig'),
        '404': errorResponse('Single Sign-on ist nicht eingerichtet'),
        '503': errorResponse('Anmeldedienst nicht erreichbar'),
      },
    },
  },
  '/api/oidc/callback': {
    get: {
      summary: 'Rückkehr vom Anmeldedienst: prüft die Antwort, ordnet die Rolle zu und meldet an (Sitzungs-Cookie)',
      parameters: parametersOf(CallbackQuery, 'query'),
      responses: {
        '303': { description: 'angemeldet: Weiterleitung in die Anwendung' },
        '400': errorResponse('Vorgang abgelaufen, state falsch oder Antwort ungültig'),
        '403': errorResponse('abgelehnt: keine passende Rolle, Konto gesperrt oder vom Anmeldedienst verweigert'),
        '404': errorResponse('Single Sign-on ist nicht eingerichtet'),
        '429': errorResponse('zu viele fehlgeschlagene Anmeldungen'),
        '503': errorResponse('Anmeldedienst nicht erreichbar'),
      },
    },
  },
};
