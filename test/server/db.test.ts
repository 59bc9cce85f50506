import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../geodata/db.js';
import { migrate } from '../../server/db/migrate.js';
import { openTestDb, backend } from '../helpers/test-db.js';

describe(`Db adapter (${backend})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db?.close());

  it('is the backend the suite runs on, with PostGIS', async () => {
    expect(db.kind).toBe(backend);
    const r = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
    expect(r.rows[0].v).toMatch(/^3\./);
  });

  it('has applied every migration once, and a second run applies none', async () => {
    const r = await db.query<{ version: string }>('SELECT version FROM schema_migration ORDER BY version');
    expect(r.rows.map((x) => x.version)).toContain('001');
    expect(r.rows.map((x) => x.version)).toContain('002');
    expect(await migrate(db)).toEqual([]);
  });

  it('rolls a failed transaction back completely', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO level (key, label) VALUES ('tx_test', 'Test')`);
        await tx.query('SELECT 1/0');
      }),
    ).rejects.toThrow(/division by zero/);
    const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM level WHERE key = 'tx_test'`);
    expect(r.rows[0].n).toBe(0);
  });

  it('commits a successful transaction and returns its value', async () => {
    const out = await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO level (key, label) VALUES ($1, $2)`, ['tx_ok', 'Test']);
      return 42;
    });
    expect(out).toBe(42);
    const r = await db.query<{ label: string }>(`SELECT label FROM level WHERE key = 'tx_ok'`);
    expect(r.rows).toEqual([{ label: 'Test' }]);
  });

  it('binds parameters: text that looks like SQL stays data', async () => {
    const evil = "x'); DROP TABLE area; --";
    await db.query('INSERT INTO level (key, label) VALUES ($1, $2)', ['evil', evil]);
    const r = await db.query<{ label: string }>(`SELECT label FROM level WHERE key = 'evil'`);
    expect(r.rows[0].label).toBe(evil);
    const t = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'area'`,
    );
    expect(t.rows[0].n).toBe(1);
  });

  it('returns counts as numbers and dates as ISO text on both adapters', async () => {
    const r = await db.query<{ n: number; d: string }>(`SELECT count(*) AS n, DATE '2020-12-31' AS d FROM level`);
    expect(typeof r.rows[0].n).toBe('number');
    expect(r.rows[0].d).toBe('2020-12-31');
  });
});

describe.runIf(backend === 'pg')('server pool when the server ends a connection', () => {
  it('reports an idle connection ended by the server and carries on with a new one', async () => {
    const { openPg } = await import('../../server/db/pg-db.js');
    const url = process.env.DATABASE_URL as string;
    const idleErrors: string[] = [];
    const db = openPg(url, (err) => idleErrors.push((err as Error & { code?: string }).code ?? err.message));
    const other = openPg(url);
    try {
      const pid = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      // What a server restart or DROP DATABASE … WITH (FORCE) does to an idle pooled connection.
      await other.query('SELECT pg_terminate_backend($1)', [pid]);
      for (let i = 0; i < 50 && idleErrors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(idleErrors).toEqual(['57P01']); // admin_shutdown, reported instead of crashing the process
      const again = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(again.rows[0].pid).not.toBe(pid);
    } finally {
      await db.close();
      await other.close();
    }
  });
});
