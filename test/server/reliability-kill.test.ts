/**
 * kill -9 in the middle of work (issue 13, item 7): an import and a typology run of the real CLI
 * are killed while they run; the next process finds the database as before (nothing half
 * written), opens it (on PGlite taking over the dead process's lock) and completes the same work.
 * On both backends. The kill is timed by what the command prints (its progress), never by a clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backend } from '../helpers/test-db.js';
import {
  SCRIPT_BIN,
  cliTarget,
  runCliProcess,
  spawnCli,
  tableCounts,
  waitForWritingTransaction,
  type CliTarget,
} from '../helpers/cli-process.js';

/** Counts of the target, read in this process and closed again (PGlite: the directory is free afterwards). */
async function countsOf(target: CliTarget): Promise<Record<string, number>> {
  const db = await target.open();
  try {
    return await tableCounts(db);
  } finally {
    await db.close();
  }
}

describe(`kill -9 during work of the CLI (${backend})`, () => {
  let target: CliTarget;
  let dir: string;
  let codes: string[];
  let before: Record<string, number>;
  beforeAll(async () => {
    target = await cliTarget('sample');
    dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-kill-'));
    const db = await target.open();
    try {
      codes = (await db.query<{ code: string }>("SELECT code FROM area WHERE level = 'plr' ORDER BY code")).rows.map(
        (r) => r.code,
      );
      before = await tableCounts(db);
    } finally {
      await db.close();
    }
  }, 900_000);
  afterAll(async () => {
    await target?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('import indicators: killed while writing, nothing is stored; the next import completes', async () => {
    // 542 areas × 30 new indicators × 8 periods = 130 080 values in long form: long enough for progress lines
    const KEYS = Array.from({ length: 30 }, (_, i) => `KILL_${String(i + 1).padStart(2, '0')}`);
    const PERIODS = Array.from({ length: 8 }, (_, i) => `${2010 + i}-12-31`);
    const lines = ['PLR_ID,indicator,period,value'];
    for (const c of codes)
      for (const k of KEYS) for (const p of PERIODS) lines.push(`${c},${k},${p},${(Number(c.slice(-3)) % 97) + 0.5}`);
    const file = path.join(dir, 'gross.csv');
    await writeFile(file, lines.join('\n') + '\n');
    const args = ['import', 'indicators', file, '--level', 'plr', '--code-field', 'PLR_ID'];

    const p = spawnCli(args, target.env);
    if (target.dbName) {
      // server: the import's session holds a transaction that has written observations
      await waitForWritingTransaction(target.dbName, '%observation%', 600_000);
    } else {
      // PGlite: the progress line appears from within the import's transaction (after 2 s of writing)
      await p.waitFor(/\d+\/130080/, 600_000);
    }
    p.kill9();
    expect((await p.exited).signal).toBe('SIGKILL');
    expect(p.output()).not.toMatch(/130080 Werte/);
    expect(await countsOf(target)).toEqual(before);

    // the database works after the kill: a smaller import of the same form completes
    const small = path.join(dir, 'klein.csv');
    await writeFile(small, lines.filter((l, i) => i === 0 || /,KILL_0[12],201[01]-/.test(l)).join('\n') + '\n');
    const r = await runCliProcess(
      ['import', 'indicators', small, '--level', 'plr', '--code-field', 'PLR_ID'],
      target.env,
    );
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('2168 Werte (Ebene plr), 2168 neu, 0 ersetzt');
    const after = await countsOf(target);
    expect(after).toEqual({ ...before, indicator: before.indicator + 2, observation: before.observation + 2168 });
    before = after;
  }, 900_000);

  it.skipIf(!SCRIPT_BIN)(
    'typology: killed while computing, no run and no members are stored; the next run stores one complete run',
    async () => {
      const base = [
        'typology',
        '--level',
        'plr',
        '--period',
        '2020-12-31',
        '--indicators',
        'S1,S3,S4,KI_01,KI_02,KI_03',
        '--seed',
        '7',
      ];
      // on a terminal the command shows "N % stage" while it computes
      const p = spawnCli([...base, '--k-range', '2..12', '--restarts', '200', '--bootstrap', '200'], target.env, {
        tty: true,
      });
      await p.waitFor(/\d+ % /, 600_000);
      p.kill9();
      await p.exited;
      expect(await countsOf(target)).toEqual(before);

      const r = await runCliProcess([...base, '--k', '4', '--restarts', '5', '--json'], target.env);
      expect(r.code, r.output).toBe(0);
      const out = JSON.parse(r.output.slice(r.output.indexOf('{'))) as { runId: number; n: number; chosenK: number };
      expect(out.chosenK).toBe(4);
      const db = await target.open();
      try {
        const counts = await tableCounts(db);
        expect(counts.typology_run).toBe(before.typology_run + 1);
        // one member row per analysed area, all of them stored with the run
        const members = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM typology_member WHERE run_id = $1',
          [out.runId],
        );
        expect(members.rows[0].n).toBe(out.n);
        expect(counts.typology_member).toBe(before.typology_member + out.n);
      } finally {
        await db.close();
      }
    },
    900_000,
  );
});
