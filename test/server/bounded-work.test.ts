/**
 * Bounded expensive work (issue 13, item 3): caps on typology and hotspot requests (a 400 naming
 * the limit, and the limits in the OpenAPI document), the analysis pool (never more runs at once
 * than its size; a queued run is dropped and a running one stopped when its signal aborts), a
 * synchronous run whose client disconnects stops, and DELETE /api/jobs/{id} cancels a job.
 * No wall-clock assertions: every wait polls the pool's state or the job's status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { AppContext } from '../../server/context.js';
import type { Db } from '../../geodata/db.js';
import { runTypology, type TypologyInput, type TypologyResult } from '../../analysis/typology.js';
import { TYPOLOGY_LIMITS } from '../../analysis/typology-defaults.js';
import { MAX_PERMUTATIONS } from '../../analysis/hotspot-input.js';
import { WorkerPool, TaskCancelledError, analysisPool } from '../../server/workers/pool.js';
import { submitTypology } from '../../server/services/typology.js';
import { getJob, waitForJob } from '../../server/jobs.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };
const AUTH = { Authorization: 'Bearer test-token' };

/** Polls until `cond` holds (the test's timeout bounds the wait, never a clock assertion). */
async function until(cond: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 20));
}

/** n areas × 3 indicators from a seeded LCG, three well separated groups. */
function syntheticInput(n: number, seed = 7): TypologyInput {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const raw = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) for (let j = 0; j < 3; j++) raw[i * 3 + j] = (i % 3) * 10 + j + rnd();
  return {
    codes: Array.from({ length: n }, (_, i) => `A${String(i).padStart(5, '0')}`),
    indicators: ['X', 'Y', 'Z'].map((key) => ({ key, label: key, polarity: 1 })),
    raw,
  };
}

describe('caps on expensive requests: a 400 naming the limit, documented in OpenAPI', () => {
  // No query may reach the database: every request here is refused before any work.
  const noDb = new Proxy({}, { get: () => () => Promise.reject(new Error('database used')) });
  const app = createApp({
    db: noDb as AppContext['db'],
    config: { ...configFromEnv({}), apiToken: 'test-token' },
    log: silent,
  });
  const base = { level: 'plr', period: '2020-12-31', indicators: ['S1', 'S3'] };
  const typology = (extra: Record<string, unknown>) =>
    request(app)
      .post('/api/typologies')
      .set(AUTH)
      .send({ ...base, ...extra })
      .expect(400);

  it('limits are 30 for k, 29 for the k range width, 1 000 restarts and bootstrap, 99 999 permutations', () => {
    expect(TYPOLOGY_LIMITS).toEqual({ maxK: 30, maxKRangeWidth: 29, maxRestarts: 1000, maxBootstrap: 1000 });
    expect(MAX_PERMUTATIONS).toBe(99_999);
  });

  it('typology: k 31, kRange [2, 32], 1 001 restarts, 1 001 bootstrap samples are refused, naming the limit', async () => {
    expect((await typology({ k: 31 })).body.error.message).toBe('Ungültige Angaben: k: k höchstens 30');
    expect((await typology({ kRange: [2, 31] })).body.error.message).toBe(
      'Ungültige Angaben: kRange.1: k höchstens 30',
    );
    expect((await typology({ kRange: [3, 33] })).body.error.message).toMatch(/^Ungültige Angaben: kRange/);
    expect((await typology({ restarts: 1001 })).body.error.message).toBe(
      'Ungültige Angaben: restarts: höchstens 1000 Neustarts (restarts)',
    );
    expect((await typology({ bootstrap: 1001 })).body.error.message).toBe(
      'Ungültige Angaben: bootstrap: höchstens 1000 Bootstrap-Stichproben',
    );
  });

  it('hotspots: 100 000 permutations are refused, naming 99 999', async () => {
    const res = await request(app)
      .post('/api/hotspots')
      .set(AUTH)
      .send({ level: 'plr', period: '2020-12-31', indicator: 'S3', permutations: 100_000 })
      .expect(400);
    expect(res.body.error.message).toBe('Ungültige Angaben: permutations: höchstens 99999 Permutationen');
  });

  it('the OpenAPI request bodies carry the same maxima', async () => {
    const doc = (await request(app).get('/api/openapi.json').expect(200)).body;
    const t = doc.paths['/api/typologies'].post.requestBody.content['application/json'].schema.properties;
    expect(t.k.maximum).toBe(30);
    expect(t.kRange.prefixItems.map((p: { maximum: number }) => p.maximum)).toEqual([30, 30]);
    expect(t.kRange.description).toMatch(/end − start ≤ 29/);
    expect(t.restarts.maximum).toBe(1000);
    expect(t.bootstrap.maximum).toBe(1000);
    const h = doc.paths['/api/hotspots'].post.requestBody.content['application/json'].schema.properties;
    expect(h.permutations.maximum).toBe(99_999);
  });
});

describe('the analysis pool', () => {
  const pools: WorkerPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('runs at most its size at once; every queued run ends with the result of the in-process pipeline', async () => {
    const pool = new WorkerPool(2);
    pools.push(pool);
    const inputs = [1, 2, 3, 4, 5].map((seed) => syntheticInput(120, seed));
    const options = { kRange: [2, 4] as [number, number], restarts: 3, bootstrap: 0 };
    const runs = inputs.map((input) => pool.run<TypologyResult>('typology', { input, options }));
    expect(pool.stats()).toMatchObject({ size: 2, running: 2, queued: 3 });
    const results = await Promise.all(runs);
    expect(pool.stats()).toMatchObject({ running: 0, queued: 0, peakRunning: 2, completed: 5, cancelled: 0 });
    results.forEach((r, i) => {
      const expected = runTypology(inputs[i], options);
      expect(r.chosenK).toBe(3);
      expect(r.members).toEqual(expected.members);
    });
  });

  it('a queued run is dropped and a running one stopped when its signal aborts; the next run gets a fresh worker', async () => {
    const pool = new WorkerPool(1);
    pools.push(pool);
    const long = { input: syntheticInput(3000), options: { kRange: [2, 30], restarts: 1000, bootstrap: 1000 } };
    const first = new AbortController();
    const second = new AbortController();
    const running = pool.run('typology', long, { signal: first.signal });
    const queued = pool.run('typology', long, { signal: second.signal });
    expect(pool.stats()).toMatchObject({ running: 1, queued: 1 });
    second.abort();
    await expect(queued).rejects.toBeInstanceOf(TaskCancelledError);
    expect(pool.stats()).toMatchObject({ running: 1, queued: 0, cancelled: 1 });
    first.abort();
    await expect(running).rejects.toBeInstanceOf(TaskCancelledError);
    expect(pool.stats()).toMatchObject({ running: 0, queued: 0, cancelled: 2, completed: 0, peakRunning: 1 });
    // an already aborted signal never queues
    await expect(pool.run('typology', long, { signal: first.signal })).rejects.toBeInstanceOf(TaskCancelledError);
    const input = syntheticInput(60);
    const after = await pool.run<TypologyResult>('typology', { input, options: { k: 3, restarts: 2, bootstrap: 0 } });
    expect(after.members).toEqual(runTypology(input, { k: 3, restarts: 2, bootstrap: 0 }).members);
  });
});

describe(`runs that nobody waits for stop (${backend})`, () => {
  let db: Db;
  let ctx: AppContext;
  let server: http.Server;
  let port: number;
  /** A run on the 542 Planungsräume that would keep a worker busy for many minutes. */
  const heavy = {
    level: 'plr',
    period: '2020-12-31',
    indicators: ['S1', 'S3', 'S4', 'KI_01', 'KI_03'],
    kRange: [2, 30],
    restarts: 1000,
    bootstrap: 1000,
  };
  const runCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM typology_run')).rows[0].n;

  beforeAll(async () => {
    db = await openSampleDb();
    ctx = { db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent };
    server = http.createServer(createApp(ctx));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await analysisPool().close();
    await db?.close();
  });

  it('a synchronous POST /api/typologies whose client disconnects is stopped in the pool and stores nothing', async () => {
    const pool = analysisPool();
    const before = { ...pool.stats() };
    const runsBefore = await runCount();
    const body = JSON.stringify(heavy);
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/typologies',
      headers: { ...AUTH, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    req.on('error', () => undefined); // the socket is destroyed on purpose
    req.end(body);
    await until(() => pool.stats().running === 1);
    req.destroy();
    await until(() => pool.stats().running === 0);
    expect(pool.stats().cancelled).toBe(before.cancelled + 1);
    expect(pool.stats().completed).toBe(before.completed);
    expect(await runCount()).toBe(runsBefore);
  });

  it('DELETE /api/jobs/{id} (token) cancels a running job: it ends as cancelled and its worker stops', async () => {
    const pool = analysisPool();
    const before = { ...pool.stats() };
    const runsBefore = await runCount();
    // syncLimit 0: every run becomes a background job, as one above 5 000 areas does
    const out = await submitTypology(ctx, heavy, 0);
    if (out.kind !== 'job') throw new Error('expected a job');
    const id = out.job.id;
    await until(() => pool.stats().running === 1);
    const app = createApp(ctx);
    await request(app).delete(`/api/jobs/${id}`).expect(401);
    await request(app).delete(`/api/jobs/${id}`).set({ Authorization: 'Bearer wrong' }).expect(403);
    expect(getJob(id)!.status).toBe('running');
    const res = await request(app).delete(`/api/jobs/${id}`).set(AUTH).expect(200);
    expect(res.body).toMatchObject({ id, status: 'cancelled', stage: 'abgebrochen' });
    await until(() => pool.stats().running === 0);
    expect(pool.stats().cancelled).toBe(before.cancelled + 1);
    expect((await waitForJob(id)).status).toBe('cancelled');
    expect((await request(app).get(`/api/jobs/${id}`).expect(200)).body.status).toBe('cancelled');
    const again = await request(app).delete(`/api/jobs/${id}`).set(AUTH).expect(409);
    expect(again.body.error.message).toMatch(/bereits beendet \(cancelled\)/);
    await request(app).delete('/api/jobs/00000000-0000-4000-8000-000000000000').set(AUTH).expect(404);
    expect(await runCount()).toBe(runsBefore);
  });
});
