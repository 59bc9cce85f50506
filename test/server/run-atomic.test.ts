/**
 * A run and its members are stored in one transaction (issue 13): when storing the members fails,
 * no run row is left behind, for hotspot runs (server/services/hotspots.ts) and typology runs
 * (server/services/typology/store.ts). The failure is real: a trigger on the member table of the
 * test database raises an error on insert; after dropping it the same run is stored whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../geodata/db.js';
import type { AppContext } from '../../server/context.js';
import { configFromEnv } from '../../server/config.js';
import { runHotspots } from '../../server/services/hotspots.js';
import { createTypology } from '../../server/services/typology.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };

/** Makes every INSERT into `table` fail (table is one of ours, not user text). */
async function breakInserts(db: Db, table: 'hotspot_member' | 'typology_member'): Promise<() => Promise<void>> {
  await db.exec(`
    CREATE FUNCTION test_refuse_members() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'Testfehler beim Speichern der Mitglieder'; END $$;
    CREATE TRIGGER test_refuse_members BEFORE INSERT ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION test_refuse_members();`);
  return () => db.exec(`DROP TRIGGER test_refuse_members ON ${table}; DROP FUNCTION test_refuse_members();`);
}

const count = async (db: Db, sql: string) => Number((await db.query<{ n: number }>(sql)).rows[0].n);

describe(`a run and its members in one transaction (${backend})`, () => {
  let db: Db;
  let ctx: AppContext;
  beforeAll(async () => {
    db = await openSampleDb();
    ctx = { db, config: configFromEnv({}), log: silent };
  });
  afterAll(async () => db?.close());

  it('hotspots: a failure while storing members leaves no run row; without it the run is stored whole', async () => {
    const req = { level: 'plr', period: '2020-12-31', indicator: 'S1', permutations: 99 };
    const runsBefore = await count(db, 'SELECT count(*) AS n FROM hotspot_run');
    const membersBefore = await count(db, 'SELECT count(*) AS n FROM hotspot_member');
    const repair = await breakInserts(db, 'hotspot_member');
    try {
      await expect(runHotspots(db, req)).rejects.toThrow(/Testfehler beim Speichern der Mitglieder/);
    } finally {
      await repair();
    }
    expect(await count(db, 'SELECT count(*) AS n FROM hotspot_run')).toBe(runsBefore);
    expect(await count(db, 'SELECT count(*) AS n FROM hotspot_member')).toBe(membersBefore);

    const out = await runHotspots(db, req);
    expect(await count(db, 'SELECT count(*) AS n FROM hotspot_run')).toBe(runsBefore + 1);
    const stored = await count(db, `SELECT count(*) AS n FROM hotspot_member WHERE run_id = ${out.runId}`);
    // every analysed area has its member row (the answer hides secondary-suppressed ones, the table does not)
    expect(stored).toBe(await count(db, `SELECT (result->>'n')::int AS n FROM hotspot_run WHERE id = ${out.runId}`));
    expect(stored).toBeGreaterThanOrEqual(out.members.length);
  });

  it('typology: a failure while storing members leaves no run row; without it the run is stored whole', async () => {
    const body = {
      level: 'plr',
      period: '2020-12-31',
      indicators: ['S1', 'S3', 'S4'],
      k: 3,
      kRange: [3, 3],
      restarts: 3,
      bootstrap: 0,
    };
    const runsBefore = await count(db, 'SELECT count(*) AS n FROM typology_run');
    const membersBefore = await count(db, 'SELECT count(*) AS n FROM typology_member');
    const repair = await breakInserts(db, 'typology_member');
    try {
      await expect(createTypology(ctx, body)).rejects.toThrow(/Testfehler beim Speichern der Mitglieder/);
    } finally {
      await repair();
    }
    expect(await count(db, 'SELECT count(*) AS n FROM typology_run')).toBe(runsBefore);
    expect(await count(db, 'SELECT count(*) AS n FROM typology_member')).toBe(membersBefore);

    const out = await createTypology(ctx, body);
    expect(await count(db, 'SELECT count(*) AS n FROM typology_run')).toBe(runsBefore + 1);
    expect(await count(db, `SELECT count(*) AS n FROM typology_member WHERE run_id = ${out.runId}`)).toBe(out.n);
  });
});
