import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../geodata/db.js';
import { openPg } from '../../server/db/pg-db.js';
import { openPglite } from '../../server/db/pglite-db.js';
import { migrate } from '../../server/db/migrate.js';
import { adminUrl } from '../helpers/test-db-paths.js';

/** A fresh, migrated database on the server of DATABASE_URL for one bench case; drop() removes it. */
export async function openScratchServer(url: string, purpose: string): Promise<{ db: Db; drop: () => Promise<void> }> {
  const name = `sozialatlas_bench_${purpose}_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl(url) });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE "${name}"`); // name is ours: letters, digits and hex
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = openPg(u.toString());
  await migrate(db);
  return {
    db,
    drop: async () => {
      await db.close();
      await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** A fresh, migrated in-memory PGlite for one bench case; drop() closes it. */
export async function openScratchPglite(): Promise<{ db: Db; drop: () => Promise<void> }> {
  const db = await openPglite();
  await migrate(db);
  return { db, drop: () => db.close() };
}
