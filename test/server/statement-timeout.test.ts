/**
 * A query the database cancels for its statement_timeout (SQLSTATE 57014) answers 503 with
 * Retry-After and a German message, never 500 (server/http/errors.ts). The app is opened with a
 * Db whose every statement runs under `SET LOCAL statement_timeout = 1` (1 ms) on the real
 * database, and asked for weights that are computed on the fly (a spatial join over the 542
 * Planungsräume, far longer than 1 ms). Server backend only: PGlite runs in one WASM thread
 * without the timer that cancels a statement, so it has no statement_timeout to test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Db, Queryable } from '../../geodata/db.js';
import { configFromEnv } from '../../server/config.js';
import { createApp } from '../../server/app.js';
import { QUERY_TIMEOUT_RETRY_SECONDS } from '../../server/http/errors.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };

/** The same database, but every query gets a statement_timeout of `ms` (in its own transaction). */
function withStatementTimeout(db: Db, ms: number): Db {
  const limited = <R>(q: Queryable, sql: string, params?: readonly unknown[]) =>
    db.transaction(async (tx) => {
      await tx.query(`SET LOCAL statement_timeout = ${ms}`); // a number of ours, no user text
      return tx.query<R>(sql, params);
    });
  return {
    ...db,
    kind: db.kind,
    query: <R>(sql: string, params?: readonly unknown[]) => limited<R>(db, sql, params),
    close: () => db.close(),
  };
}

describe.runIf(backend === 'pg')(`statement_timeout → 503 (${backend})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await openSampleDb();
  });
  afterAll(async () => db?.close());

  it('answers a cancelled query with 503, Retry-After and a German message', async () => {
    // Control: without the limit the same request is answered (so the 503 below is the timeout's).
    const normal = createApp({ db, config: configFromEnv({}), log: silent });
    const ok = await request(normal).get('/api/weights?level=plr&type=distance:2500');
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body.lists).length).toBe(542);

    const errors: unknown[] = [];
    const app = createApp({
      db: withStatementTimeout(db, 1),
      config: configFromEnv({}),
      log: { info: () => undefined, error: (e: unknown) => errors.push(e) },
    });
    const res = await request(app).get('/api/weights?level=plr&type=distance:2600');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(String(QUERY_TIMEOUT_RETRY_SECONDS));
    expect(res.body.error.code).toBe('query_timeout');
    expect(res.body.error.message).toMatch(/zu lange gedauert.*erneut versuchen/);
    expect(JSON.stringify(res.body)).not.toMatch(/statement timeout|57014|at .*\.ts/);
    expect(errors).toEqual([]); // an overload, not a defect: nothing logged as an unhandled error
  });
});
