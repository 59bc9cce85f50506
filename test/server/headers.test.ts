/**
 * Headers and request hygiene (issue 13, items 3 and 6; issue 14, item 6): the security headers
 * (CSP fitting the built client, nosniff, frame-ancestors, Referrer-Policy) on the app, the API
 * and the profile pages; NUL bytes in a URL are a 400, never a 500; per-client rate limits on
 * expensive routes and on wrong tokens (429 with Retry-After); the profile ZIP built once per
 * data version; the built client served precompressed with long cache headers for hashed assets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import express, { type Request } from 'express';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gunzipSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { AppContext } from '../../server/context.js';
import { clientStatic } from '../../server/http/static-client.js';
import { isDownload } from '../../server/http/rate-limits.js';
import type { Db } from '../../geodata/db.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };
// No query may reach the database: every request of the first blocks is answered before any.
const noDb = new Proxy({}, { get: () => () => Promise.reject(new Error('database used')) }) as AppContext['db'];
const appWith = (env: Record<string, string> = {}, db: AppContext['db'] = noDb) =>
  createApp({ db, config: { ...configFromEnv(env), apiToken: 'test-token' }, log: silent });

/** The CSP as directive → sources. */
function csp(header: string | undefined): Record<string, string[]> {
  expect(header).toBeTruthy();
  return Object.fromEntries(
    header!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

/** A GET through a real socket, body as sent (supertest would decode br and gzip itself). */
async function raw(
  app: express.Express,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: url, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
  } finally {
    await new Promise((r) => server.close(r));
  }
}

/** Collects a binary body. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  (res as unknown as NodeJS.ReadableStream).on('data', (c: Buffer) => chunks.push(c));
  (res as unknown as NodeJS.ReadableStream).on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('security headers', () => {
  it('the API answers with a CSP without inline script, nosniff, frame-ancestors none, DENY and a referrer policy', async () => {
    const res = await request(appWith()).get('/api/openapi.json').expect(200);
    const policy = csp(res.headers['content-security-policy']);
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['script-src-attr']).toEqual(["'none'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    // basemap images only from the configured origin (default: OpenStreetMap's tile server)
    expect(policy['img-src']).toEqual(["'self'", 'data:', 'blob:', 'https://tile.openstreetmap.org']);
    expect(policy).not.toHaveProperty('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('embedding and basemap hosts are configurable', async () => {
    const res = await request(
      appWith({
        SOZIALATLAS_FRAME_ANCESTORS: "'self' https://intranet.example.org",
        SOZIALATLAS_BASEMAP_ORIGINS: 'https://tiles.example.org, https://wms.example.org',
      }),
    )
      .get('/api/openapi.json')
      .expect(200);
    const policy = csp(res.headers['content-security-policy']);
    expect(policy['frame-ancestors']).toEqual(["'self'", 'https://intranet.example.org']);
    expect(policy['img-src']).toEqual([
      "'self'",
      'data:',
      'blob:',
      'https://tiles.example.org',
      'https://wms.example.org',
    ]);
    // embedding allowed by the CSP is not refused by the older header
    expect(res.headers['x-frame-options']).toBeUndefined();
    const none = await request(appWith({ SOZIALATLAS_BASEMAP_ORIGINS: '' }))
      .get('/api/openapi.json')
      .expect(200);
    expect(csp(none.headers['content-security-policy'])['img-src']).toEqual(["'self'", 'data:', 'blob:']);
  });

  it('the built client has no inline script, so script-src self fits it', async () => {
    const dist = new URL('../../client/dist/index.html', import.meta.url);
    if (!existsSync(dist)) return; // npm test builds the client first
    const html = await readFile(dist, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/assets\//);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
  });

  it('%00 anywhere in the URL is a 400 naming the NUL byte, before any database work', async () => {
    const app = appWith();
    for (const url of ['/api/search?q=%00', '/api/areas?level=plr%00', '/api/values?q=a%00b', '/profile/plr/%00']) {
      const res = await request(app).get(url).expect(400);
      expect(res.body.error).toEqual({
        code: 'bad_request',
        message: 'Ungültige Anfrage: die Adresse enthält ein NUL-Zeichen (%00)',
        details: null,
      });
    }
  });
});

describe('rate limits', () => {
  it('after 3 wrong tokens a client gets 429 with Retry-After, even with the right token; no header is not counted', async () => {
    const app = appWith({ SOZIALATLAS_AUTH_FAILURES: '3', SOZIALATLAS_AUTH_WINDOW_S: '600' });
    const job = '/api/jobs/00000000-0000-4000-8000-000000000000';
    // the right token reaches the route (an unknown job: 404)
    await request(app).delete(job).set('Authorization', 'Bearer test-token').expect(404);
    for (let i = 0; i < 3; i++) {
      const res = await request(app).delete(job).set('Authorization', `Bearer guess-${i}`).expect(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const locked = await request(app).delete(job).set('Authorization', 'Bearer test-token').expect(429);
    expect(locked.body.error.code).toBe('too_many_requests');
    expect(locked.body.error.message).toMatch(/Zu viele ungültige Tokens/);
    const retry = Number(locked.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(600);
    await request(app).delete(job).set('Authorization', 'Bearer guess-4').expect(429);
    // without a token: the usual 401, and reads stay open
    await request(app).delete(job).expect(401);
    await request(app).get('/api/openapi.json').expect(200);
    // another app (another process) has its own count
    await request(appWith()).delete(job).set('Authorization', 'Bearer test-token').expect(404);
  });

  it('downloads are profile ZIPs, /api/export.* and every ?format=csv|csv-de|xlsx answer', () => {
    const req = (path: string, format?: string, method = 'GET') =>
      ({ method, path, query: format ? { format } : {} }) as unknown as Request;
    expect(isDownload(req('/profile/plr.zip'))).toBe(true);
    expect(isDownload(req('/api/export.csv'))).toBe(true);
    expect(isDownload(req('/api/export.geojson'))).toBe(true);
    expect(isDownload(req('/api/values', 'xlsx'))).toBe(true);
    expect(isDownload(req('/api/change', 'csv-de'))).toBe(true);
    expect(isDownload(req('/profile/plr/01100101', 'csv'))).toBe(true);
    expect(isDownload(req('/api/values'))).toBe(false);
    expect(isDownload(req('/profile/plr/01100101', 'html'))).toBe(false);
    expect(isDownload(req('/api/typologies/3/members', 'json'))).toBe(false);
    expect(isDownload(req('/api/weights', 'xlsx', 'POST'))).toBe(false);
  });

  it('the limits come from the environment with commented defaults', () => {
    expect(configFromEnv({}).rateLimits).toEqual({
      windowMs: 60_000,
      runs: 20,
      downloads: 30,
      authFailures: 10,
      authWindowMs: 900_000,
    });
    expect(
      configFromEnv({
        SOZIALATLAS_RATE_WINDOW_S: '10',
        SOZIALATLAS_RATE_RUNS: '0',
        SOZIALATLAS_RATE_DOWNLOADS: '5',
        SOZIALATLAS_AUTH_FAILURES: '2',
        SOZIALATLAS_AUTH_WINDOW_S: '30',
      }).rateLimits,
    ).toEqual({ windowMs: 10_000, runs: 0, downloads: 5, authFailures: 2, authWindowMs: 30_000 });
  });
});

describe(`headers, limits and the ZIP cache on the Berlin sample (${backend})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await openSampleDb();
  });
  afterAll(async () => db?.close());

  it('the profile page carries the same headers; its inline print CSS is allowed, scripts are not', async () => {
    const res = await request(appWith({}, db)).get('/profile/plr/01100101').expect(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toMatch(/<style>/);
    expect(res.text).not.toMatch(/<script/);
    const policy = csp(res.headers['content-security-policy']);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    // a search for a NUL byte used to be a 500 from PostgreSQL
    await request(appWith({}, db)).get('/api/search?q=%00').expect(400);
  });

  it('a level ZIP is built once per data version: hit, then rebuilt after the version moves; 3rd download in the window is 429', async () => {
    // a window of an hour: the count must not reset while a loaded machine builds the ZIPs
    const app = appWith({ SOZIALATLAS_RATE_DOWNLOADS: '3', SOZIALATLAS_RATE_WINDOW_S: '3600' }, db);
    const zip = () => request(app).get('/profile/bzr.zip').buffer(true).parse(binary);
    const first = await zip().expect(200);
    expect(first.headers['x-cache']).toBe('miss');
    expect((first.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const second = await zip().expect(200);
    expect(second.headers['x-cache']).toBe('hit');
    expect(Buffer.compare(second.body as Buffer, first.body as Buffer)).toBe(0);
    // an import (or a settings change) bumps the data version: the next ZIP is built anew
    await db.query('UPDATE data_version SET version = version + 1 WHERE id = 1');
    const third = await zip().expect(200);
    expect(third.headers['x-cache']).toBe('miss');
    const limited = await zip().expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const error = JSON.parse((limited.body as Buffer).toString()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe('too_many_requests');
    expect(error.error.message).toMatch(/höchstens 3 je 60 min/);
    // a bad request is not counted and not cached: still a 400 with its message
    const bad = await request(appWith({ SOZIALATLAS_RATE_DOWNLOADS: '1' }, db))
      .get('/profile/bzr.zip?period=1999-12-31')
      .expect(400);
    expect(bad.body.error.code).toBe('bad_request');
  });

  it('analysis runs per client: a 400 is not counted, the 2nd successful run in the window is 429', async () => {
    const app = appWith({ SOZIALATLAS_RATE_RUNS: '1', SOZIALATLAS_RATE_WINDOW_S: '3600' }, db);
    const auth = { Authorization: 'Bearer test-token' };
    const body = { level: 'plr', period: '2020-12-31', indicator: 'S3', permutations: 0 };
    await request(app)
      .post('/api/hotspots')
      .set(auth)
      .send({ ...body, weights: 'hexagon' })
      .expect(400);
    const ok = await request(app).post('/api/hotspots').set(auth).send(body).expect(201);
    expect(ok.body.params.permutations).toBe(0);
    const limited = await request(app).post('/api/hotspots').set(auth).send(body).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error.message).toMatch(/Zu viele Analyseläufe: höchstens 1 je 60 min/);
    await request(app)
      .post('/api/typologies')
      .set(auth)
      .send({ level: 'plr', period: '2020-12-31', indicators: ['S1', 'S3'], k: 3 })
      .expect(429);
  });
});

describe('the built client: precompressed, immutable hashed assets, revalidated index.html', () => {
  let dir: string;
  let app: express.Express;
  const js = 'export const answer = 42;\n'.repeat(200);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dist-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Sozialatlas</title>');
    await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const asset = path.join(dir, 'assets', 'index-AbCd1234.js');
    await writeFile(asset, js);
    await writeFile(`${asset}.br`, brotliCompressSync(js));
    await writeFile(`${asset}.gz`, gzipSync(js));
    app = express();
    app.use(clientStatic(dir));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sends brotli, then gzip, else the plain file, each with its own ETag and a year of immutable caching', async () => {
    const get = (enc: string) => raw(app, '/assets/index-AbCd1234.js', { 'Accept-Encoding': enc });
    const br = await get('gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(js);
    const gz = await get('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(js);
    const plain = await get('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(js);
    const noBr = await get('br;q=0, gzip');
    expect(noBr.headers['content-encoding']).toBe('gzip');
    expect(br.body.length).toBeLessThan(js.length / 10);
    for (const r of [br, gz, plain]) {
      expect(r.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(r.headers.vary).toMatch(/Accept-Encoding/);
    }
    expect(new Set([br, gz, plain].map((r) => r.headers.etag)).size).toBe(3);
    const revalidated = await raw(app, '/assets/index-AbCd1234.js', {
      'Accept-Encoding': 'br',
      'If-None-Match': String(br.headers.etag),
    });
    expect(revalidated.status).toBe(304);
  });

  it('index.html and deep links are revalidated (no-cache); a missing asset is a 404, not the app', async () => {
    for (const url of ['/', '/index.html', '/planung/plr/01100101']) {
      const res = await request(app).get(url).expect(200);
      expect(res.type).toBe('text/html');
      expect(res.text).toBe('<!doctype html><title>Sozialatlas</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    const icon = await request(app).get('/favicon.svg').expect(200);
    expect(icon.type).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
    await request(app).get('/assets/index-gone1234.js').expect(404);
  });
});
