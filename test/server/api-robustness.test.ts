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

// Values that have broken services elsewhere: quotes, SQL, huge numbers, NaN, empty, unicode, paths.
const HOSTILE = [
  "'",
  '1; DROP TABLE area; --',
  '-1',
  '1e309',
  'NaN',
  '',
  '%00',
  '../../etc/passwd',
  'ä'.repeat(300),
  '[]',
  '{"a":1}',
  '0x1F',
  '2020-02-30',
];

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
    app = createApp({
      db,
      // This suite sends a wrong token to every write route on purpose: the failed-token limit (tested
      // in headers.test.ts) is off here, or it would answer 429 before the route could answer 403.
      config: { ...configFromEnv({ SOZIALATLAS_AUTH_FAILURES: '0' }), apiToken: 'test-token' },
      log: {
        info: () => undefined,
        error: (e: unknown) => errors.push(String((e as { err?: Error }).err?.stack ?? e)),
      },
    });
    paths = (await request(app).get('/api/openapi.json').expect(200)).body.paths;
  });
  afterAll(async () => db?.close());

  it('documents at least the read, typology, hotspot, tile and monitoring paths', () => {
    const keys = Object.keys(paths);
    for (const p of [
      '/api/areas/{code}',
      '/api/typologies',
      '/api/hotspots',
      '/api/change',
      '/api/index',
      '/profile/{level}/{code}',
    ])
      expect(keys).toContain(p);
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
      level: 'plr',
      indicator: 'S1',
      period: '2020-12-31',
      from: '2020-12-31',
      to: '2020-12-31',
      code: '01100101',
      codes: '01100101,01100102',
      key: 'S1',
      id: '1',
      runId: '1',
      a: '1',
      b: '1',
      z: '10',
      x: '550',
      y: '335',
      q: 'Stüler',
      bbox: '13.3,52.5,13.4,52.6',
      method: 'quantile',
      classes: '5',
      format: 'csv',
      since: '2020-12-31',
      limit: '5',
      indicators: 'S1,S3',
      type: 'queen',
    };
    for (const [path, ops] of Object.entries(paths)) {
      if (!ops.get) continue;
      const params = (ops.get.parameters ?? []).map((p) => p.name);
      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const target of [...new Set([...params, ...pathParams])]) {
        for (const v of ['2020-02-30', "'", '-1', '1e309', '99999999', '']) {
          const value = (name: string) => (name === target ? v : (valid[name] ?? '1'));
          const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(value(name)));
          const qs = params
            .filter((n) => !pathParams.includes(n))
            .map((n) => `${n}=${encodeURIComponent(value(n))}`)
            .join('&');
          const res = await request(app).get(`${url}${qs ? `?${qs}` : ''}`);
          expect(res.status, `${url}?${qs} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
        }
      }
    }
    expect(errors).toEqual([]);
  });

  it('refuses every write without the token, and with a wrong one', async () => {
    // logging in and the first admin's setup take their credentials in the body (accounts.test.ts)
    const open = new Set(['/api/login', '/api/setup']);
    for (const [path, ops] of Object.entries(paths)) {
      if (open.has(path)) continue;
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
      {},
      [],
      'x',
      { level: "'; DROP TABLE area; --" },
      { level: 'plr', period: '2020-02-30', indicators: ['S1'] },
      { level: 'plr', period: '2020-12-31', indicator: 'S1', permutations: 1e9 },
      { level: 'plr', period: '2020-12-31', indicators: ['S1', 'S1'], k: 1e6 },
      { level: 'plr', period: '2020-12-31', indicators: ['EW'], k: 2, restarts: -1 },
      { type: 'nope' },
      { level: 'plr', rule: { type: 'threshold' } },
    ];
    for (const [path, ops] of Object.entries(paths)) {
      for (const method of ['post', 'put'] as const) {
        if (!ops[method]) continue;
        for (const body of bodies) {
          const url = fill(path, '1');
          const agent = request(app);
          const res = await agent[method](url)
            .set('Authorization', 'Bearer test-token')
            .send(body as object);
          expect(
            res.status,
            `${method} ${url} ${JSON.stringify(body)} → ${res.status} ${res.text.slice(0, 200)}`,
          ).toBeLessThan(500);
          if (res.status >= 400) expect(res.body?.error?.message).toEqual(expect.any(String));
        }
      }
    }
    expect(errors).toEqual([]);
  });

  it('applies one rule to names that match nothing: 400 in the query string or body, 404 in the path', async () => {
    const cases: [string, number, string][] = [
      // query string: the request is wrong
      ['/api/indicators?level=kreis', 400, "Unbekannte Ebene 'kreis'"],
      ['/api/areas?level=kreis', 400, "Unbekannte Ebene 'kreis'"],
      ['/api/search?q=Stüler&level=kreis', 400, "Unbekannte Ebene 'kreis'"],
      ['/api/areas/01100101?level=kreis', 400, "Unbekannte Ebene 'kreis'"],
      ['/api/values?indicator=XX&level=plr', 400, "Unbekannter Indikator 'XX'"],
      ['/api/values?indicator=S1&level=kreis', 400, "Unbekannte Ebene 'kreis'"],
      [
        '/api/values?indicator=S1&level=plr&period=2019-12-31',
        400,
        "Unbekannter Zeitraum '2019-12-31' für Indikator 'S1' auf Ebene 'plr'",
      ],
      ['/api/coverage?indicator=XX', 400, "Unbekannter Indikator 'XX'"],
      ['/api/export.csv?level=plr&indicators=S1,XX', 400, "Unbekannter Indikator 'XX'"],
      ['/api/export.geojson?level=kreis', 400, "Unbekannte Ebene 'kreis'"],
      ['/api/change?indicator=XX&level=plr&from=2020-12-31&to=2021-12-31', 400, "Unbekannter Indikator 'XX'"],
      ['/api/change?indicator=S1&level=kreis&from=2020-12-31&to=2021-12-31', 400, "Unbekannte Ebene 'kreis'"],
      ['/api/index?level=kreis&period=2020-12-31', 400, "Unbekannte Ebene 'kreis'"],
      ['/api/index?level=plr&period=2020-12-31&status=S1,XX,YY', 400, 'Unbekannte Indikatoren: XX, YY'],
      ['/api/compare?codes=01100101,99999999', 400, 'Unbekannte Gebiete: 99999999'],
      ['/api/warnings?level=kreis', 400, "Unbekannte Ebene 'kreis'"],
      ['/profile/plr/01100101?period=2019-12-31', 400, "Unbekannter Zeitraum '2019-12-31' auf Ebene 'plr'"],
      ['/profile/plr/01100101?since=2019-12-31', 400, "Unbekannter Zeitraum since='2019-12-31' auf Ebene 'plr'"],
      ['/tiles/areas/0/0/0.pbf?level=kreis', 400, "Unbekannte Ebene 'kreis'"],
      // URL path: the resource is not there
      ['/api/areas/99999999', 404, "Unbekanntes Gebiet '99999999'"],
      ['/api/warning-rules/999999', 404, 'Keine Warnregel mit id 999999'],
      ['/profile/kreis/01100101', 404, "Unbekannte Ebene 'kreis'"],
      ['/profile/kreis.zip', 404, "Unbekannte Ebene 'kreis'"],
      ['/profile/plr/99999999', 404, "Unbekanntes Gebiet auf Ebene 'plr': 99999999"],
      ['/tiles/indicator/XX/2020-12-31/0/0/0.pbf', 404, "Unbekannter Indikator 'XX'"],
      [
        '/tiles/indicator/S4/1999-12-31.json',
        404,
        "Keine Werte für Indikator 'S4' im Zeitraum 1999-12-31 auf Ebene 'plr'",
      ],
    ];
    for (const [url, status, message] of cases) {
      const res = await request(app).get(url);
      expect({ url, status: res.status, message: res.body?.error?.message }).toEqual({
        url,
        status,
        message: expect.stringContaining(message),
      });
      expect(res.body.error.code).toBe(status === 400 ? 'bad_request' : 'not_found');
    }
    // body: the request is wrong
    const rule = await request(app)
      .post('/api/warning-rules')
      .set('Authorization', 'Bearer test-token')
      .send({ name: 'x', type: 'threshold', level: 'kreis', params: { indicator: 'S1', op: 'above', value: 1 } });
    expect({ status: rule.status, message: rule.body.error.message }).toEqual({
      status: 400,
      message: "Unbekannte Ebene 'kreis'",
    });
    expect(errors).toEqual([]);
  });

  it('answers a malformed JSON body with 400', async () => {
    const res = await request(app)
      .post('/api/typologies')
      .set('Authorization', 'Bearer test-token')
      .set('Content-Type', 'application/json')
      .send('{"level": ');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toEqual(expect.any(String));
  });
});
