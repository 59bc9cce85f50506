/**
 * Builds two template databases once per test run, so each test file gets an isolated copy
 * in seconds instead of re-importing the sample:
 * - PGlite: data directories dumped to test-results/.db/{empty,sample}.tgz;
 * - server (DATABASE_URL set): databases <db>_tpl_empty and <db>_tpl_sample used as CREATE DATABASE templates.
 */
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { openPglite } from '../../server/db/pglite-db.js';
import { openPg } from '../../server/db/pg-db.js';
import { migrate } from '../../server/db/migrate.js';
import { loadSample } from '../../geodata/sample/load.js';
import { TEMPLATE_DIR, templateNames, adminUrl } from './test-db-paths.js';

/**
 * A hash of everything that shapes the templates (migrations, importer, sample, value engine and the
 * analysis code it uses, db adapters):
 * templates are rebuilt only when it changes, so a developer's second run starts at once.
 */
async function templateKey(): Promise<string> {
  const h = createHash('sha256');
  const root = path.resolve(TEMPLATE_DIR, '../..');
  for (const dir of ['sql', 'geodata/import', 'geodata/sample', 'geodata/values', 'analysis', 'server/db']) {
    const files = (await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }))
      .filter((f) => f.isFile())
      .map((f) => path.join(f.parentPath, f.name))
      .sort();
    for (const f of files) h.update(f.slice(root.length)).update(await readFile(f));
  }
  return h.digest('hex').slice(0, 16);
}

export default async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const key = await templateKey();
  if (url) {
    const admin = new pg.Client({ connectionString: adminUrl(url) });
    await admin.connect();
    const names = templateNames(url);
    for (const [name, withSample] of [
      [names.empty, false],
      [names.sample, true],
    ] as const) {
      const existing = await admin.query<{ key: string | null }>(
        "SELECT shobj_description(oid, 'pg_database') AS key FROM pg_database WHERE datname = $1",
        [name],
      );
      if (existing.rows[0]?.key === key) continue;
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}"`);
      const db = openPg(withDatabase(url, name));
      await migrate(db);
      if (withSample) await loadSample(db);
      await db.close();
      await admin.query(`COMMENT ON DATABASE "${name}" IS '${key}'`); // key is hex: safe to inline
    }
    await admin.end();
    return;
  }
  await mkdir(TEMPLATE_DIR, { recursive: true });
  const keyFile = `${TEMPLATE_DIR}/key.txt`;
  if ((await readFile(keyFile, 'utf8').catch(() => '')) === key) return;
  for (const withSample of [false, true]) {
    const db = await openPglite();
    await migrate(db);
    if (withSample) await loadSample(db);
    const blob = await db.dump();
    // write then rename: another test run may be reading the previous template right now
    const target = `${TEMPLATE_DIR}/${withSample ? 'sample' : 'empty'}.tgz`;
    await writeFile(`${target}.${process.pid}`, Buffer.from(await blob.arrayBuffer()));
    await rename(`${target}.${process.pid}`, target);
    await db.close();
  }
  await writeFile(keyFile, key);
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
