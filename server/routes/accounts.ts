/**
 * Accounts, sessions, personal API tokens and the audit log (issue 15, part 3):
 *   POST /api/login {name, password}     session cookie + CSRF token (limited per client)
 *   POST /api/logout                     ends the session
 *   GET  /api/session                    who is calling, and the session's CSRF token
 *   POST /api/setup {token, name, password}  the first admin, with the one-time setup link
 *   POST /api/password                   own password (any account)
 *   GET/POST /api/accounts, PATCH /api/accounts/{id}   accounts (admin)
 *   GET/POST /api/tokens, DELETE /api/tokens/{id}      own API tokens (editor and admin)
 *   GET  /api/audit?limit&before&actor&action   the audit log, newest first, filtered (admin)
 * Unknown name and wrong password get the same answer. Bodies are never logged or audited.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import type { SessionView } from '../api-types.js';
import { parseOr400 } from '../http/validate.js';
import { requireRole } from '../http/require-role.js';
import { anonymousActor, type Actor } from '../http/actor.js';
import { clearSessionCookie, loginLimiter, setSessionCookie } from '../http/auth.js';
import { csrfRefusal } from '../http/csrf.js';
import { badRequest, HttpError, unauthorized } from '../http/errors.js';
import {
  AccountCreateBody,
  AccountPatchBody,
  AuditQuery,
  IdParams,
  LoginBody,
  PasswordChangeBody,
  SetupBody,
  TokenCreateBody,
} from '../services/accounts-schemas.js';
import { changeOwnPassword, checkLogin, createAccount, listAccounts, updateAccount } from '../services/accounts.js';
import { createSession, deleteSession, expireSessions } from '../services/accounts-sessions.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../services/accounts-tokens.js';
import { completeSetup, setupPending } from '../services/accounts-setup.js';
import { listAudit } from '../services/audit.js';
import { jsonRequestBody, parametersOf } from '../openapi.js';

/** The caller's account id; the automation token has none (400). */
function ownAccount(res: Response): number {
  const actor = res.locals.actor as Actor;
  if (actor.id === null)
    throw badRequest(
      'SOZIALATLAS_TOKEN gehört zu keinem Konto: bitte mit einem Konto anmelden oder dessen Token verwenden',
    );
  return actor.id;
}

export function accountsRoutes(ctx: AppContext): Router {
  const r = Router();
  const limitLogins = loginLimiter(ctx.config.rateLimits);

  const sessionView = async (res: Response, csrfToken: string | null): Promise<SessionView> => {
    const actor = (res.locals.actor ?? anonymousActor) as Actor;
    return {
      authenticated: actor.via !== 'anonymous',
      name: actor.via === 'anonymous' ? null : actor.name,
      role: actor.via === 'anonymous' ? null : actor.role,
      via: actor.via,
      csrfToken,
      private: ctx.config.private,
      setupPending: actor.via === 'anonymous' ? await setupPending(ctx.db) : false,
    };
  };

  /** Logs an account in: a new session, the cookie, and the answer with the CSRF token. */
  const startSession = async (res: Response, account: { id: number; name: string; role: Actor['role'] }) => {
    await expireSessions(ctx.db);
    const { token, csrf } = await createSession(ctx.db, account.id);
    setSessionCookie(res, ctx.config, token);
    res.locals.actor = { id: account.id, name: account.name, role: account.role, via: 'session' } satisfies Actor;
    res.locals.audit = { action: 'login', target: null };
    res.set('Cache-Control', 'no-store');
    res.json(await sessionView(res, csrf));
  };

  r.post('/api/login', limitLogins, async (req, res) => {
    const body = parseOr400(LoginBody, req.body ?? {}, 'Anmeldedaten');
    const account = await checkLogin(ctx.db, body.name, body.password);
    if (!account) throw unauthorized('Name oder Passwort ist falsch');
    await startSession(res, account);
  });

  r.post('/api/setup', limitLogins, async (req, res) => {
    const body = parseOr400(SetupBody, req.body ?? {}, 'Angaben');
    const account = await completeSetup(ctx.db, body.token, body.name, body.password);
    await startSession(res, account);
  });

  r.post('/api/logout', async (req: Request, res: Response) => {
    const session = res.locals.session as { id: string } | undefined;
    if (res.locals.authRefusal) throw new HttpError(403, 'forbidden', res.locals.authRefusal as string);
    if (!session) throw unauthorized('Nicht angemeldet');
    const csrf = csrfRefusal(req, res);
    if (csrf) throw csrf;
    await deleteSession(ctx.db, session.id);
    res.locals.audit = { action: 'logout', target: null };
    clearSessionCookie(res, ctx.config);
    res.status(204).end();
  });

  r.get('/api/session', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    const session = res.locals.session as { csrf: string } | undefined;
    res.json(await sessionView(res, session?.csrf ?? null));
  });

  r.post('/api/password', requireRole(ctx, 'viewer'), async (req, res) => {
    const body = parseOr400(PasswordChangeBody, req.body ?? {}, 'Angaben');
    const id = ownAccount(res);
    const session = res.locals.session as { id: string } | undefined;
    await changeOwnPassword(ctx.db, id, body.currentPassword, body.newPassword, session?.id ?? null);
    res.status(204).end();
  });

  r.get('/api/accounts', requireRole(ctx, 'admin'), async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await listAccounts(ctx.db));
  });
  r.post('/api/accounts', requireRole(ctx, 'admin'), async (req, res) => {
    const account = await createAccount(ctx.db, parseOr400(AccountCreateBody, req.body ?? {}, 'Angaben'));
    res.locals.audit.target = String(account.id);
    res.locals.auditDetail = { name: account.name, role: account.role };
    res.status(201).json(account);
  });
  r.patch('/api/accounts/:id', requireRole(ctx, 'admin'), async (req, res) => {
    const { id } = parseOr400(IdParams, req.params);
    const change = parseOr400(AccountPatchBody, req.body ?? {}, 'Angaben');
    const account = await updateAccount(ctx.db, id, change);
    // what changed, without the password itself
    res.locals.auditDetail = {
      role: change.role,
      disabled: change.disabled,
      passwordReset: change.password !== undefined,
    };
    res.json(account);
  });

  r.get('/api/tokens', requireRole(ctx, 'editor'), async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await listApiTokens(ctx.db, ownAccount(res)));
  });
  r.post('/api/tokens', requireRole(ctx, 'editor'), async (req, res) => {
    const body = parseOr400(TokenCreateBody, req.body ?? {}, 'Angaben');
    const created = await createApiToken(ctx.db, ownAccount(res), body.label, body.days);
    res.locals.audit.target = String(created.id);
    res.locals.auditDetail = { label: created.label, expires: created.expires };
    res.set('Cache-Control', 'no-store');
    res.status(201).json(created);
  });
  r.delete('/api/tokens/:id', requireRole(ctx, 'editor'), async (req, res) => {
    const { id } = parseOr400(IdParams, req.params);
    res.json(await revokeApiToken(ctx.db, ownAccount(res), id));
  });

  r.get('/api/audit', requireRole(ctx, 'admin'), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await listAudit(ctx.db, parseOr400(AuditQuery, req.query)));
  });

  return r;
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const auth = { security: [{ bearer: [] }, { session: [] }] };
const refused = {
  '401': errorResponse('nicht angemeldet'),
  '403': errorResponse('Rolle reicht nicht, Token ungültig oder CSRF-Token fehlt'),
};
const idParam = parametersOf(IdParams, 'path');

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const accountsPaths: Record<string, unknown> = {
  '/api/login': {
    post: {
      summary: 'Anmelden: setzt das Sitzungs-Cookie und gibt das CSRF-Token zurück',
      requestBody: jsonRequestBody(LoginBody),
      responses: {
        '200': { description: 'angemeldet (SessionView)' },
        '401': errorResponse('Name oder Passwort ist falsch'),
        '429': errorResponse('zu viele fehlgeschlagene Anmeldungen'),
      },
    },
  },
  '/api/logout': {
    post: { summary: 'Abmelden', ...auth, responses: { '204': { description: 'abgemeldet' }, ...refused } },
  },
  '/api/session': {
    get: {
      summary: 'Wer bin ich: Name, Rolle, CSRF-Token der Sitzung',
      responses: { '200': { description: 'SessionView' } },
    },
  },
  '/api/setup': {
    post: {
      summary: 'Erstes Admin-Konto mit dem einmaligen Einrichtungslink anlegen',
      requestBody: jsonRequestBody(SetupBody),
      responses: {
        '200': { description: 'angelegt und angemeldet' },
        '403': errorResponse('Link ungültig oder benutzt'),
      },
    },
  },
  '/api/password': {
    post: {
      summary: 'Eigenes Passwort ändern',
      ...auth,
      requestBody: jsonRequestBody(PasswordChangeBody),
      responses: { '204': { description: 'geändert' }, ...refused },
    },
  },
  '/api/accounts': {
    get: { summary: 'Konten (Admin)', ...auth, responses: { '200': { description: 'AccountView[]' }, ...refused } },
    post: {
      summary: 'Konto anlegen (Admin)',
      ...auth,
      requestBody: jsonRequestBody(AccountCreateBody),
      responses: { '201': { description: 'angelegt' }, '409': errorResponse('Name vergeben'), ...refused },
    },
  },
  '/api/accounts/{id}': {
    patch: {
      summary: 'Rolle ändern, sperren oder Passwort zurücksetzen (Admin); beendet die Sitzungen des Kontos',
      ...auth,
      parameters: idParam,
      requestBody: jsonRequestBody(AccountPatchBody),
      responses: { '200': { description: 'geändert' }, '404': errorResponse('kein solches Konto'), ...refused },
    },
  },
  '/api/tokens': {
    get: {
      summary: 'Eigene API-Tokens (ohne Geheimnis)',
      ...auth,
      responses: { '200': { description: 'ApiTokenView[]' }, ...refused },
    },
    post: {
      summary: 'Persönliches API-Token anlegen: wird nur in dieser Antwort gezeigt',
      ...auth,
      requestBody: jsonRequestBody(TokenCreateBody),
      responses: { '201': { description: 'ApiTokenCreated' }, ...refused },
    },
  },
  '/api/tokens/{id}': {
    delete: {
      summary: 'Eigenes API-Token widerrufen (gilt sofort)',
      ...auth,
      parameters: idParam,
      responses: { '200': { description: 'widerrufen' }, '404': errorResponse('kein eigenes Token'), ...refused },
    },
  },
  '/api/audit': {
    get: {
      summary: 'Audit-Log der Schreibzugriffe, neueste zuerst (Admin)',
      ...auth,
      parameters: parametersOf(AuditQuery, 'query'),
      responses: { '200': { description: 'AuditEntry[]' }, ...refused },
    },
  },
};
