/**
 * Single sign-on with OpenID Connect (issue 15, part 3) against a real IdP in this process: panva's
 * oidc-provider (the OpenID Certified reference provider) on a loopback port, its development
 * login and consent forms driven with fetch and a cookie jar, no network beyond 127.0.0.1. The app
 * runs in memory (supertest) with one database per file: an SSO login creates a local account
 * linked to (issuer, sub) with the role mapped from the `groups` claim (read from userinfo, where
 * oidc-provider puts scope claims), opens the same session as /api/login (cookie + CSRF token),
 * the editor writes and the viewer is refused; a tampered state, an account without a matching
 * group and an unreachable IdP end in German messages; a second login follows a changed claim; the
 * audit log has each SSO login. Plus the configuration's validation (pure).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import type { AuditEntry, SessionView } from '../../server/api-types.js';
import { createAccount } from '../../server/services/accounts.js';
import { oidcConfigFromEnv, roleFromClaim } from '../../server/services/oidc-config.js';
import { openTestDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };
const APP_URL = 'http://localhost:8099';
const CLIENT = { id: 'sozialatlas', secret: 'client-geheimnis-0123456789' };
const ROLES = 'admin:sozialatlas-admin,editor:sozialatlas-editor,viewer:sozialatlas-lesen';
const ENV_TOKEN = { Authorization: 'Bearer test-token' };

/** The IdP's directory: groups per account id (changed by the tests between logins). */
const directory: Record<string, { name: string; groups?: string[] }> = {
  eva: { name: 'eva', groups: ['sozialatlas-editor', 'kita-team'] },
  vic: { name: 'vic', groups: ['sozialatlas-lesen'] },
  nora: { name: 'nora' }, // no groups claim at all
};

/** A tiny cookie jar for the IdP's cookies (names are unique enough to ignore their paths). */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** What the app answered at its callback, with the session cookie it set (if any). */
interface Callback {
  status: number;
  location: string | undefined;
  body: { error?: { message: string } };
  text: string;
  session: string | undefined;
}

describe(`single sign-on with OpenID Connect (${backend})`, () => {
  let db: Db;
  let app: Express;
  let idp: Server;
  let issuer: string;

  /**
   * One SSO login of `user` from a fresh browser: /api/oidc/login, the IdP's login and consent
   * forms, then the app's callback (with the state changed when `tamper`).
   */
  async function ssoLogin(
    user: string,
    opts: { tamper?: boolean; html?: boolean; abort?: boolean } = {},
  ): Promise<Callback> {
    const start = await request(app).get('/api/oidc/login?zurueck=/karte%23ebene%3Dplr').expect(303);
    const flow = ([] as string[])
      .concat(start.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('sozialatlas_oidc='))!;
    expect(flow).toMatch(/; HttpOnly/);
    expect(flow).toMatch(/; SameSite=Lax/);
    let url = start.headers.location as string;
    const auth = new URL(url);
    expect(auth.origin + auth.pathname).toBe(`${issuer}/auth`);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('redirect_uri')).toBe(`${APP_URL}/api/oidc/callback`);
    for (const p of ['state', 'nonce', 'code_challenge']) expect(auth.searchParams.get(p)).toMatch(/^[\w-]{40,}$/);
    const jar = new Jar();
    for (let step = 0; step < 12 && !url.startsWith(APP_URL); step++) {
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.take(res);
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location')!, url).href;
        continue;
      }
      const html = await res.text();
      expect(res.status, html.slice(0, 300)).toBe(200);
      const prompt = /name="prompt" value="(\w+)"/.exec(html)![1];
      if (opts.abort) {
        // the user cancels at the IdP: it answers error=access_denied to the app
        const aborted = await fetch(`${url}/abort`, { redirect: 'manual', headers: { cookie: jar.header() } });
        jar.take(aborted);
        url = new URL(aborted.headers.get('location')!, url).href;
        continue;
      }
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login: user, password: 'egal' } : { prompt });
      const submitted = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      jar.take(submitted);
      url = new URL(submitted.headers.get('location')!, url).href;
    }
    const back = new URL(url);
    expect(back.origin + back.pathname).toBe(`${APP_URL}/api/oidc/callback`);
    if (opts.tamper) back.searchParams.set('state', `${back.searchParams.get('state')}x`);
    const res = await request(app)
      .get(back.pathname + back.search)
      .set('Cookie', flow.split(';')[0])
      .set('Accept', opts.html ? 'text/html' : 'application/json');
    const session = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('sozialatlas_session='));
    return { status: res.status, location: res.headers.location, body: res.body, text: res.text, session };
  }

  const oidcAppConfig = () => ({
    ...configFromEnv({
      SOZIALATLAS_AUTH_FAILURES: '0',
      SOZIALATLAS_PUBLIC_URL: APP_URL,
      SOZIALATLAS_OIDC_ISSUER: issuer,
      SOZIALATLAS_OIDC_CLIENT_ID: CLIENT.id,
      SOZIALATLAS_OIDC_CLIENT_SECRET: CLIENT.secret,
      SOZIALATLAS_OIDC_ROLES: ROLES,
      SOZIALATLAS_OIDC_SCOPES: 'openid profile groups',
    }),
    apiToken: 'test-token',
  });

  const sessionOf = async (cookie: string) =>
    (await request(app).get('/api/session').set('Cookie', cookie.split(';')[0]).expect(200)).body as SessionView;

  beforeAll(async () => {
    idp = createServer();
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT.id,
          client_secret: CLIENT.secret,
          redirect_uris: [`${APP_URL}/api/oidc/callback`],
          response_types: ['code'],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [{ ...key, kid: 'test', alg: 'RS256', use: 'sig' }] as never },
      cookies: { keys: ['idp-cookie-key-for-tests'] },
      claims: { openid: ['sub'], profile: ['preferred_username', 'name'], groups: ['groups'] },
      features: { devInteractions: { enabled: true } },
      findAccount: (_ctx, sub) => ({
        accountId: sub,
        claims: () => ({
          sub,
          preferred_username: directory[sub]?.name ?? sub,
          ...(directory[sub]?.groups ? { groups: directory[sub].groups } : {}),
        }),
      }),
    });
    idp.on('request', provider.callback());

    db = await openTestDb();
    app = createApp({ db, config: oidcAppConfig(), log: silent });
    // a local account named like the IdP's eva: SSO must not take it over
    await createAccount(db, { name: 'eva', role: 'admin', password: 'lokal-geheim-1' });
  });
  afterAll(async () => {
    idp?.closeAllConnections();
    await new Promise((resolve) => idp?.close(resolve));
    await db?.close();
  });

  it('tells the client that SSO is configured; its routes stay open in the internal mode', async () => {
    expect((await request(app).get('/api/oidc').expect(200)).body).toEqual({ enabled: true });
    const internal = createApp({ db, config: { ...oidcAppConfig(), private: true }, log: silent });
    expect((await request(internal).get('/api/oidc').expect(200)).body).toEqual({ enabled: true });
    const start = await request(internal).get('/api/oidc/login').expect(303);
    expect(start.headers.location).toMatch(new RegExp(`^${issuer}/auth\\?`));
    await request(internal).get('/api/imports').expect(401);
  });

  it('an editor logs in through the IdP: own linked account, the same session as /api/login, writes; back to the page', async () => {
    const cb = await ssoLogin('eva');
    expect(cb.status).toBe(303);
    expect(cb.location).toBe('/karte#ebene=plr');
    expect(cb.session).toMatch(/; HttpOnly/);
    expect(cb.session).toMatch(/; SameSite=Strict/);
    const view = await sessionOf(cb.session!);
    // the local 'eva' (admin) is untouched: the IdP's eva got an account of her own
    expect(view).toMatchObject({ authenticated: true, name: 'eva-sso', role: 'editor', via: 'session' });
    const { rows } = await db.query<{ name: string; role: string; issuer: string; subject: string }>(
      `SELECT a.name, a.role, o.issuer, o.subject FROM account a LEFT JOIN account_oidc o ON o.account = a.id ORDER BY a.id`,
    );
    expect(rows).toEqual([
      { name: 'eva', role: 'admin', issuer: null, subject: null },
      { name: 'eva-sso', role: 'editor', issuer, subject: 'eva' },
    ]);
    // the SSO account has no password: a password login with anything fails
    await request(app).post('/api/login').send({ name: 'eva-sso', password: '!sso' }).expect(401);

    const cookie = cb.session!.split(';')[0];
    expect((await request(app).get('/api/imports').set('Cookie', cookie).expect(200)).body).toEqual([]);
    // a write needs the session's CSRF token, as after a password login
    await request(app).post('/api/tokens').set('Cookie', cookie).send({ label: 'skript', days: 30 }).expect(403);
    const created = await request(app)
      .post('/api/tokens')
      .set({ Cookie: cookie, 'X-CSRF-Token': view.csrfToken! })
      .send({ label: 'skript', days: 30 })
      .expect(201);
    expect(created.body.label).toBe('skript');
    // the flow is used up at its callback (only the unfinished one of the internal-mode check is left)
    expect((await db.query<{ return_to: string | null }>('SELECT return_to FROM oidc_flow')).rows).toEqual([
      { return_to: null },
    ]);
  });

  it('a viewer group gives the viewer role: reading yes, the editor routes no (403)', async () => {
    const cb = await ssoLogin('vic');
    expect(cb.status).toBe(303);
    const view = await sessionOf(cb.session!);
    expect(view).toMatchObject({ name: 'vic', role: 'viewer' });
    const cookie = cb.session!.split(';')[0];
    const refused = await request(app).get('/api/imports').set('Cookie', cookie).expect(403);
    expect(refused.body.error.message).toBe(
      'Keine Berechtigung: dafür braucht es die Rolle editor (angemeldet als viewer)',
    );
    await request(app)
      .post('/api/tokens')
      .set({ Cookie: cookie, 'X-CSRF-Token': view.csrfToken! })
      .send({ label: 'x', days: 1 })
      .expect(403);
  });

  it('a second login follows the changed claim: same account, new role, old sessions end', async () => {
    const first = await ssoLogin('vic');
    const before = await sessionOf(first.session!);
    expect(before.role).toBe('viewer');
    directory.vic.groups = ['sozialatlas-editor'];
    const second = await ssoLogin('vic');
    expect(second.status).toBe(303);
    expect(await sessionOf(second.session!)).toMatchObject({ name: 'vic', role: 'editor', authenticated: true });
    await request(app).get('/api/imports').set('Cookie', second.session!.split(';')[0]).expect(200);
    // the viewer session of before is gone with the role change
    expect(await sessionOf(first.session!)).toMatchObject({ authenticated: false });
    const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM account WHERE name = 'vic'");
    expect(Number(rows[0].n)).toBe(1);
  });

  it('a tampered state is refused with a German message (JSON and a page for the browser), no session', async () => {
    const json = await ssoLogin('eva', { tamper: true });
    expect(json.status).toBe(400);
    expect(json.body.error!.message).toBe(
      'Anmeldung abgelehnt: der Parameter state passt nicht zu diesem Anmeldevorgang (veraltet oder manipuliert)',
    );
    expect(json.session).toBeUndefined();
    const page = await ssoLogin('eva', { tamper: true, html: true });
    expect(page.status).toBe(400);
    expect(page.text).toContain('<h1>Anmeldung fehlgeschlagen</h1>');
    expect(page.text).toContain('der Parameter state passt nicht zu diesem Anmeldevorgang');
    expect(page.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
    // without the flow cookie (another browser) the callback is refused too
    const alien = await request(app).get('/api/oidc/callback?code=abc&state=def').expect(400);
    expect(alien.body.error.message).toBe(
      'Dieser Anmeldevorgang ist abgelaufen oder gehört nicht zu diesem Browser: bitte erneut anmelden',
    );
  });

  it('a login the user cancels at the IdP ends on a German page (403), no session', async () => {
    const cb = await ssoLogin('eva', { abort: true, html: true });
    expect(cb.status).toBe(403);
    expect(cb.text).toContain('Der Anmeldedienst hat die Anmeldung abgelehnt (access_denied)');
    expect(cb.session).toBeUndefined();
  });

  it('an account without the role claim is refused (403), and no account is created', async () => {
    const cb = await ssoLogin('nora');
    expect(cb.status).toBe(403);
    expect(cb.body.error!.message).toBe(
      "Keine Berechtigung für Sozialatlas: der Anmeldedienst nennt keine Rolle (Angabe 'groups' fehlt)",
    );
    expect(cb.session).toBeUndefined();
    expect((await db.query("SELECT 1 FROM account WHERE name = 'nora'")).rowCount).toBe(0);
  });

  it('the audit log has each SSO login with account, role and issuer', async () => {
    const log = (await request(app).get('/api/audit?limit=100').set(ENV_TOKEN).expect(200)).body as AuditEntry[];
    const sso = log.filter((e) => e.path === '/api/oidc/callback').reverse();
    expect(sso.map((e) => [e.actor, e.role, e.action, e.status])).toEqual([
      ['eva-sso', 'editor', 'login', 303],
      ['vic', 'viewer', 'login', 303],
      ['vic', 'viewer', 'login', 303],
      ['vic', 'editor', 'login', 303],
    ]);
    expect(sso[0].detail).toEqual({ via: 'oidc', issuer, created: true, previousRole: null });
    expect(sso[3].detail).toEqual({ via: 'oidc', issuer, created: false, previousRole: 'viewer' });
  });

  it('an unreachable IdP is a 503 with a German message, not a 500', async () => {
    const dead = createApp({
      db,
      config: {
        ...configFromEnv({
          SOZIALATLAS_PUBLIC_URL: APP_URL,
          SOZIALATLAS_OIDC_ISSUER: 'http://127.0.0.1:1',
          SOZIALATLAS_OIDC_CLIENT_ID: CLIENT.id,
          SOZIALATLAS_OIDC_CLIENT_SECRET: CLIENT.secret,
          SOZIALATLAS_OIDC_ROLES: ROLES,
        }),
      },
      log: silent,
    });
    const res = await request(dead).get('/api/oidc/login').expect(503);
    expect(res.body.error.message).toBe(
      'Der Anmeldedienst http://127.0.0.1:1 ist nicht erreichbar oder antwortet nicht als OpenID-Anbieter',
    );
  });
});

describe('SSO configuration from the environment', () => {
  const full = {
    SOZIALATLAS_PUBLIC_URL: 'https://atlas.example.org/',
    SOZIALATLAS_OIDC_ISSUER: 'https://login.example.org/realms/stadt',
    SOZIALATLAS_OIDC_CLIENT_ID: 'atlas',
    SOZIALATLAS_OIDC_CLIENT_SECRET: 's',
    SOZIALATLAS_OIDC_ROLES: 'admin:cn=atlas-admin,ou=gruppen;editor:cn=atlas-red,ou=gruppen;viewer:*',
  };

  it('is off without any variable, complete with the required ones', () => {
    expect(oidcConfigFromEnv({})).toBeUndefined();
    expect(oidcConfigFromEnv(full)).toEqual({
      issuer: 'https://login.example.org/realms/stadt',
      clientId: 'atlas',
      clientSecret: 's',
      redirectUri: 'https://atlas.example.org/api/oidc/callback',
      roleClaim: 'groups',
      roles: { admin: ['cn=atlas-admin,ou=gruppen'], editor: ['cn=atlas-red,ou=gruppen'], viewer: ['*'] },
      scopes: 'openid profile email',
      allowHttp: false,
    });
  });

  it('half a configuration or a bad value stops the start with the variables named', () => {
    expect(() => oidcConfigFromEnv({ SOZIALATLAS_OIDC_ISSUER: full.SOZIALATLAS_OIDC_ISSUER })).toThrow(
      'Single Sign-on (OpenID Connect) ist unvollständig konfiguriert: es fehlt SOZIALATLAS_OIDC_CLIENT_ID, SOZIALATLAS_OIDC_CLIENT_SECRET, SOZIALATLAS_OIDC_ROLES, SOZIALATLAS_PUBLIC_URL',
    );
    expect(() => oidcConfigFromEnv({ ...full, SOZIALATLAS_OIDC_ROLES: 'chef:atlas' })).toThrow(
      "SOZIALATLAS_OIDC_ROLES: Eintrag 'chef:atlas' ist nicht rolle:wert (rolle viewer, editor oder admin)",
    );
    expect(() => oidcConfigFromEnv({ ...full, SOZIALATLAS_OIDC_ISSUER: 'http://login.example.org' })).toThrow(
      'SOZIALATLAS_OIDC_ISSUER muss https sein (http nur für localhost)',
    );
    // configFromEnv is where the start reads it
    expect(() => configFromEnv({ SOZIALATLAS_OIDC_CLIENT_ID: 'atlas' })).toThrow(/unvollständig konfiguriert/);
  });

  it('maps claim values to the highest matching role; * admits everyone; no match is null', () => {
    const roles = oidcConfigFromEnv(full)!.roles;
    expect(roleFromClaim(roles, ['x', 'cn=atlas-red,ou=gruppen'])).toBe('editor');
    expect(roleFromClaim(roles, ['cn=atlas-red,ou=gruppen', 'cn=atlas-admin,ou=gruppen'])).toBe('admin');
    expect(roleFromClaim(roles, [])).toBe('viewer');
    expect(roleFromClaim({ admin: ['a'], editor: ['e'], viewer: [] }, ['v'])).toBeNull();
  });
});
