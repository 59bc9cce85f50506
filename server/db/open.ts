/**
 * Opening the configured database: a PostgreSQL/PostGIS server when a connection string is set,
 * else embedded PGlite (in a data directory or in memory), migrated before first use, so every
 * caller (server, CLI, tests) gets the same ready Db.
 */
import { mkdir } from 'node:fs/promises';
import type { Db } from '../../geodata/db.js';
import { openPg } from './pg-db.js';
import { openPglite } from './pglite-db.js';
import { migrate } from './migrate.js';

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data directory; undefined = in memory. */
  dataDir?: string;
  /** Server backend only: an idle connection was ended by the server (logged, not fatal). */
  onIdleError?: (err: Error) => void;
}

/** Opens the configured database (server when databaseUrl is set, else PGlite) and migrates it. */
export async function openDb(opts: OpenOptions): Promise<Db> {
  let db: Db;
  if (opts.databaseUrl) {
    db = openPg(opts.databaseUrl, opts.onIdleError);
  } else {
    if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
    db = await openPglite({ dataDir: opts.dataDir });
  }
  await migrate(db);
  return db;
}
