/**
 * Accounts and roles (issue 15, part 3) on the Berlin sample: every write route of the app (taken
 * from the express router stack) answers 401 without credentials and 403 to a viewer's session; an
 * editor may run a typology but not change the settings; cookie-authenticated writes need the
 * session's CSRF token; personal API tokens act with their account's role and stop working at the
 * next request once revoked or expired; the audit log lists each write with its actor and never a
 * secret, filtered by account or action; passwords are stored as salted scrypt hashes and neither
 * they nor token secrets reach any table or the log in clear; failed logins are limited;
 * SOZIALATLAS_TOKEN still acts as admin; exactly the admin-only writes refuse an editor.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createHash } from 'node:crypto';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import type { AuditEntry, SessionView } from '../../server/api-types.js';
import { createAccount } from '../../server/services/accounts.js';
import { verifyPassword } from '../../server/services/accounts-password.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };
/** Everything the app logs, to show that no password or token ever reaches the log. */
const logged: unknown[] = [];
const recordingLog = {
  info: (obj: unknown, msg?: string) => void logged.push([obj, msg]),
  error: (obj: unknown, msg?: string) => void logged.push([obj, msg]),
};
const ENV_TOKEN = { Authorization: 'Bearer test-token' };
const PASSWORDS = { anna: 'anna-geheim-1', eddi: 'eddi-geheim-2', vera: 'vera-geheim-3' } as const;
const UNKNOWN_JOB = '/api/jobs/00000000-0000-4000-8000-000000000000';

/** A logged-in browser: the cookie header to send and the CSRF token. */
interface Login {
  cookie: string;
  csrf: string;
  view: SessionView;
}

async function login(app: Express, name: string, password: string): Promise<Login> {
  const res = await request(app).post('/api/login').send({ name, password }).expect(200);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.find((c) => c.startsWith('sozialatlas_session='))!.split(';')[0];
  return { cookie, csrf: res.body.csrfToken as string, view: res.body as SessionView };
}

/** The headers of a cookie-authenticated write: the session cookie and its CSRF token. */
const withCsrf = (l: Login) => ({ Cookie: l.cookie, 'X-CSRF-Token': l.csrf });

type Method = 'post' | 'put' | 'patch' | 'delete';
interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every state-changing route registered on the app: walks the router stack, nested routers included. */
function writeRoutes(app: Express): { method: Method; path: string }[] {
  const out: { method: Method; path: string }[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of ([] as string[]).concat(layer.route.path))
          for (const m of ['post', 'put', 'patch', 'delete'] as const)
            if (layer.route.methods[m]) out.push({ method: m, path });
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

async function auditEntries(app: Express, auth: Record<string, string>, limit = 500): Promise<AuditEntry[]> {
  return (await request(app).get(`/api/audit?limit=${limit}`).set(auth).expect(200)).body as AuditEntry[];
}

describe(`accounts, roles, sessions, CSRF, API tokens, audit (${backend})`, () => {
  let db: Db;
  let app: Express;
  let anna: Login;
  let eddi: Login;
  let vera: Login;
  const adminHeaders = () => withCsrf(anna);
  const editorHeaders = () => withCsrf(eddi);

  beforeAll(async () => {
    db = await openSampleDb();
    app = createApp({
      db,
      config: { ...configFromEnv({ SOZIALATLAS_AUTH_FAILURES: '0' }), apiToken: 'test-token' },
      log: recordingLog,
    });
    await createAccount(db, { name: 'anna', role: 'admin', password: PASSWORDS.anna });
    await createAccount(db, { name: 'eddi', role: 'editor', password: PASSWORDS.eddi });
    await createAccount(db, { name: 'vera', role: 'viewer', password: PASSWORDS.vera });
    anna = await login(app, 'anna', PASSWORDS.anna);
    eddi = await login(app, 'eddi', PASSWORDS.eddi);
    vera = await login(app, 'vera', PASSWORDS.vera);
  });
  afterAll(async () => db?.close());

  it('stores salted scrypt hashes, never the password, and they verify', async () => {
    const { rows } = await db.query<{ name: string; password_hash: string }>(
      'SELECT name, password_hash FROM account ORDER BY name',
    );
    expect(rows.map((r) => r.name)).toEqual(['anna', 'eddi', 'vera']);
    const salts = new Set<string>();
    for (const r of rows) {
      const password = PASSWORDS[r.name as keyof typeof PASSWORDS];
      expect(r.password_hash).not.toContain(password);
      const parts = r.password_hash.split('$');
      expect(parts.slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
      salts.add(parts[4]);
      expect(await verifyPassword(password, r.password_hash)).toBe(true);
      expect(await verifyPassword(`${password}x`, r.password_hash)).toBe(false);
    }
    expect(salts.size).toBe(3);
  });

  it('login: the same answer for an unknown name and a wrong password; the cookie is HttpOnly, SameSite=Strict, Path=/', async () => {
    const unknown = await request(app).post('/api/login').send({ name: 'niemand', password: 'x' }).expect(401);
    const wrong = await request(app).post('/api/login').send({ name: 'anna', password: 'x' }).expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.message).toBe('Name oder Passwort ist falsch');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const ok = await request(app).post('/api/login').send({ name: 'vera', password: PASSWORDS.vera }).expect(200);
    const cookie = ([] as string[]).concat(ok.headers['set-cookie']).find((c) => c.startsWith('sozialatlas_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    // the cookie holds a secret whose hash is the session id; the stored row is not the cookie
    const value = cookie.split(';')[0].split('=')[1];
    const stored = await db.query('SELECT 1 FROM session WHERE id = $1', [
      createHash('sha256').update(value).digest('hex'),
    ]);
    expect(stored.rowCount).toBe(1);
    expect((await db.query('SELECT 1 FROM session WHERE id = $1', [value])).rowCount).toBe(0);
    expect(ok.body).toMatchObject({ authenticated: true, name: 'vera', role: 'viewer', via: 'session' });
    // GET /api/session answers who is calling, with the same CSRF token as the login
    const who = await request(app).get('/api/session').set('Cookie', vera.cookie).expect(200);
    expect(who.body).toMatchObject({ authenticated: true, name: 'vera', role: 'viewer', csrfToken: vera.csrf });
    const nobody = await request(app).get('/api/session').expect(200);
    expect(nobody.body).toMatchObject({ authenticated: false, name: null, role: null, csrfToken: null });
  });

  it('behind https the session cookie is Secure', async () => {
    const secureApp = createApp({
      db,
      config: {
        ...configFromEnv({ SOZIALATLAS_PUBLIC_URL: 'https://atlas.example.org', SOZIALATLAS_AUTH_FAILURES: '0' }),
        apiToken: 'test-token',
      },
      log: silent,
    });
    const res = await request(secureApp)
      .post('/api/login')
      .send({ name: 'vera', password: PASSWORDS.vera })
      .expect(200);
    expect(([] as string[]).concat(res.headers['set-cookie'])[0]).toMatch(/; Secure/);
  });

  it('every write route answers 401 without credentials and 403 to a viewer session', async () => {
    const routes = writeRoutes(app);
    const listed = routes.map((r) => `${r.method} ${r.path}`);
    for (const known of [
      'put /api/settings',
      'post /api/typologies',
      'delete /api/typologies/:id',
      'post /api/hotspots',
      'post /api/weights',
      'post /api/warning-rules',
      'delete /api/jobs/:id',
      'post /api/accounts',
      'patch /api/accounts/:id',
      'post /api/tokens',
    ])
      expect(listed).toContain(known);
    // logging in and the setup take their credentials in the body; logout is tested below
    const open = new Set(['/api/login', '/api/setup', '/api/logout']);
    let checked = 0;
    for (const { method, path } of routes) {
      if (open.has(path)) continue;
      const url = path.replace(/:[A-Za-z]+/g, '1');
      const none = await request(app)[method](url).send({});
      expect(none.status, `${method} ${url}`).toBe(401);
      expect(none.body.error.message).toMatch(/^Anmeldung erforderlich/);
      const viewer = await request(app)[method](url).set(withCsrf(vera)).send({});
      if (path === '/api/password') {
        // the own password is any account's: past authorisation, the empty body is a 400
        expect(viewer.status).toBe(400);
        continue;
      }
      expect(viewer.status, `${method} ${url}`).toBe(403);
      expect(viewer.body.error.message, `${method} ${url}`).toMatch(/^Keine Berechtigung: dafür braucht es die Rolle/);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it('an editor may run a typology but not change the settings; an admin may', async () => {
    const run = await request(app)
      .post('/api/typologies')
      .set(editorHeaders())
      .send({
        level: 'bzr',
        period: '2020-12-31',
        indicators: ['S1', 'S3'],
        kRange: [2, 3],
        restarts: 2,
        bootstrap: 0,
      });
    expect([201, 202], run.text).toContain(run.status);
    const settings = (await request(app).get('/api/settings').expect(200)).body as Record<string, number>;
    const denied = await request(app).put('/api/settings').set(editorHeaders()).send(settings).expect(403);
    expect(denied.body.error.message).toBe(
      'Keine Berechtigung: dafür braucht es die Rolle admin (angemeldet als editor)',
    );
    await request(app).put('/api/settings').set(adminHeaders()).send(settings).expect(200);
  });

  it('a cookie-authenticated write needs the CSRF token: missing or wrong 403, right passes; bearer needs none', async () => {
    const missing = await request(app).delete(UNKNOWN_JOB).set('Cookie', eddi.cookie).expect(403);
    expect(missing.body.error).toMatchObject({ code: 'csrf', message: 'CSRF-Token fehlt oder ist ungültig' });
    const wrong = await request(app)
      .delete(UNKNOWN_JOB)
      .set('Cookie', eddi.cookie)
      .set('X-CSRF-Token', anna.csrf)
      .expect(403);
    expect(wrong.body.error.message).toBe('CSRF-Token fehlt oder ist ungültig');
    // right token: past authorisation to the route, which does not know the job
    await request(app).delete(UNKNOWN_JOB).set(editorHeaders()).expect(404);
    await request(app).delete(UNKNOWN_JOB).set(ENV_TOKEN).expect(404);
    // reads need no CSRF token
    await request(app).get('/api/tokens').set('Cookie', eddi.cookie).expect(200);
  });

  it('SOZIALATLAS_TOKEN still acts as admin; a wrong token is 403', async () => {
    const settings = (await request(app).get('/api/settings').expect(200)).body as Record<string, number>;
    await request(app).put('/api/settings').set(ENV_TOKEN).send(settings).expect(200);
    await request(app).get('/api/accounts').set(ENV_TOKEN).expect(200);
    const wrong = await request(app)
      .put('/api/settings')
      .set('Authorization', 'Bearer nope')
      .send(settings)
      .expect(403);
    expect(wrong.body.error.message).toBe('Token ungültig');
  });

  it('a personal API token: shown once, stored hashed, acts with its role, revoked or expired stops at the next request', async () => {
    const created = await request(app)
      .post('/api/tokens')
      .set(editorHeaders())
      .send({ label: 'Skript', days: 30 })
      .expect(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^sat_[\w-]{43}$/);
    const stored = await db.query<{ hash: string }>('SELECT hash FROM api_token WHERE id = $1', [created.body.id]);
    expect(stored.rows[0].hash).toBe(createHash('sha256').update(token).digest('hex'));
    const expires = new Date(created.body.expires).getTime() - new Date(created.body.created).getTime();
    expect(expires).toBe(30 * 24 * 3600_000);
    const listed = await request(app).get('/api/tokens').set('Cookie', eddi.cookie).expect(200);
    expect(listed.text).not.toContain(token);
    expect(listed.text).not.toContain(stored.rows[0].hash);
    expect(listed.body.map((t: { label: string }) => t.label)).toEqual(['Skript']);

    const bearer = { Authorization: `Bearer ${token}` };
    await request(app).delete(UNKNOWN_JOB).set(bearer).expect(404); // editor: passes, no CSRF needed
    await request(app).put('/api/settings').set(bearer).send({}).expect(403); // not admin
    const who = await request(app).get('/api/session').set(bearer).expect(200);
    expect(who.body).toMatchObject({ name: 'eddi', role: 'editor', via: 'api-token', csrfToken: null });

    await request(app).delete(`/api/tokens/${created.body.id}`).set(editorHeaders()).expect(200);
    const revoked = await request(app).delete(UNKNOWN_JOB).set(bearer).expect(403);
    expect(revoked.body.error.message).toBe('Token widerrufen');
    // another account cannot revoke it: 404 as for any token that is not one's own
    await request(app).delete(`/api/tokens/${created.body.id}`).set(adminHeaders()).expect(404);

    const second = await request(app).post('/api/tokens').set(editorHeaders()).send({ label: 'kurz' }).expect(201);
    const bearer2 = { Authorization: `Bearer ${second.body.token}` };
    await request(app).delete(UNKNOWN_JOB).set(bearer2).expect(404);
    await db.query("UPDATE api_token SET expires = now() - interval '1 second' WHERE id = $1", [second.body.id]);
    const expired = await request(app).delete(UNKNOWN_JOB).set(bearer2).expect(403);
    expect(expired.body.error.message).toBe('Token abgelaufen');
    // a viewer has no tokens to make
    await request(app).post('/api/tokens').set(withCsrf(vera)).send({ label: 'x' }).expect(403);
  });

  it('the audit log lists each write with its actor, newest first, page by page, without secrets', async () => {
    const before = (await auditEntries(app, ENV_TOKEN, 1))[0]?.id ?? 0;
    await request(app).delete(UNKNOWN_JOB).set(editorHeaders()).expect(404);
    await request(app).delete(UNKNOWN_JOB).set(ENV_TOKEN).expect(404);
    const account = await request(app)
      .post('/api/accounts')
      .set(adminHeaders())
      .send({ name: 'paul', role: 'editor', password: 'paul-geheim-4' })
      .expect(201);
    // a refused write is not in the log
    await request(app).delete(UNKNOWN_JOB).set(withCsrf(vera)).expect(403);
    await request(app).delete(UNKNOWN_JOB).expect(401);
    // entries are written once each response has finished
    const fresh = await vi.waitFor(
      async () => {
        const rows = (await auditEntries(app, adminHeaders())).filter((e) => e.id > before);
        expect(rows).toHaveLength(3);
        return rows;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(
      fresh.map(({ actor, role, method, path, action, target, status, detail }) => ({
        actor,
        role,
        method,
        path,
        action,
        target,
        status,
        detail,
      })),
    ).toEqual([
      {
        actor: 'anna',
        role: 'admin',
        method: 'POST',
        path: '/api/accounts',
        action: 'POST /api/accounts',
        target: String(account.body.id),
        status: 201,
        detail: { name: 'paul', role: 'editor' },
      },
      {
        actor: 'SOZIALATLAS_TOKEN',
        role: 'admin',
        method: 'DELETE',
        path: UNKNOWN_JOB,
        action: 'DELETE /api/jobs/:id',
        target: '00000000-0000-4000-8000-000000000000',
        status: 404,
        detail: null,
      },
      {
        actor: 'eddi',
        role: 'editor',
        method: 'DELETE',
        path: UNKNOWN_JOB,
        action: 'DELETE /api/jobs/:id',
        target: '00000000-0000-4000-8000-000000000000',
        status: 404,
        detail: null,
      },
    ]);
    // earlier tests' writes are there too: the typology run and the settings change
    const all = await auditEntries(app, adminHeaders());
    expect(all.some((e) => e.actor === 'eddi' && e.action === 'POST /api/typologies' && e.status < 300)).toBe(true);
    expect(all.some((e) => e.actor === 'anna' && e.action === 'PUT /api/settings' && e.status === 200)).toBe(true);
    expect(all.some((e) => e.actor === 'eddi' && e.action === 'login')).toBe(true);
    // paging: ids strictly falling, pages disjoint
    const page1 = (await request(app).get('/api/audit?limit=2').set(adminHeaders()).expect(200)).body as AuditEntry[];
    const page2 = (await request(app).get(`/api/audit?limit=2&before=${page1[1].id}`).set(adminHeaders()).expect(200))
      .body as AuditEntry[];
    expect(page1.map((e) => e.id)).toEqual(all.slice(0, 2).map((e) => e.id));
    expect(page2.map((e) => e.id)).toEqual(all.slice(2, 4).map((e) => e.id));
    // no password and no token in the log
    const text = JSON.stringify(all);
    for (const p of [...Object.values(PASSWORDS), 'paul-geheim-4', 'test-token']) expect(text).not.toContain(p);
    expect(text).not.toMatch(/sat_/);
    // only admins read it
    await request(app).get('/api/audit').set('Cookie', eddi.cookie).expect(403);
    await request(app).get('/api/audit').expect(401);
  });

  it('a disabled account loses its session at once; logout ends a session', async () => {
    const paul = await login(app, 'paul', 'paul-geheim-4');
    await request(app).delete(UNKNOWN_JOB).set(withCsrf(paul)).expect(404);
    const { rows } = await db.query<{ id: number }>("SELECT id FROM account WHERE name = 'paul'");
    await request(app).patch(`/api/accounts/${rows[0].id}`).set(adminHeaders()).send({ disabled: true }).expect(200);
    await request(app).delete(UNKNOWN_JOB).set(withCsrf(paul)).expect(401);
    await request(app).post('/api/login').send({ name: 'paul', password: 'paul-geheim-4' }).expect(401);

    const again = await login(app, 'vera', PASSWORDS.vera);
    await request(app).post('/api/logout').set('Cookie', again.cookie).expect(403); // CSRF
    await request(app).post('/api/logout').set(withCsrf(again)).expect(204);
    const after = await request(app).get('/api/session').set('Cookie', again.cookie).expect(200);
    expect(after.body.authenticated).toBe(false);
  });

  it('the last active admin cannot be demoted', async () => {
    const { rows } = await db.query<{ id: number }>("SELECT id FROM account WHERE name = 'anna'");
    const res = await request(app)
      .patch(`/api/accounts/${rows[0].id}`)
      .set(ENV_TOKEN)
      .send({ role: 'editor' })
      .expect(409);
    expect(res.body.error.message).toBe('Das letzte aktive Admin-Konto kann nicht herabgestuft oder gesperrt werden');
  });

  it('after N failed logins a client gets 429, even with the right password', async () => {
    const limited = createApp({
      db,
      config: {
        ...configFromEnv({ SOZIALATLAS_AUTH_FAILURES: '3', SOZIALATLAS_AUTH_WINDOW_S: '600' }),
        apiToken: 'test-token',
      },
      log: silent,
    });
    await request(limited).post('/api/login').send({ name: 'vera', password: PASSWORDS.vera }).expect(200);
    for (let i = 0; i < 3; i++)
      await request(limited)
        .post('/api/login')
        .send({ name: 'vera', password: `falsch-${i}` })
        .expect(401);
    const locked = await request(limited)
      .post('/api/login')
      .send({ name: 'vera', password: PASSWORDS.vera })
      .expect(429);
    expect(locked.body.error.message).toMatch(/^Zu viele fehlgeschlagene Anmeldungen/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('admin-only writes refuse an editor (403) and only those: every other write passes the role check', async () => {
    // the routes that need the admin role; a new admin route fails below until it is listed here
    const adminOnly = new Set(['put /api/settings', 'post /api/accounts', 'patch /api/accounts/:id']);
    const open = new Set(['/api/login', '/api/setup', '/api/logout']);
    const seen = new Set<string>();
    for (const { method, path } of writeRoutes(app)) {
      if (open.has(path)) continue;
      // ids that exist nowhere, so no write can change anything
      const url = path.replace(/:[A-Za-z]+/g, '999999');
      const res = await request(app)[method](url).set(editorHeaders()).send({});
      const key = `${method} ${path}`;
      if (adminOnly.has(key)) {
        seen.add(key);
        expect(res.status, key).toBe(403);
        expect(res.body.error.message, key).toBe(
          'Keine Berechtigung: dafür braucht es die Rolle admin (angemeldet als editor)',
        );
      } else expect([401, 403], `${key} editor: ${res.text}`).not.toContain(res.status);
    }
    // that an admin passes them is shown above (settings) and below (accounts)
    expect([...seen].sort()).toEqual([...adminOnly].sort());
  });

  it('the audit log filters by account and by action, newest first', async () => {
    await vi.waitFor(
      async () => {
        const all = await auditEntries(app, adminHeaders());
        const get = async (query: string) =>
          (
            (await request(app).get(`/api/audit?limit=500&${query}`).set(adminHeaders()).expect(200))
              .body as AuditEntry[]
          ).map((e) => e.id);
        const ids = (keep: (e: AuditEntry) => boolean) => all.filter(keep).map((e) => e.id);
        const byEddi = await get('actor=eddi');
        expect(byEddi.length).toBeGreaterThanOrEqual(3);
        expect(byEddi).toEqual(ids((e) => e.actor === 'eddi'));
        expect(await get('action=login')).toEqual(ids((e) => e.action === 'login'));
        expect(await get(`action=${encodeURIComponent('POST /api/accounts')}`)).toEqual(
          ids((e) => e.action === 'POST /api/accounts'),
        );
        expect(await get('actor=eddi&action=login')).toEqual(ids((e) => e.actor === 'eddi' && e.action === 'login'));
        expect(await get('actor=niemand')).toEqual([]);
      },
      { timeout: 10_000, interval: 200 },
    );
    const bad = await request(app).get('/api/audit?limit=0').set(adminHeaders()).expect(400);
    expect(bad.body.error.message).toMatch(/limit/);
  });

  it('no password and no token secret is stored in clear or logged, also after a reset and a failed login', async () => {
    const { rows } = await db.query<{ id: number }>("SELECT id FROM account WHERE name = 'paul'");
    await request(app)
      .patch(`/api/accounts/${rows[0].id}`)
      .set(adminHeaders())
      .send({ password: 'paul-neu-geheim-5', disabled: false })
      .expect(200);
    await request(app).post('/api/login').send({ name: 'paul', password: 'paul-falsch-6' }).expect(401);
    const token = (await request(app).post('/api/tokens').set(editorHeaders()).send({ label: 'geheim' }).expect(201))
      .body.token as string;
    await request(app).delete(UNKNOWN_JOB).set('Authorization', `Bearer ${token}`).expect(404);
    await request(app).delete(UNKNOWN_JOB).set('Authorization', 'Bearer sat_falsch').expect(403);
    const secrets = [...Object.values(PASSWORDS), 'paul-geheim-4', 'paul-neu-geheim-5', 'paul-falsch-6', token];
    await vi.waitFor(
      async () => {
        const audit = await auditEntries(app, adminHeaders());
        expect(
          audit.some(
            (e) => e.action === 'PATCH /api/accounts/:id' && (e.detail as { passwordReset?: boolean })?.passwordReset,
          ),
        ).toBe(true);
      },
      { timeout: 10_000, interval: 100 },
    );
    const tables = ['account', 'session', 'api_token', 'audit_log'];
    for (const table of tables) {
      const dump = JSON.stringify((await db.query(`SELECT * FROM ${table}`)).rows);
      for (const secret of secrets) expect(dump, `${table}`).not.toContain(secret);
    }
    const log = JSON.stringify(logged);
    for (const secret of secrets) expect(log).not.toContain(secret);
  });
});
