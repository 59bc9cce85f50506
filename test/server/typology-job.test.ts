/**
 * POST /api/typologies above the synchronous limit (SYNC_LIMIT = 5 000 analysable areas) over
 * HTTP: the limit is not configurable, so the test builds a synthetic level 'grid' of 5 100 small
 * squares with two indicators in three well-separated groups. At exactly 5 000 analysable areas
 * (100 squares suppressed by a small population) the API answers 201; with all 5 100 it answers
 * 202 with Location /api/jobs/{id}, the job reports progress and ends with the stored run.
 * Kept fast: two indicators, k = 3 within 2..3, 2 restarts, a few bootstrap resamples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import { SYNC_LIMIT } from '../../server/services/typology.js';
import { openSampleDb, backend } from '../helpers/test-db.js';
import { refreshValues } from '../../geodata/values/refresh.js';

const silent = { info: () => undefined, error: () => undefined };
const AUTH = { Authorization: 'Bearer test-token' };
const N = 5100;
const COLS = 100;
const PERIOD = '2023-12-31';
const BODY = {
  level: 'grid',
  period: PERIOD,
  indicators: ['G1', 'G2'],
  k: 3,
  kRange: [2, 3],
  restarts: 2,
  bootstrap: 8,
  bootstrapRestarts: 1,
  seed: 4,
};

describe(`typology job above ${SYNC_LIMIT} areas over HTTP (${backend})`, () => {
  let db: Db;
  let app: Express;
  beforeAll(async () => {
    db = await openSampleDb();
    app = createApp({ db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent });
    // 5 100 squares of 0.001° in a 100 × 51 grid south of Berlin, codes with leading zeros
    await db.query(`INSERT INTO level (key, label) VALUES ('grid', 'Raster')`);
    await db.query(
      `INSERT INTO area (level, code, name, geom, area_km2)
       SELECT 'grid', lpad(i::text, 5, '0'), 'Zelle ' || i,
              ST_Multi(ST_MakeEnvelope(13.0 + (i % $2) * 0.001, 52.0 + (i / $2) * 0.001, 13.001 + (i % $2) * 0.001, 52.001 + (i / $2) * 0.001, 4326)),
              0.0077
         FROM generate_series(0, $1 - 1) AS i`,
      [N, COLS],
    );
    await db.query(
      `INSERT INTO indicator (key, label, polarity, kind) VALUES ('G1', 'Gruppe eins', 1, 'index'), ('G2', 'Gruppe zwei', -1, 'index')`,
    );
    // group i % 3 at (0, 0), (10, 0), (0, 10), each with a deterministic jitter in [0, 1)
    await db.query(
      `INSERT INTO observation (level, code, indicator, period, value)
       SELECT 'grid', lpad(i::text, 5, '0'), k, $2::date,
              CASE WHEN (k = 'G1' AND i % 3 = 1) OR (k = 'G2' AND i % 3 = 2) THEN 10 ELSE 0 END
              + ((i * CASE k WHEN 'G1' THEN 7919 ELSE 104729 END) % 1000) / 1000.0
         FROM generate_series(0, $1 - 1) AS i, unnest(ARRAY['G1', 'G2']) AS k`,
      [N, PERIOD],
    );
    // population: 100 squares under the threshold of 300, the rest above
    await db.query(
      `INSERT INTO observation (level, code, indicator, period, value)
       SELECT 'grid', lpad(i::text, 5, '0'), 'EW', $2::date, CASE WHEN i < $3 THEN 50 ELSE 1000 END FROM generate_series(0, $1 - 1) AS i`,
      [N, PERIOD, N - SYNC_LIMIT],
    );
    await refreshValues(db);
  });
  afterAll(async () => db?.close());

  it(`exactly ${SYNC_LIMIT} analysable areas: answered synchronously with 201`, async () => {
    expect(SYNC_LIMIT).toBe(5000);
    const res = await request(app)
      .post('/api/typologies')
      .set(AUTH)
      .send({ ...BODY, bootstrap: 0 })
      .expect(201);
    expect(res.headers.location).toBe(`/api/typologies/${res.body.runId}`);
    expect(res.body.n).toBe(5000);
    expect(res.body.dropped).toHaveLength(100);
    expect(res.body.dropped[0]).toMatchObject({ code: '00000', reason: expect.stringMatching(/gesperrt/) });
    expect(res.body.members).toHaveLength(5000);
    expect(res.body.types.map((t: { size: number }) => t.size).sort()).toEqual([1666, 1667, 1667]);
  });

  it(`${N} areas: 202 with Location /api/jobs/{id}; the job reports progress and ends with the run id`, async () => {
    await db.query(`UPDATE observation SET value = 1000 WHERE level = 'grid' AND indicator = 'EW'`);
    await refreshValues(db);
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM typology_run')).rows[0].n;
    const res = await request(app).post('/api/typologies').set(AUTH).send(BODY).expect(202);
    const jobId = res.body.jobId as string;
    expect(jobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.headers.location).toBe(`/api/jobs/${jobId}`);
    expect(res.body).toEqual({ jobId, status: 'running', url: `/api/jobs/${jobId}` });

    const seen: { status: string; progress: number; stage: string }[] = [];
    let job = (await request(app).get(res.headers.location).expect(200)).body;
    expect(job).toMatchObject({
      id: jobId,
      kind: 'typology',
      finishedAt: job.status === 'running' ? null : expect.any(String),
    });
    seen.push(job);
    for (let i = 0; i < 3000 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      job = (await request(app).get(`/api/jobs/${jobId}`).expect(200)).body;
      seen.push(job);
    }
    expect(job.status).toBe('done');
    expect(job.error).toBeNull();
    expect(job.progress).toBe(1);
    expect(job.stage).toBe('fertig');
    // progress never goes back and stays within 0..1; the run passes through its stages
    const progress = seen.map((s) => s.progress);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    expect(progress.every((p) => p >= 0 && p <= 1)).toBe(true);
    const running = seen.filter((s) => s.status === 'running');
    expect(running.length).toBeGreaterThan(0);
    expect(running.some((s) => s.progress > 0 && s.progress < 1)).toBe(true);
    expect(running.every((s) => s.progress <= 0.97)).toBe(true); // the last 3 % are storing the run

    expect(job.result).toEqual({
      runId: expect.any(Number),
      chosenK: 3,
      n: N,
      url: `/api/typologies/${job.result.runId}`,
    });
    const after = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM typology_run')).rows[0].n;
    expect(after).toBe(before + 1);
    const run = (await request(app).get(job.result.url).expect(200)).body;
    expect(run).toMatchObject({
      id: job.result.runId,
      level: 'grid',
      period: PERIOD,
      chosenK: 3,
      n: N,
      indicators: ['G1', 'G2'],
    });
    expect(run.params).toMatchObject({ k: 3, kRange: [2, 3], restarts: 2, bootstrap: 8, seed: 4 });
    // three groups of 1 700 squares, recovered exactly and stable
    expect(run.types.map((t: { size: number }) => t.size)).toEqual([1700, 1700, 1700]);
    expect(
      run.result.types.every(
        (t: { stability: number; unstable: boolean }) => t.stability > 0.99 && t.unstable === false,
      ),
    ).toBe(true);
    const members = (await request(app).get(`/api/typologies/${job.result.runId}/members`).expect(200)).body as {
      code: string;
      type: number;
    }[];
    expect(members).toHaveLength(N);
    expect(members[0].code).toBe('00000');
    const typeOfGroup = new Map<number, Set<number>>();
    for (const m of members) {
      const g = Number(m.code) % 3;
      typeOfGroup.set(g, (typeOfGroup.get(g) ?? new Set()).add(m.type));
    }
    expect([...typeOfGroup.values()].map((s) => s.size)).toEqual([1, 1, 1]);
    expect(new Set([...typeOfGroup.values()].map((s) => [...s][0])).size).toBe(3);
  });

  it('bad input above the limit is still a 400 before any job starts', async () => {
    const res = await request(app)
      .post('/api/typologies')
      .set(AUTH)
      .send({ ...BODY, indicators: ['G1', 'NOPE'] })
      .expect(400);
    expect(res.body.error.message).toMatch(/Unbekannte Indikatoren: NOPE/);
    await request(app).post('/api/typologies').send(BODY).expect(401);
  });
});
