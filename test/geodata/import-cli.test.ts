/** The CLI wrapper: report on success; message, non-zero exit code and no change on bad input; transaction rollback after written batches. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../geodata/db.js';
import type { AppContext } from '../../server/context.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { runCli } from '../helpers/run-cli.js';
import { registerImportCli } from '../../server/cli/import.js';
import { importIndicators, ImportError } from '../../geodata/import/index.js';
import { fixture, snapshot } from './import-helpers.js';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db?.close();
});

/** `sozialatlas <args>` with the import commands on the test database. */
const cli = (...args: string[]) =>
  runCli(
    [registerImportCli],
    () => ({ db, config: {} as AppContext['config'], log: { info() {}, error() {} } }),
    ...args,
  );

describe(`sozialatlas import (${backend})`, () => {
  it('areas, meta and indicators print a report', async () => {
    const a = await cli(
      'import',
      'areas',
      fixture('areas-4326.geojson'),
      '--level',
      'cli',
      '--code-field',
      'code',
      '--name-field',
      'name',
    );
    expect(a.exitCode).toBe(0);
    expect(a.out).toMatch(/3 Gebiete \(Ebene cli\), 3 neu, 0 ersetzt/);
    const m = await cli('import', 'meta', fixture('meta.csv'));
    expect(m.out).toMatch(/2 Indikatoren, 2 neu/);
    const i = await cli(
      'import',
      'indicators',
      fixture('wide-semicolon.csv'),
      '--level',
      'cli',
      '--code-field',
      'code',
      '--period',
      '2020-12-31',
      '--decimal',
      ',',
      '--columns',
      'EW,S1',
      '--missing',
      '-9999,-1',
      '--delimiter',
      ';',
    );
    expect(i.exitCode).toBe(0);
    expect(i.out).toMatch(/6 Werte \(Ebene cli\), 6 neu, 0 ersetzt/);
  });

  it('bad input: the message on stderr, exit code 1, nothing written', async () => {
    const before = await snapshot(db);
    const r = await cli(
      'import',
      'indicators',
      fixture('bad-number.csv'),
      '--level',
      'cli',
      '--code-field',
      'code',
      '--period',
      '2020-12-31',
      '--decimal',
      ',',
    );
    expect(r.exitCode).toBe(1);
    expect(r.err).toContain('bad-number.csv, Zeile 2, Feld "S1", Wert "abc": keine Zahl');
    expect(await snapshot(db)).toEqual(before);
  });

  it('an error after several written batches rolls all of them back', async () => {
    // 3 areas × 2 100 periods in long form = 6 300 rows: more than one 5 000-row batch is written before the bad last row.
    const dir = await mkdtemp(path.join(tmpdir(), 'imp-'));
    const file = path.join(dir, 'long-big.csv');
    const lines = ['code,indicator,period,value'];
    const start = Date.UTC(2000, 0, 1);
    for (let d = 0; d < 2100; d++) {
      const period = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
      for (const code of ['0101', '0102', '0201']) lines.push(`${code},S1,${period},${d}`);
    }
    lines[lines.length - 1] = lines[lines.length - 1].replace(/,\d+$/, ',n/a');
    await writeFile(file, lines.join('\n') + '\n');
    const before = await snapshot(db);
    const e = await importIndicators(db, file, { level: 'cli', codeField: 'code' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).row).toBe(6300);
    expect((e as Error).message).toContain('Wert "n/a"');
    expect(await snapshot(db)).toEqual(before);
  });
});
