/**
 * The first start is all-or-nothing (issue 13): `serve` killed with -9 while it loads the sample
 * (after the area files, which used to commit on their own and leave 685 areas without values for
 * good) leaves an empty database; the next start loads everything — the same rows as the sample
 * template, the default typology and the six default hotspot runs. Then SIGTERM stops it cleanly.
 * On both backends; on PGlite the restart also takes over the killed process's lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { backend, openSampleDb } from '../helpers/test-db.js';
import { cliTarget, spawnCli, tableCounts, type CliTarget } from '../helpers/cli-process.js';
import { LOCK_FILE } from '../../server/db/dir-lock.js';
import { DEFAULT_HOTSPOT_INDICATORS } from '../../server/services/hotspot-default-runs.js';

const PORT = 19100 + (process.pid % 400);

async function countsOf(target: CliTarget): Promise<Record<string, number>> {
  const db = await target.open();
  try {
    return await tableCounts(db);
  } finally {
    await db.close();
  }
}

describe(`kill -9 during the first start, then a restart (${backend})`, () => {
  let target: CliTarget;
  let sample: Record<string, number>;
  beforeAll(async () => {
    target = await cliTarget('blank');
    const db = await openSampleDb();
    sample = await tableCounts(db);
    await db.close();
  });
  afterAll(async () => target?.dispose());

  it('killed after the area imports: nothing of the sample is stored', async () => {
    const p = spawnCli(['serve', '--port', String(PORT)], target.env);
    await p.waitFor(/Beispieldaten Berlin MSS 2021: MSS-2021-Indikatoren/, 600_000);
    p.kill9();
    expect((await p.exited).signal).toBe('SIGKILL');
    if (target.dataDir) expect(existsSync(path.join(target.dataDir, LOCK_FILE))).toBe(true); // left behind by the kill
    expect(await countsOf(target)).toEqual({
      level: 0,
      area: 0,
      indicator: 0,
      observation: 0,
      typology_run: 0,
      typology_member: 0,
      hotspot_run: 0,
      hotspot_member: 0,
    });
  }, 900_000);

  it('the restart loads the whole sample, the default typology and the hotspot runs; SIGTERM exits 0', async () => {
    const p = spawnCli(['serve', '--port', String(PORT)], { ...target.env, SOZIALATLAS_TOKEN: '' });
    await p.waitFor(/Sozialatlas läuft auf/, 600_000);
    const levels = (await (await fetch(`http://127.0.0.1:${PORT}/api/levels`)).json()) as {
      key: string;
      count: number;
    }[];
    expect(levels.map((l) => [l.key, l.count])).toEqual([
      ['plr', 542],
      ['bzr', 143],
      ['pgr', 58],
      ['bez', 12],
    ]);
    const hotspots = (await (await fetch(`http://127.0.0.1:${PORT}/api/hotspots`)).json()) as { indicator: string }[];
    expect(hotspots.map((h) => h.indicator).sort()).toEqual([...DEFAULT_HOTSPOT_INDICATORS].sort());
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    if (target.dataDir) expect(existsSync(path.join(target.dataDir, LOCK_FILE))).toBe(false);

    const counts = await countsOf(target);
    // the same rows as the template built by loading the sample in one go
    for (const t of ['level', 'area', 'indicator', 'observation']) expect(counts[t], t).toBe(sample[t]);
    expect(counts.typology_run).toBe(1);
    expect(counts.hotspot_run).toBe(6);
    const db = await target.open();
    try {
      // every hotspot run with all its analysed areas as members
      const r = await db.query<{ indicator: string; n: number; stored: number }>(
        `SELECT r.indicator, (r.result->>'n')::int AS n, (SELECT count(*)::int FROM hotspot_member m WHERE m.run_id = r.id) AS stored
           FROM hotspot_run r ORDER BY r.id`,
      );
      expect(r.rows.map((x) => x.indicator)).toEqual([...DEFAULT_HOTSPOT_INDICATORS]);
      for (const row of r.rows) expect(row.stored, row.indicator).toBe(row.n);
      expect(counts.hotspot_member).toBe(r.rows.reduce((s, x) => s + x.n, 0));
      // and the typology run with one member per analysed area
      const t = await db.query<{ n: number }>('SELECT n_areas AS n FROM typology_run');
      expect(counts.typology_member).toBe(t.rows[0].n);
    } finally {
      await db.close();
    }
  }, 900_000);
});
