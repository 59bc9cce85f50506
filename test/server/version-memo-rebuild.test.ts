/**
 * After a data change the per-version results that were in use are rebuilt in the background
 * (server/services/version-memo.ts): the first reader of the new version — here the version read
 * every request makes through the response cache — starts the rebuild of a level's profiles, so
 * the first profile request finds them built or being built. The rebuilt answer is identical to
 * a build from scratch on the new data (a transaction's handle has its own, empty memo), and
 * carries the change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../geodata/db.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { buildProfiles } from '../../server/services/area-profile.js';
import { isPrepared, versionReader } from '../../server/services/version-memo.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const CODE = '01100101';
const KEY = 'profiles:plr::'; // buildProfiles' key for the level's default period, no change column

describe(`per-version results rebuilt after a data change (${backend})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await openSampleDb();
  });
  afterAll(async () => db?.close());

  it('rebuilds the profiles in use once the new version is read; the answer equals a build from scratch', async () => {
    const before = (await buildProfiles(db, 'plr', { codes: [CODE] }))[0];
    expect(isPrepared(db, KEY)).toBe(true);
    const s4Before = before.indicators.find((i) => i.key === 'S4')!.value;

    await db.query(
      `UPDATE observation SET value = 42.5 WHERE level = 'plr' AND code = $1 AND indicator = 'S4' AND period = '2020-12-31'`,
      [CODE],
    );
    await refreshValues(db);
    // The change alone builds nothing; a reader of the new version starts the rebuild.
    await versionReader(db).read();
    expect(isPrepared(db, KEY)).toBe(true);

    const rebuilt = await buildProfiles(db, 'plr');
    const fromScratch = await db.transaction((tx) => buildProfiles(tx, 'plr'));
    expect(rebuilt).toEqual(fromScratch);
    const after = rebuilt.find((p) => p.code === CODE)!;
    expect(s4Before).not.toBe(42.5);
    expect(after.indicators.find((i) => i.key === 'S4')!.value).toBe(42.5);
  });
});
