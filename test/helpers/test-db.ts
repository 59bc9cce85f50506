/**
 * Isolated test databases on the backend the suite runs on: PGlite (default) or the
 * PostgreSQL/PostGIS server when DATABASE_URL is set. Copies come from the templates that
 * global-setup.ts built, so every call gets its own database; close() drops server copies.
 */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../geodata/db.js';
import { openPglite } from '../../server/db/pglite-db.js';
import { openPg } from '../../server/db/pg-db.js';
import { TEMPLATE_DIR, templateNames, adminUrl } from './test-db-paths.js';

export const backend: 'pglite' | 'pg' = process.env.DATABASE_URL ? 'pg' : 'pglite';

async function openCopy(template: 'empty' | 'sample'): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const bytes = await readFile(`${TEMPLATE_DIR}/${template}.tgz`);
    return openPglite({ loadDataDir: new Blob([bytes]) });
  }
  const names = templateNames(url);
  const name = `${names.base}_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${names[template]}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = openPg(u.toString());
  return {
    ...db,
    kind: db.kind,
    async close() {
      await db.close();
      const a = new pg.Client({ connectionString: adminUrl(url) });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => a.end());
    },
  };
}

/** A migrated, empty database. */
export const openTestDb = (): Promise<Db> => openCopy('empty');
/** A migrated database with the Berlin sample loaded (plr 542, bzr 143, period 2020-12-31). */
export const openSampleDb = (): Promise<Db> => openCopy('sample');
