/**
 * Hotspot runs end to end on the Berlin sample: service numbers against spdep 1.2-7, stored
 * runs, the API (token, validation, 400s) and the composite. A run analyses the 536 areas that
 * are not primary-suppressed or invalid (so its numbers match spdep) and stores all of them in
 * hotspot_member; the members of the 5 areas hidden to protect a small sibling (secondary
 * suppression) are published neither by the POST answer nor by GET …/members (531 each). The
 * table hotspot_member is internal, not a published output: the tests read it by SQL where they
 * need every analysed area.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import { openSampleDb, backend } from '../helpers/test-db.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { loadSpatialReference, type SpatialReference } from '../fixtures/reference/reference.js';

/** R spdep 1.2-7 on the index indicators (vendored). */
let ref: SpatialReference;
beforeAll(() => {
  ref = loadSpatialReference();
});
const silent = { info: () => undefined, error: () => undefined };
const AUTH = { Authorization: 'Bearer test-token' };
const BASE = { level: 'plr', period: '2020-12-31' };

/** Codes of a run's stored (analysed) members, read from the internal table hotspot_member, sorted. */
async function storedCodes(db: Db, runId: number): Promise<string[]> {
  const r = await db.query<{ code: string }>('SELECT code FROM hotspot_member WHERE run_id = $1 ORDER BY code', [
    runId,
  ]);
  return r.rows.map((x) => x.code);
}

describe(`hotspot runs and API on the Berlin sample (${backend})`, () => {
  let db: Db;
  let app: Express;
  /** Planungsräume hidden on 31.12.2020 only to protect a small sibling: analysed, never published. */
  let secondary: Set<string>;
  beforeAll(async () => {
    db = await openSampleDb();
    app = createApp({ db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent });
    const hidden = await db.query<{ code: string }>(
      `SELECT code FROM area_suppression WHERE level = 'plr' AND period = '2020-12-31' AND reason = 'secondary'`,
    );
    secondary = new Set(hidden.rows.map((r) => r.code));
  });
  afterAll(async () => db?.close());

  for (const weights of ['queen', 'knn:6']) {
    it(`POST /api/hotspots S3 ${weights}: matches spdep, drops the 6 KOM areas, stores the run`, async () => {
      const res = await request(app)
        .post('/api/hotspots')
        .set(AUTH)
        .send({ ...BASE, indicator: 'S3', weights, permutations: 999, seed: 1 })
        .expect(201);
      const out = res.body;
      expect(Object.keys(out).slice(0, 6)).toEqual(['runId', 'params', 'dropped', 'islands', 'global', 'members']);
      expect(out.dropped.sort()).toEqual(ref.dropped.map((d) => d.id).sort());
      expect(out.islands).toEqual([]);
      // the answer publishes the 536 analysed (stored) areas less the 5 secondary-hidden ones
      expect(secondary.size).toBe(5);
      const analysed = await storedCodes(db, out.runId);
      expect(analysed).toHaveLength(536);
      expect(out.members.length).toBe(531);
      expect(out.members.map((m: { code: string }) => m.code)).toEqual(analysed.filter((c) => !secondary.has(c)));
      const r = ref.results.S3[weights === 'queen' ? 'queen' : 'knn'];
      expect(out.global.I).toBeCloseTo(r.global.I, 9);
      expect(out.global.z).toBeCloseTo(r.global.z_randomisation, 8);
      expect(out.global.variance).toBeCloseTo(r.global.variance_randomisation, 12);
      expect(out.global.pPermutation).toBe(0.001);
      // every published member matches spdep
      for (const m of out.members) {
        const l = r.local[m.code];
        expect(l, m.code).toBeDefined();
        expect(m.lisaI).toBeCloseTo(l.Ii, 9);
        expect(m.lisaZ).toBeCloseTo(l.z_Ii, 9);
        expect(m.giZ).toBeCloseTo(l.gistar_z, 9);
        expect(m.quadrant).toBe(l.quadrant_raw);
        expect(Object.keys(m).slice(0, 10)).toEqual([
          'code',
          'neighbours',
          'lisaI',
          'lisaZ',
          'lisaP',
          'lisaPPermutation',
          'quadrant',
          'giZ',
          'giP',
          'class',
        ]);
      }
      // the secondary-hidden areas were analysed like the others: their stored rows (internal table,
      // read by SQL) match spdep too
      const hiddenRows = await db.query<{
        code: string;
        lisa_i: number;
        lisa_z: number;
        gi_z: number;
        quadrant: string;
      }>(
        'SELECT code, lisa_i, lisa_z, gi_z, quadrant FROM hotspot_member WHERE run_id = $1 AND code = ANY($2::text[]) ORDER BY code',
        [out.runId, [...secondary]],
      );
      expect(hiddenRows.rows.map((h) => h.code)).toEqual([...secondary].sort());
      for (const h of hiddenRows.rows) {
        const l = r.local[h.code];
        expect(Number(h.lisa_i)).toBeCloseTo(l.Ii, 9);
        expect(Number(h.lisa_z)).toBeCloseTo(l.z_Ii, 9);
        expect(Number(h.gi_z)).toBeCloseTo(l.gistar_z, 9);
        expect(h.quadrant).toBe(l.quadrant_raw);
      }
      // GET …/members publishes the same 531 members as the answer, equal to it
      const stored = await request(app).get(`/api/hotspots/${out.runId}/members`).expect(200);
      expect(stored.body).toEqual(out.members);
      const run = await request(app).get(`/api/hotspots/${out.runId}`).expect(200);
      expect(run.body.fingerprint).toMatch(/^[0-9a-f]{32}$/);
      expect(run.body.params.correction).toBe('fdr');
      expect(run.body.result.dropped.length).toBe(6);
    });
  }

  it('the same parameters give the same result and fingerprint (seeded)', async () => {
    const body = { ...BASE, indicator: 'D1', weights: 'rook', permutations: 199, seed: 7, correction: 'bonferroni' };
    const a = (await request(app).post('/api/hotspots').set(AUTH).send(body).expect(201)).body;
    const b = (await request(app).post('/api/hotspots').set(AUTH).send(body).expect(201)).body;
    expect(b.runId).not.toBe(a.runId);
    expect(a.members).toHaveLength(531);
    expect(b.members).toEqual(a.members);
    expect(b.global).toEqual(a.global);
    const runs = (await request(app).get('/api/hotspots?indicator=D1').expect(200)).body;
    expect(
      runs.filter((r: { fingerprint: string }) => r.fingerprint === runs[0].fingerprint).length,
    ).toBeGreaterThanOrEqual(2);
    // Bonferroni over the analysed areas (m = 536, secondary-hidden ones included): 95 % needs |z| ≥ Φ⁻¹(1 − 0.05/(2·536)) ≈ 3.907
    expect(a.classThresholds[1].effectiveZ).toBeCloseTo(3.9074, 3);
    for (const m of a.members) if (Math.abs(m.class ?? 0) >= 2) expect(Math.abs(m.giZ)).toBeGreaterThanOrEqual(3.9074);
  });

  it('pc1 composite of S1, S3, S4 is analysed like one indicator', async () => {
    const out = (
      await request(app)
        .post('/api/hotspots')
        .set(AUTH)
        .send({ ...BASE, indicator: 'pc1:S1,S3,S4', permutations: 99 })
        .expect(201)
    ).body;
    // 536 analysed (stored), 531 published: the secondary-hidden ones are left out of the answer
    const analysed = await storedCodes(db, out.runId);
    expect(analysed).toHaveLength(536);
    expect(out.members.length).toBe(531);
    expect(out.members.map((m: { code: string }) => m.code)).toEqual(analysed.filter((c) => !secondary.has(c)));
    expect(out.params.composite.indicators).toEqual(['S1', 'S3', 'S4']);
    expect(out.params.composite.coefficients.every((c: number) => c > 0)).toBe(true);
    expect(out.global.I).toBeGreaterThan(0.45); // the status indicators cluster strongly (S1..S4: 0.46–0.52)
    expect(out.members.filter((m: { class: number }) => m.class === 3).length).toBeGreaterThan(10);
  });

  it("a typology run's need score (per type, from typology_run.result) is tested like an indicator", async () => {
    // a stored run in the documented shape: types with needScore, members with their type
    const run = await db.query<{ id: string }>(
      `INSERT INTO typology_run (level, period, params, fingerprint, chosen_k, result)
       VALUES ('plr', '2020-12-31', '{}', 'x', 2, '{"types": [{"type": 1, "needScore": -0.5}, {"type": 2, "needScore": 1.5}]}') RETURNING id::text`,
    );
    const id = Number(run.rows[0].id);
    // type 2 (more need) for Mitte (01) and Friedrichshain-Kreuzberg (02): a spatially compact block
    await db.query(
      `INSERT INTO typology_member (run_id, code, type) SELECT $1, code, CASE WHEN left(code, 2) IN ('01', '02') THEN 2 ELSE 1 END FROM area WHERE level = 'plr'`,
      [id],
    );
    const out = (
      await request(app)
        .post('/api/hotspots')
        .set(AUTH)
        .send({ ...BASE, indicator: `typology:${id}`, permutations: 99 })
        .expect(201)
    ).body;
    expect(out.params.composite).toMatchObject({ kind: 'typology', run: id });
    // every Planungsraum has a type, so all 542 are analysed (stored); published are the 532 not
    // hidden on 31.12.2020: less the 5 small ones (population) and the 5 siblings hidden for them
    const analysed = await storedCodes(db, out.runId);
    expect(analysed).toHaveLength(542);
    const hidden = await db.query<{ code: string; reason: string }>(
      `SELECT code, reason FROM area_suppression WHERE level = 'plr' AND period = '2020-12-31'`,
    );
    expect(hidden.rows.filter((h) => h.reason === 'population')).toHaveLength(5);
    expect(new Set(hidden.rows.filter((h) => h.reason === 'secondary').map((h) => h.code))).toEqual(secondary);
    const hiddenCodes = new Set(hidden.rows.map((h) => h.code));
    expect(out.members.length).toBe(532);
    expect(out.members.map((m: { code: string }) => m.code)).toEqual(analysed.filter((c) => !hiddenCodes.has(c)));
    expect(out.global.I).toBeGreaterThan(0.8);
    const hot = out.members.filter((m: { class: number }) => m.class > 0);
    expect(hot.length).toBeGreaterThan(20);
    // hot spots lie in the two districts of type 2, apart from a fringe just across their border
    const inside = hot.filter((m: { code: string }) => ['01', '02'].includes(m.code.slice(0, 2))).length;
    expect(inside / hot.length).toBeGreaterThan(0.8);
    await request(app)
      .post('/api/hotspots')
      .set(AUTH)
      .send({ ...BASE, indicator: 'typology:999999' })
      .expect(400);
  });

  it('writes need the token; reads are public', async () => {
    await request(app)
      .post('/api/hotspots')
      .send({ ...BASE, indicator: 'S1' })
      .expect(401);
    await request(app).get('/api/hotspots').expect(200);
    await request(app).get('/api/hotspots/999999').expect(404);
  });

  it('400 for > 99 999 permutations, unknown weights, constant indicator, < 3 areas', async () => {
    const post = (extra: Record<string, unknown>) =>
      request(app)
        .post('/api/hotspots')
        .set(AUTH)
        .send({ ...BASE, indicator: 'S1', ...extra });
    let res = await post({ permutations: 100_000 }).expect(400);
    expect(res.body.error.message).toMatch(/99999|99 999/);
    res = await post({ weights: 'hexagon' }).expect(400);
    expect(res.body.error.message).toMatch(/Gewichtstyp/);
    // a constant indicator: overwrite one with a constant value in this isolated copy
    await db.query("INSERT INTO indicator (key, label, kind) VALUES ('CONST', 'konstant', 'index')");
    await db.query(
      "INSERT INTO observation (level, code, indicator, period, value) SELECT 'plr', code, 'CONST', '2020-12-31', 5 FROM area WHERE level = 'plr'",
    );
    await refreshValues(db);
    res = await post({ indicator: 'CONST' }).expect(400);
    expect(res.body.error.details.reason).toBe('constant_indicator');
    // two areas with a value
    await db.query("INSERT INTO indicator (key, label, kind) VALUES ('TWO', 'zwei', 'index')");
    await db.query(
      "INSERT INTO observation (level, code, indicator, period, value) SELECT 'plr', code, 'TWO', '2020-12-31', random() FROM area WHERE level = 'plr' AND code IN ('11501341', '07601340')",
    );
    await refreshValues(db);
    res = await post({ indicator: 'TWO' }).expect(400);
    expect(res.body.error.details.reason).toBe('too_few_areas');
    await post({ indicator: 'NOPE' }).expect(400);
    // an unknown level in the body is a 400 naming it (404 is for names in the URL path)
    res = await post({ level: 'mars' }).expect(400);
    expect(res.body.error.message).toMatch(/Unbekannte Ebene 'mars'/);
  });

  it('an island is reported with null statistics, not an error', async () => {
    // a distance band of 600 m leaves the large outer areas without neighbours
    const out = (
      await request(app)
        .post('/api/hotspots')
        .set(AUTH)
        .send({ ...BASE, indicator: 'S1', weights: 'distance:600', permutations: 99 })
        .expect(201)
    ).body;
    expect(out.islands.length).toBeGreaterThan(0);
    const island = out.members.find((m: { code: string }) => m.code === out.islands[0]);
    expect(island).toMatchObject({ island: true, neighbours: 0, lisaI: null, giZ: null, class: null, quadrant: null });
  });
});
