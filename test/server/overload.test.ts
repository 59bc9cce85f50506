/**
 * Overload and abandoned requests (issue 13): the bounded queue in front of the read routes
 * answers 503 with Retry-After when full and serves again once work drains; a request whose
 * client left while it waited is dropped before its work starts. The response cache answers a
 * repeated read from memory with an ETag (304 on If-None-Match) and a write (settings, a direct
 * SQL change) gives new answers. No wall-clock assertions: the "slow" route waits on a gate the
 * test opens, and the test waits on the queue's own counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import type { Db } from '../../geodata/db.js';
import type { AppContext } from '../../server/context.js';
import { configFromEnv } from '../../server/config.js';
import { createApp } from '../../server/app.js';
import { areasRoutes } from '../../server/routes/areas.js';
import { errorHandler } from '../../server/http/errors.js';
import { requestQueue } from '../../server/http/queue.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };

/** Resolves once cond() holds, checking after every turn of the event loop (no timing assumptions). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

/** A GET with its own connection; `abort()` closes it. */
function get(base: string, path: string) {
  let req!: http.ClientRequest;
  const done = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    req = http.get(`${base}${path}`, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
  return { done, abort: () => req.destroy() };
}

describe(`bounded request queue and response cache (${backend})`, () => {
  let db: Db;
  let ctx: AppContext;
  beforeAll(async () => {
    db = await openSampleDb();
    ctx = { db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent };
  });
  afterAll(async () => db?.close());

  /** One working slot, one waiting place; /api/slow holds its slot until the test opens the gate. */
  async function gatedServer() {
    const q = requestQueue(db.kind, { maxActive: 1, maxQueued: 1, retryAfterSeconds: 3 });
    const started: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const app = express();
    app.use('/api', q);
    app.get('/api/slow', async (req, res) => {
      started.push(String(req.query.id));
      await gate;
      const r = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM area WHERE level = 'plr'");
      res.json({ id: req.query.id, areas: r.rows[0].n });
    });
    app.use(areasRoutes(ctx));
    app.use(errorHandler(() => undefined));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { q, started, open, base, close: () => new Promise((r) => server.close(r)) };
  }

  it('a full queue answers 503 with Retry-After, and the server serves again once the work drains', async () => {
    const s = await gatedServer();
    try {
      const a = get(s.base, '/api/slow?id=a');
      await until(() => s.started.length === 1);
      const b = get(s.base, '/api/levels');
      await until(() => s.q.queue.waiting.length === 1);
      const c = await get(s.base, '/api/levels').done;
      expect(c.status).toBe(503);
      expect(c.headers['retry-after']).toBe('3');
      expect(JSON.parse(c.body).error.code).toBe('overloaded');
      expect(JSON.parse(c.body).error.message).toMatch(/ausgelastet.*3 s/);
      s.open();
      expect(JSON.parse((await a.done).body)).toEqual({ id: 'a', areas: 542 });
      const levels = await b.done;
      expect(levels.status).toBe(200);
      expect(JSON.parse(levels.body).map((l: { key: string; count: number }) => [l.key, l.count])[0]).toEqual([
        'plr',
        542,
      ]);
      // recovered: the next request is served at once
      const d = await get(s.base, '/api/areas/01100101').done;
      expect(d.status).toBe(200);
      expect(JSON.parse(d.body).code).toBe('01100101');
      expect(s.q.queue.stats).toMatchObject({ rejected: 1, dropped: 0 });
      expect(s.q.queue.active).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('a waiting request whose client has gone is dropped: its work never starts', async () => {
    const s = await gatedServer();
    try {
      const a = get(s.base, '/api/slow?id=a');
      await until(() => s.started.length === 1);
      const b = get(s.base, '/api/slow?id=b');
      b.done.catch(() => undefined); // the client aborts it
      await until(() => s.q.queue.waiting.length === 1);
      b.abort();
      await until(() => s.q.queue.waiting.length === 0);
      s.open();
      expect(JSON.parse((await a.done).body)).toEqual({ id: 'a', areas: 542 });
      // a third request after the drain runs normally; b never started
      const c = await get(s.base, '/api/slow?id=c').done;
      expect(JSON.parse(c.body)).toEqual({ id: 'c', areas: 542 });
      expect(s.started).toEqual(['a', 'c']);
      expect(s.q.queue.stats.dropped).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('answers a repeated read from the response cache with an ETag, 304 on If-None-Match, new data after a write', async () => {
    const app = createApp(ctx);
    const first = await request(app).get('/api/areas/01100101').expect(200);
    expect(first.headers['x-cache']).toBe('miss');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"r[\d.-]+-[0-9a-f]{8}"$/);
    const again = await request(app).get('/api/areas/01100101').expect(200);
    expect(again.headers['x-cache']).toBe('hit');
    expect(again.headers.etag).toBe(etag);
    expect(again.body).toEqual(first.body);
    await request(app).get('/api/areas/01100101').set('If-None-Match', etag).expect(304);

    // A direct SQL change (no import, no data_version bump) is seen at once: the area's name.
    await db.query("UPDATE area SET name = 'Umbenannt' WHERE level = 'plr' AND code = '01100101'");
    await refreshValues(db);
    const after = await request(app).get('/api/areas/01100101').expect(200);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.headers.etag).not.toBe(etag);
    expect(after.body.name).toBe('Umbenannt');
    await request(app).get('/api/areas/01100101').set('If-None-Match', etag).expect(200);
    const search = await request(app).get('/api/search?q=Umbenannt').expect(200);
    expect(search.body.map((r: { code: string }) => r.code)).toContain('01100101');
  });
});
