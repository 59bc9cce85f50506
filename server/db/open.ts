/**
 * Opening the configured database: a PostgreSQL/PostGIS server when a connection string is set,
 * else embedded PGlite (in a data directory or in memory), migrated before first use, so every
 * caller (server, CLI, tests) gets the same ready Db. A PGlite data directory is locked for this
 * process first (db/dir-lock.ts): a second process on it stops with a message instead of
 * corrupting it. The lock is released when the Db is closed.
 */
import { mkdir } from 'node:fs/promises';
import type { Db } from '../../geodata/db.js';
import { migrate } from './migrate.js';
import { acquireDirLock, type DirLock } from './dir-lock.js';

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data directory; undefined = in memory. */
  dataDir?: string;
  /** Server backend only: an idle connection was ended by the server (logged, not fatal). */
  onIdleError?: (err: Error) => void;
  /** PGlite in a directory: a stale lock of a dead process was taken over (for a log line). */
  onStaleLock?: (message: string) => void;
}

/** Opens the configured database (server when databaseUrl is set, else PGlite) and migrates it. */
export async function openDb(opts: OpenOptions): Promise<Db> {
  let db: Db;
  let lock: DirLock | undefined;
  if (opts.databaseUrl) {
    // each backend's modules load only when it is used (node-postgres is no start-up cost for PGlite)
    const { openPg } = await import('./pg-db.js');
    db = openPg(opts.databaseUrl, opts.onIdleError);
  } else {
    if (opts.dataDir) {
      await mkdir(opts.dataDir, { recursive: true });
      // before PGlite touches the files: a second process must not even open them
      lock = await acquireDirLock(opts.dataDir);
      if (lock.tookOver)
        opts.onStaleLock?.(
          `Veraltete Sperre von Prozess ${lock.tookOver.pid} (beendet, seit ${lock.tookOver.startedAt}) übernommen`,
        );
    }
    try {
      const { openPglite } = await import('./pglite-db.js');
      db = await openPglite({ dataDir: opts.dataDir });
    } catch (e) {
      lock?.release();
      throw e;
    }
  }
  if (lock) {
    const held = lock;
    const close = db.close.bind(db);
    db.close = async () => {
      try {
        await close();
      } finally {
        held.release();
      }
    };
  }
  try {
    await migrate(db);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  return db;
}
