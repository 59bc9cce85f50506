/**
 * A real time series: the RKI GISD per Kreis 1998–2021 loaded as 24 periods (Länder and Kreise
 * of the VG5000; Gemeinden are left out here to save a minute, the CLI loads them), the change
 * between two years through the API, and a typology per year with the type transition table.
 *
 * The per-year typology goes through the API like a researcher's: stored runs (k = 4 on the GISD
 * score), compared with GET /api/typologies/compare.
 *
 * The GISD table and the VG5000 Kreise and Länder are vendored unchanged under
 * test/fixtures/reference/germany-gisd/ (1.4 MB, checked by MANIFEST.json), so the test always runs.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { loadGermanySample } from '../../geodata/sample/germany.js';
import { GISD_DIR } from '../fixtures/reference/reference.js';

const log = { info() {}, error() {} };
let db: Db;
let app: Express;

describe(`GISD Kreise 1998–2021 as a time series (${backend})`, () => {
  beforeAll(async () => {
    db = await openTestDb();
    await loadGermanySample(db, GISD_DIR, { gemeinden: false });
    app = createApp({ db, config: { ...configFromEnv(), apiToken: 'test-token' }, log });
  }, 600_000);
  afterAll(async () => {
    await db?.close();
  });

  it('loads 16 Länder, 401 Kreise and 24 periods of 400 Kreise', async () => {
    const lv = await request(app).get('/api/levels').expect(200);
    const kreis = lv.body.find((l: { key: string }) => l.key === 'kreis');
    expect(kreis.count).toBe(401);
    expect(kreis.periods).toHaveLength(24);
    expect(kreis.periods[0]).toBe('1998-12-31');
    expect(kreis.periods[23]).toBe('2021-12-31');
    expect(lv.body.find((l: { key: string }) => l.key === 'land').count).toBe(16);
    const n = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM observation WHERE level = 'kreis' AND indicator = 'gisd_score'`,
    );
    expect(n.rows[0].n).toBe(9600);
  });

  it('computes the change of the GISD score between 2011 and 2021', async () => {
    const res = await request(app)
      .get('/api/change')
      .query({ indicator: 'gisd_score', level: 'kreis', from: '2011-12-31', to: '2021-12-31' })
      .expect(200);
    expect(res.body.members).toHaveLength(401);
    expect(res.body.summary.n).toBe(400); // Eisenach 16056 has a polygon but no GISD row
    const flensburg = res.body.members.find((m: { code: string }) => m.code === '01001');
    const raw = await db.query<{ a: number; b: number }>(
      `SELECT (SELECT value FROM observation WHERE level='kreis' AND code='01001' AND indicator='gisd_score' AND period='2011-12-31') AS a,
              (SELECT value FROM observation WHERE level='kreis' AND code='01001' AND indicator='gisd_score' AND period='2021-12-31') AS b`,
    );
    expect(flensburg.absolute).toBeCloseTo(raw.rows[0].b - raw.rows[0].a, 12);
    expect(res.body.absoluteUnit).toBe('Index 0–1'); // an index, not a rate: no percentage points
    const s = res.body.summary;
    expect(s.improved + s.worsened + s.unchanged).toBe(400);
    // GISD release 2025: deprivation fell in most Kreise over the decade
    expect([s.worsened, s.improved, s.unchanged]).toEqual([63, 336, 1]);
    expect(s.meanAbsolute).toBeCloseTo(-0.0555, 4);
    console.log(
      `GISD 2011 → 2021: ${s.worsened} Kreise verschlechtert, ${s.improved} verbessert, mittlere Veränderung ${s.meanAbsolute.toFixed(4)} (min ${s.minAbsolute.toFixed(4)}, max ${s.maxAbsolute.toFixed(4)})`,
    );
  });

  it('a typology per year as stored runs, and their type transition table 1998 → 2021', async () => {
    // The researcher's way: one run per year through the API (stored, reproducible), then the
    // run comparison. k = 4 on the GISD score; types are ordered by need (Typ 1 = least deprived),
    // so type numbers mean the same in both years.
    const run = async (year: number) => {
      const res = await request(app)
        .post('/api/typologies')
        .set('Authorization', 'Bearer test-token')
        .send({
          level: 'kreis',
          period: `${year}-12-31`,
          indicators: ['gisd_score'],
          k: 4,
          kRange: [4, 4],
          restarts: 20,
          bootstrap: 0,
          seed: 1,
        });
      expect([200, 201]).toContain(res.status);
      return res.body as { runId: number; n: number; types: { type: number; size: number }[] };
    };
    const a = await run(1998);
    const b = await run(2021);
    expect(a.types.reduce((s, t) => s + t.size, 0)).toBe(400);
    expect(b.types.reduce((s, t) => s + t.size, 0)).toBe(400);
    const cmp = (await request(app).get('/api/typologies/compare').query({ a: a.runId, b: b.runId }).expect(200))
      .body as {
      nCommon: number;
      unchanged: number;
      adjustedRandIndex: number;
      table: { typesA: number[]; typesB: number[]; counts: number[][] };
    };
    expect(cmp.nCommon).toBe(400);
    // The table agrees with the stored members, recounted here.
    const members = async (id: number) =>
      new Map(
        (
          await db.query<{ code: string; type: number }>('SELECT code, type FROM typology_member WHERE run_id = $1', [
            id,
          ])
        ).rows.map((m) => [m.code, m.type]),
      );
    const [ma, mb] = [await members(a.runId), await members(b.runId)];
    const recount = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    for (const [code, t] of ma) recount[t - 1][mb.get(code)! - 1]++;
    expect(cmp.table.typesA).toEqual([1, 2, 3, 4]);
    expect(cmp.table.typesB).toEqual([1, 2, 3, 4]);
    expect(cmp.table.counts).toEqual(recount);
    expect(cmp.unchanged).toBe(recount.reduce((s, row, i) => s + row[i], 0));
    console.log(
      'Typ-Übergänge 1998 (Zeilen) → 2021 (Spalten):\n' +
        recount.map((r, i) => `Typ ${i + 1}: ${r.join('\t')}`).join('\n') +
        `\nblieben im Typ: ${cmp.unchanged} von 400, ARI ${cmp.adjustedRandIndex.toFixed(3)}`,
    );
    // GISD is relative within a year and deprivation is persistent: most Kreise keep their type,
    // and no Kreis jumps from the least to the most deprived type or back.
    expect(cmp.unchanged).toBeGreaterThan(200);
    expect(recount[0][3]).toBe(0);
    expect(recount[3][0]).toBe(0);
    // Pinned (seed 1, k-means++ with 20 restarts; the same on PGlite and the server): 279 of 400 stay.
    expect(recount).toEqual([
      [67, 24, 0, 0],
      [7, 104, 34, 0],
      [0, 10, 55, 17],
      [0, 1, 28, 53],
    ]);
    expect(cmp.adjustedRandIndex).toBeCloseTo(0.393, 3);
    // Same request, same seed: the run is reproduced exactly (same fingerprint and types).
    const again = await run(2021);
    expect(await members(again.runId)).toEqual(mb);
  }, 120_000);

  it('profiles a Kreis with its Land and change since 1998', async () => {
    const res = await request(app)
      .get('/profile/kreis/01001')
      .query({ format: 'json', since: '1998-12-31' })
      .expect(200);
    expect(res.body.parent).toMatchObject({ code: '01', level: 'land' });
    const g = res.body.indicators.find((i: { key: string }) => i.key === 'gisd_score');
    expect(g.n).toBe(400);
    expect(g.change.absolute).not.toBeNull();
    const html = await request(app).get('/profile/kreis/01001').expect(200);
    expect(html.text).toContain('© GeoBasis-DE / BKG (2021)');
  });
});
