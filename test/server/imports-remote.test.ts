/**
 * `sozialatlas import indicators … --server URL --token T` (server/cli/import-remote.ts) against a
 * running server on a free port: the file goes through upload, preview and commit; the values land
 * in the server's database; a file with errors prints the preview's messages — those of the local
 * import — and writes nothing; a wrong token is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../geodata/db.js';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import { importIndicators } from '../../geodata/import/index.js';
import { importIndicatorsRemote, RemoteImportError } from '../../server/cli/import-remote.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const TOKEN = 'remote-test-token';
const PERIOD = '2020-12-31';

describe(`import indicators --server (${backend})`, () => {
  let db: Db;
  let server: Server;
  let url: string;
  let dir: string;
  let codes: string[];

  beforeAll(async () => {
    db = await openSampleDb();
    const app = createApp({
      db,
      config: { ...configFromEnv({ SOZIALATLAS_AUTH_FAILURES: '0' }), apiToken: TOKEN },
      log: { info: () => undefined, error: () => undefined },
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-remote-'));
    codes = (
      await db.query<{ code: string }>(`SELECT code FROM area WHERE level = 'plr' ORDER BY code LIMIT 2`)
    ).rows.map((r) => r.code);
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads, previews with the CLI options and commits; the values are in the database', async () => {
    const file = path.join(dir, 'fern.csv');
    await writeFile(file, `PLR;FERN_A;Name\n${codes[0]};1,5;a\n${codes[1]};2,25;b\n`);
    const r = await importIndicatorsRemote(
      file,
      { level: 'plr', codeField: 'PLR', period: PERIOD, decimal: ',', columns: ['FERN_A'] },
      { url, token: TOKEN },
    );
    expect(r.report).toMatchObject({ file: 'fern.csv', total: 2, added: 2, replaced: 0, level: 'plr' });
    const stored = await db.query<{ code: string; value: number }>(
      `SELECT code, value FROM observation WHERE indicator = 'FERN_A' ORDER BY code`,
    );
    expect(stored.rows).toEqual([
      { code: codes[0], value: 1.5 },
      { code: codes[1], value: 2.25 },
    ]);
  });

  it('a file with errors: the local import messages, nothing written', async () => {
    const file = path.join(dir, 'fehler.csv');
    await writeFile(file, `PLR;FERN_B\n${codes[0]};1,5\n${codes[1]};zwei\n`);
    const opts = { level: 'plr', codeField: 'PLR', period: PERIOD, decimal: ',' as const };
    const local = await importIndicators(db, file, opts).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(local).toContain('keine Zahl');
    const remote = await importIndicatorsRemote(file, opts, { url, token: TOKEN }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(remote).toBeInstanceOf(RemoteImportError);
    expect((remote as RemoteImportError).problems).toEqual([local.replace(file, 'fehler.csv')]);
    const n = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE indicator = 'FERN_B'`);
    expect(n.rows[0].n).toBe(0);
  });

  it('a wrong token is refused with the server message', async () => {
    const file = path.join(dir, 'fern.csv');
    const e = await importIndicatorsRemote(
      file,
      { level: 'plr', codeField: 'PLR', period: PERIOD },
      { url, token: 'falsch' },
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RemoteImportError);
    expect((e as Error).message).toMatch(/^Server antwortet 40[13]: /);
  });
});
