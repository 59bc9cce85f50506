/**
 * The migration runner: applies the numbered SQL files in sql/ once each, in order, on either
 * database adapter. Plain SQL files (no migration library) because the same SQL has to run on
 * PGlite and on a PostgreSQL server, and a reader should see the schema as written.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Db } from '../../geodata/db.js';

export const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

/**
 * Applies the numbered migrations in sql/ (NNN_name.sql) that are not yet recorded
 * in schema_migration, each in its own transaction. Running it twice is a no-op.
 * Returns the versions it applied.
 */
export async function migrate(db: Db, dir = SQL_DIR): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = new Set(
    (await db.query<{ version: string }>('SELECT version FROM schema_migration')).rows.map((r) => r.version),
  );
  const files = (await readdir(dir)).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (const file of files) {
    const version = file.slice(0, 3);
    if (done.has(version)) continue;
    const sql = await readFile(path.join(dir, file), 'utf8');
    await db.transaction(async (tx) => {
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migration (version) VALUES ($1)', [version]);
    });
    applied.push(version);
  }
  return applied;
}
