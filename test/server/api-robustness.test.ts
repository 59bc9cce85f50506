/**
 * Every path of the OpenAPI document, called with hostile parameters: the answer is always
 * a 2xx/3xx/4xx, never a 500, and every error has the {error:{code,message,details}} shape
 * without a stack trace. Writes without a token are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };

// Values that have broken services elsewhere: quotes, SQL, huge numbers, NaN, empty, unicode, paths.
const HOSTILE = ["'", "1; DROP TABLE area; --", '-1', '1e309', 'NaN', '', '%00', '../../etc/passwd', 'ä'.repeat(300), '[]', '{"a":1}', '0x1F', '2020-02-30'];

function fill(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, encodeURIComponent(value));
}

describe(`API robustness (${backend})`, () => {
  let db: Db;
  let app: Express;
  let paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  const errors: string[] = [];
  beforeAll(async () => {
    db = await openSampleDb();
    app = createApp({ db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: { info: () => undefined, error: (e: unknown) => errors.push(String((e as { err?: Error }).err?.stack ?? e)) } });
    paths = (await request(app).get('/api/openapi.json').expect(200)).body.paths;
  });
  afterAll(async () => db?.close());

  it('documents at least the read, typology, hotspot, tile and monitoring paths', () => {
    const keys = Object.keys(paths);
    for (const p of ['/api/areas/{code}', '/api/typologies', '/api/hotspots', '/api/change', '/api/index', '/profile/{level}/{code}']) expect(keys).toContain(p);
    expect(keys.some((k) => k.startsWith('/tiles/'))).toBe(true);
  });

  it('never answers a GET with 500, whatever the parameters', async () => {
    const statuses = new Map<number, number>();
    for (const [path, ops] of Object.entries(paths)) {
      if (!ops.get) continue;
      const query = (ops.get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const v of HOSTILE) {
        const qs = query.map((q) => `${q}=${encodeURIComponent(v)}`).join('&');
        const url = `${fill(path, v)}${qs ? `?${qs}` : ''}`;
        const res = await request(app).get(url);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${url} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.body?.error?.message, url).toEqual(expect.any(String));
          expect(res.text, url).not.toMatch(/\bat .+\.(ts|js):\d+/);
        }
      }
    }
    expect(errors).toEqual([]);
    // Most hostile calls are rejected as 400/404, not silently accepted.
    const rejected = [...statuses].filter(([s]) => s >= 400).reduce((a, [, n]) => a + n, 0);
    const total = [...statuses.values()].reduce((a, n) => a + n, 0);
    expect(rejected / total).toBeGreaterThan(0.5);
  });

  it('never answers 500 when one parameter is hostile and the others are valid', async () => {
    // Valid values for the sample; each call replaces exactly one of them with a hostile value,
    // so the request gets past the first validation and reaches the services and SQL.
    const valid: Record<string, string> = {
      level: 'plr', indicator: 'S1', period: '2020-12-31', from: '2020-12-31', to: '2020-12-31', code: '01100101',
      codes: '01100101,01100102', key: 'S1', id: '1', runId: '1', a: '1', b: '1', z: '10', x: '550', y: '335',
      q: 'Stüler', bbox: '13.3,52.5,13.4,52.6', method: 'quantile', classes: '5', format: 'csv', since: '2020-12-31',
      limit: '5', indicators: 'S1,S3', type: 'queen',
    };
    for (const [path, ops] of Object.entries(paths)) {
      if (!ops.get) continue;
      const params = (ops.get.parameters ?? []).map((p) => p.name);
      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const target of [...new Set([...params, ...pathParams])]) {
        for (const v of ['2020-02-30', "'", '-1', '1e309', '99999999', '']) {
          const value = (name: string) => (name === target ? v : valid[name] ?? '1');
          const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(value(name)));
          const qs = params.filter((n) => !pathParams.includes(n)).map((n) => `${n}=${encodeURIComponent(value(n))}`).join('&');
          const res = await request(app).get(`${url}${qs ? `?${qs}` : ''}`);
          expect(res.status, `${url}?${qs} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
        }
      }
    }
    expect(errors).toEqual([]);
  });

  it('refuses every write without the token, and with a wrong one', async () => {
    for (const [path, ops] of Object.entries(paths)) {
      for (const method of ['post', 'put', 'delete'] as const) {
        if (!ops[method]) continue;
        const url = fill(path, '1');
        const none = await request(app)[method](url).send({});
        expect(none.status, `${method} ${url}`).toBe(401);
        const wrong = await request(app)[method](url).set('Authorization', 'Bearer nope').send({});
        expect(wrong.status, `${method} ${url}`).toBe(403);
      }
    }
  });

  it('never answers 500 to a hostile body on a write, with the token', async () => {
    const bodies: unknown[] = [
      {}, [], 'x', { level: "'; DROP TABLE area; --" }, { level: 'plr', period: '2020-02-30', indicators: ['S1'] },
      { level: 'plr', period: '2020-12-31', indicator: 'S1', permutations: 1e9 }, { level: 'plr', period: '2020-12-31', indicators: ['S1', 'S1'], k: 1e6 },
      { level: 'plr', period: '2020-12-31', indicators: ['EW'], k: 2, restarts: -1 }, { type: 'nope' }, { level: 'plr', rule: { type: 'threshold' } },
    ];
    for (const [path, ops] of Object.entries(paths)) {
      for (const method of ['post', 'put'] as const) {
        if (!ops[method]) continue;
        for (const body of bodies) {
          const url = fill(path, '1');
          const res = await request(app)[method](url).set('Authorization', 'Bearer test-token').send(body as object);
          expect(res.status, `${method} ${url} ${JSON.stringify(body)} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.body?.error?.message).toEqual(expect.any(String));
        }
      }
    }
    expect(errors).toEqual([]);
  });

  it('answers a malformed JSON body with 400', async () => {
    const res = await request(app).post('/api/typologies').set('Authorization', 'Bearer test-token').set('Content-Type', 'application/json').send('{"level": ');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toEqual(expect.any(String));
  });
});
