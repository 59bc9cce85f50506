/**
 * The first admin and the internal mode (issue 15, part 3): a database without accounts gets a
 * one-time setup link that works once only; SOZIALATLAS_ADMIN_USER/_PASSWORD create the admin
 * instead (never a default password); in the internal mode (SOZIALATLAS_PRIVATE=1) anonymous reads
 * of /api, /tiles and /profile are refused while login, session and setup stay open, and a
 * logged-in viewer reads; the CLI adds accounts, lists them and makes an API token that works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { AppContext } from '../../server/context.js';
import type { Db } from '../../geodata/db.js';
import { ensureFirstAdmin } from '../../server/services/accounts-setup.js';
import { createAccount } from '../../server/services/accounts.js';
import { registerAccountsCli } from '../../server/cli/accounts.js';
import { openSampleDb, openTestDb, backend } from '../helpers/test-db.js';
import { runCli } from '../helpers/run-cli.js';

const silent = { info: () => undefined, error: () => undefined };

async function loginCookie(app: Express, name: string, password: string): Promise<string> {
  const res = await request(app).post('/api/login').send({ name, password }).expect(200);
  return ([] as string[])
    .concat(res.headers['set-cookie'])
    .find((c) => c.startsWith('sozialatlas_session='))!
    .split(';')[0];
}

describe(`first admin: setup link and environment (${backend})`, () => {
  let db: Db;
  afterAll(async () => db?.close());

  it('a database without accounts gets a setup link that creates the first admin once only', async () => {
    db = await openTestDb();
    const config = { ...configFromEnv({ SOZIALATLAS_AUTH_FAILURES: '0' }), publicUrl: 'https://atlas.example.org' };
    const app = createApp({ db, config, log: silent });
    expect((await request(app).get('/api/session').expect(200)).body.setupPending).toBe(true);
    const first = await ensureFirstAdmin(db, config);
    if (first.kind !== 'setup-link') throw new Error(`expected a setup link, got ${first.kind}`);
    expect(first.url).toBe(`https://atlas.example.org/#einrichten=${first.token}`);
    // a second start before the setup replaces the link: the first one is void
    const second = await ensureFirstAdmin(db, config);
    if (second.kind !== 'setup-link') throw new Error('expected a setup link');
    const stale = await request(app)
      .post('/api/setup')
      .send({ token: first.token, name: 'anna', password: 'anna-geheim-1' })
      .expect(403);
    expect(stale.body.error.message).toBe('Der Einrichtungslink ist ungültig, abgelaufen oder schon benutzt');
    // the token is stored hashed only
    const stored = await db.query<{ hash: string }>('SELECT hash FROM setup_token');
    expect(stored.rows.map((r) => r.hash)).not.toContain(second.token);
    // too short a password: 400, and the link stays usable
    await request(app).post('/api/setup').send({ token: second.token, name: 'anna', password: 'kurz' }).expect(400);
    const ok = await request(app)
      .post('/api/setup')
      .send({ token: second.token, name: 'anna', password: 'anna-geheim-1' })
      .expect(200);
    expect(ok.body).toMatchObject({ authenticated: true, name: 'anna', role: 'admin', via: 'session' });
    expect(ok.body.csrfToken).toEqual(expect.any(String));
    const again = await request(app)
      .post('/api/setup')
      .send({ token: second.token, name: 'mallory', password: 'mallory-geheim' })
      .expect(403);
    expect(again.body.error.message).toBe('Der Einrichtungslink ist ungültig, abgelaufen oder schon benutzt');
    const accounts = await db.query<{ name: string; role: string }>('SELECT name, role FROM account');
    expect(accounts.rows).toEqual([{ name: 'anna', role: 'admin' }]);
    // now accounts exist: no further link
    expect((await ensureFirstAdmin(db, config)).kind).toBe('exists');
    await request(app).post('/api/login').send({ name: 'anna', password: 'anna-geheim-1' }).expect(200);
  });

  it('SOZIALATLAS_ADMIN_USER and _PASSWORD create the admin when none exists; a short password is refused', async () => {
    const empty = await openTestDb();
    try {
      const base = configFromEnv({});
      await expect(ensureFirstAdmin(empty, { ...base, adminUser: 'root', adminPassword: 'kurz' })).rejects.toThrow(
        /SOZIALATLAS_ADMIN_USER \/ SOZIALATLAS_ADMIN_PASSWORD: Das Passwort braucht mindestens 8 Zeichen/,
      );
      const created = await ensureFirstAdmin(empty, { ...base, adminUser: 'root', adminPassword: 'root-geheim-1' });
      expect(created).toEqual({ kind: 'created', name: 'root' });
      expect(await ensureFirstAdmin(empty, { ...base, adminUser: 'root', adminPassword: 'root-geheim-1' })).toEqual({
        kind: 'exists',
      });
      const app = createApp({ db: empty, config: base, log: silent });
      const who = await request(app)
        .get('/api/session')
        .set('Cookie', await loginCookie(app, 'root', 'root-geheim-1'))
        .expect(200);
      expect(who.body).toMatchObject({ name: 'root', role: 'admin' });
    } finally {
      await empty.close();
    }
  });
});

describe(`internal mode and the accounts CLI (${backend})`, () => {
  let db: Db;
  let ctx: AppContext;
  let app: Express;
  beforeAll(async () => {
    db = await openSampleDb();
    ctx = { db, config: { ...configFromEnv({ SOZIALATLAS_PRIVATE: '1' }), apiToken: 'test-token' }, log: silent };
    app = createApp(ctx);
    await createAccount(db, { name: 'vera', role: 'viewer', password: 'vera-geheim-3' });
  });
  afterAll(async () => db?.close());

  const READS = [
    '/api/levels',
    '/api/indicators?level=plr',
    '/api/values?indicator=S1&level=plr',
    '/api/settings',
    '/tiles/areas/0/0/0.pbf',
    '/profile/plr/01100101',
  ];

  it('refuses anonymous reads of /api, /tiles and /profile; login and session stay open', async () => {
    for (const url of READS) {
      const res = await request(app).get(url);
      expect(res.status, url).toBe(401);
      expect(res.body.error.message, url).toBe(
        'Anmeldung erforderlich: Sozialatlas läuft im internen Modus, bitte anmelden',
      );
    }
    const session = await request(app).get('/api/session').expect(200);
    expect(session.body).toMatchObject({ authenticated: false, private: true });
    // a wrong token is no way in either
    await request(app).get('/api/levels').set('Authorization', 'Bearer nope').expect(403);
  });

  it('a logged-in viewer reads; the automation token too', async () => {
    const cookie = await loginCookie(app, 'vera', 'vera-geheim-3');
    for (const url of READS) {
      const res = await request(app).get(url).set('Cookie', cookie);
      expect(res.status, url).toBe(200);
    }
    const levels = await request(app).get('/api/levels').set('Cookie', cookie).expect(200);
    expect(levels.body.map((l: { key: string }) => l.key)).toEqual(expect.arrayContaining(['plr', 'bzr']));
    await request(app).get('/api/levels').set('Authorization', 'Bearer test-token').expect(200);
    // the same app without the internal mode reads anonymously
    const open = createApp({ ...ctx, config: { ...ctx.config, private: false } });
    await request(open).get('/api/levels').expect(200);
  });

  it('the CLI adds an account, lists it and prints an API token once that then works', async () => {
    const register = (p: Parameters<typeof registerAccountsCli>[0], o: () => Promise<AppContext>) =>
      registerAccountsCli(p, o, async () => 'carl-geheim-5');
    const added = await runCli(
      [register],
      () => ctx,
      'accounts',
      'add',
      'carl',
      '--role',
      'editor',
      '--password-stdin',
    );
    expect(added.exitCode).toBe(0);
    expect(added.out).toMatch(/^Konto 'carl' \(editor\) angelegt, id \d+/);
    const bad = await runCli([register], () => ctx, 'accounts', 'add', 'dora', '--role', 'chef');
    expect(bad.exitCode).toBe(2);
    expect(bad.err).toMatch(/role muss viewer, editor oder admin sein/);
    const list = await runCli([register], () => ctx, 'accounts', 'list', '--json');
    expect(JSON.parse(list.out).map((a: { name: string; role: string }) => [a.name, a.role])).toEqual([
      ['carl', 'editor'],
      ['vera', 'viewer'],
    ]);
    expect(list.out).not.toContain('carl-geheim-5');
    const token = await runCli([register], () => ctx, 'accounts', 'token', 'carl', '--label', 'Import', '--days', '7');
    expect(token.exitCode).toBe(0);
    const secret = token.out.trim();
    expect(secret).toMatch(/^sat_[\w-]{43}$/);
    const who = await request(app).get('/api/session').set('Authorization', `Bearer ${secret}`).expect(200);
    expect(who.body).toMatchObject({ name: 'carl', role: 'editor', via: 'api-token' });
    await request(app)
      .delete('/api/jobs/00000000-0000-4000-8000-000000000000')
      .set('Authorization', `Bearer ${secret}`)
      .expect(404);
    const viewerToken = await runCli([register], () => ctx, 'accounts', 'token', 'vera', '--label', 'x');
    expect(viewerToken.exitCode).toBe(2);
  });
});
