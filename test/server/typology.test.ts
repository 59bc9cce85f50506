/**
 * Typology runs end to end on the Berlin sample: the default run, the API (token, validation,
 * 400s naming the culprit), storage and reproducibility, comparison, deletion, background
 * jobs, the worker thread keeping the server responsive, and the CLI on the same code path.
 * A run analyses the 536 areas that are not primary-suppressed or invalid and stores all of them
 * in typology_member; the areas hidden to protect a small sibling (secondary suppression, 5 on
 * 31.12.2020) take part, but their types are never published: the POST answer, the CLI --json,
 * GET …/members, the comparison and the run tiles show 531 areas. The table typology_member is
 * internal, not a published output: the tests read it by SQL where they need every analysed area.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { AppContext } from '../../server/context.js';
import type { Db } from '../../geodata/db.js';
import { computeDefaultTypology, submitTypology } from '../../server/services/typology.js';
import { registerTypologyCli } from '../../server/cli/typology.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { runCli } from '../helpers/run-cli.js';
import { openSampleDb, backend } from '../helpers/test-db.js';
import { loadTypologyReference, REFERENCE_FILES, type TypologyReference } from '../fixtures/reference/reference.js';

/** scikit-learn 1.2.1 on the nine indicators (vendored), for the dropped areas and the k = 4 inertia. */
let ref: TypologyReference;
beforeAll(() => {
  ref = loadTypologyReference(REFERENCE_FILES.typologyNine);
});
const NINE = ['S1', 'S3', 'S4', 'KI_01', 'KI_02', 'KI_03', 'KI_05', 'KI_10', 'KI_11'];
const silent = { info: () => undefined, error: () => undefined };
const AUTH = { Authorization: 'Bearer test-token' };
const BASE = { level: 'plr', period: '2020-12-31', indicators: NINE };

/** Codes of a run's stored (analysed) members, read from the internal table typology_member, sorted. */
async function storedCodes(db: Db, runId: number): Promise<string[]> {
  const r = await db.query<{ code: string }>('SELECT code FROM typology_member WHERE run_id = $1 ORDER BY code', [
    runId,
  ]);
  return r.rows.map((x) => x.code);
}

/** Collects a binary body (superagent leaves unknown content types unparsed). */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** Feature codes of the typology layer of a tile. */
function tileCodes(body: Buffer): string[] {
  const layer = new VectorTile(new PbfReader(body)).layers.typology;
  return Array.from({ length: layer?.length ?? 0 }, (_, i) => String(layer.feature(i).properties.code));
}

const lon2tile = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const lat2tile = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

describe(`typology runs, API and CLI on the Berlin sample (${backend})`, () => {
  let db: Db;
  let app: Express;
  let ctx: AppContext;
  let defaultRunId: number;
  /** Planungsräume hidden on 31.12.2020 only to protect a small sibling: analysed, never published. */
  let secondary: string[];
  beforeAll(async () => {
    db = await openSampleDb();
    ctx = { db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent };
    app = createApp(ctx);
    const hidden = await db.query<{ code: string }>(
      `SELECT code FROM area_suppression WHERE level = 'plr' AND period = '2020-12-31' AND reason = 'secondary' ORDER BY code`,
    );
    secondary = hidden.rows.map((r) => r.code);
  });
  afterAll(async () => db?.close());

  it('computeDefaultTypology: a k = 5 run on first start, nothing when a run exists', async () => {
    const id = await computeDefaultTypology(ctx);
    expect(id).toBeGreaterThan(0);
    defaultRunId = id!;
    expect(await computeDefaultTypology(ctx)).toBeNull();
    const run = await request(app).get(`/api/typologies/${id}`).expect(200);
    expect(run.body.chosenK).toBe(5);
    expect(run.body.n).toBe(536);
    expect(run.body.result.byK.map((b: { k: number }) => b.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(run.body.result.types).toHaveLength(5);
    // Need order: Typ 1 has the lowest mean polarity-adjusted z.
    const needs = run.body.result.types.map((t: { needScore: number }) => t.needScore);
    expect([...needs].sort((a: number, b: number) => a - b)).toEqual(needs);
    // German labels of the indicators appear in the descriptions, with decimal comma and real minus.
    const text = run.body.result.types.map((t: { description: string }) => t.description).join(' ');
    expect(text).toMatch(/überdurchschnittlich: .+ \(\+\d,\d SD\)/);
    expect(text).toMatch(/unterdurchschnittlich: .+ \(\u2212\d,\d SD\)/);
    expect(text).not.toMatch(/\bKI_01\b/);
  });

  it('POST /api/typologies: 201 with the documented keys, reference-level inertia, 6 KOM areas excluded', async () => {
    const res = await request(app)
      .post('/api/typologies')
      .set(AUTH)
      .send({ ...BASE, k: 4, bootstrap: 20 })
      .expect(201);
    const out = res.body;
    for (const key of [
      'runId',
      'params',
      'dropped',
      'standardization',
      'explainedVariance',
      'loadings',
      'byK',
      'chosenK',
      'types',
      'members',
    ])
      expect(out).toHaveProperty(key);
    expect(out.params).toMatchObject({ standardize: 'z', restarts: 50, seed: 1, bootstrap: 20, k: 4, missing: 'drop' });
    expect(out.standardization.ddof).toBe(0);
    expect(out.n).toBe(536);
    expect(out.dropped.map((d: { code: string }) => d.code).sort()).toEqual(ref.dropped.map((d) => d.id).sort());
    expect(out.dropped.length).toBe(6);
    expect(out.explainedVariance[0]).toBeCloseTo(0.568346542604, 10);
    expect(out.loadings.S1[0]).toBeCloseTo(0.94927000966, 9);
    expect(out.byK).toHaveLength(1);
    expect(out.byK[0].inertia).toBeLessThanOrEqual(ref.kmeans.std.by_k['4'].inertia * 1.0001);
    expect(out.types.map((t: { type: number }) => t.type)).toEqual([1, 2, 3, 4]);
    expect(out.types.reduce((s: number, t: { size: number }) => s + t.size, 0)).toBe(536);
    expect(out.types[0].profile.meanRaw.S1).toBeLessThan(out.types[3].profile.meanRaw.S1);
    // all 536 analysed areas are stored; the answer and GET …/members publish them less the 5 secondary-hidden ones
    const analysed = await storedCodes(db, out.runId);
    expect(analysed).toHaveLength(536);
    const hidden = new Set(secondary);
    const published = analysed.filter((c) => !hidden.has(c));
    expect(out.members).toHaveLength(531);
    expect(out.members.map((m: { code: string }) => m.code)).toEqual(published);
    expect(out.members[0].scores).toHaveLength(9);
    const members = await request(app).get(`/api/typologies/${out.runId}/members`).expect(200);
    expect(members.body).toHaveLength(531);
    expect(members.body.map((m: { code: string }) => m.code)).toEqual(published);
    const stored = members.body.find((m: { code: string }) => m.code === out.members[0].code);
    expect(stored.type).toBe(out.members[0].type);
    expect(stored.silhouette).toBeCloseTo(out.members[0].silhouette, 12);
    expect(stored.stability).toBeCloseTo(out.members[0].stability, 12);
    expect(stored.label).toBe(out.types.find((t: { type: number }) => t.type === stored.type).label);
  });

  it('same parameters on the same data → identical stored result and fingerprint; compare gives ARI 1', async () => {
    const body = { ...BASE, k: 3, kRange: [2, 4], bootstrap: 10, seed: 5 };
    const a = (await request(app).post('/api/typologies').set(AUTH).send(body).expect(201)).body;
    const b = (await request(app).post('/api/typologies').set(AUTH).send(body).expect(201)).body;
    const strip = (o: Record<string, unknown>) => ({ ...o, runId: 0, createdAt: '' });
    expect(JSON.stringify(strip(b))).toBe(JSON.stringify(strip(a)));
    expect(b.fingerprint).toBe(a.fingerprint);
    const same = (await request(app).get(`/api/typologies/compare?a=${a.runId}&b=${b.runId}`).expect(200)).body;
    // the comparison reads the published members: 536 analysed − 5 secondary-hidden
    expect(same.adjustedRandIndex).toBe(1);
    expect(same).toMatchObject({ nCommon: 531, unchanged: 531, onlyInA: 0, onlyInB: 0 });
    const other = (await request(app).get(`/api/typologies/compare?a=${a.runId}&b=${defaultRunId}`).expect(200)).body;
    expect(other).toMatchObject({ nCommon: 531, onlyInA: 0, onlyInB: 0 });
    expect(other.adjustedRandIndex).toBeGreaterThan(0.2);
    expect(other.adjustedRandIndex).toBeLessThan(1);
    expect(other.table.counts.flat().reduce((s: number, v: number) => s + v, 0)).toBe(531);
    expect(other.transitions.reduce((s: number, t: { count: number }) => s + t.count, 0)).toBe(531);
    const list = (await request(app).get('/api/typologies?level=plr').expect(200)).body;
    expect(list.map((r: { id: number }) => r.id)).toEqual(expect.arrayContaining([a.runId, b.runId, defaultRunId]));
  });

  it('a secondary-hidden area takes part in the run (n = 536) but its type is published neither in members nor in tiles', async () => {
    expect(secondary).toEqual(['03300517', '03400828', '04400729', '05300840', '06200419']);
    const [code] = secondary;
    // hidden in the published values, to protect its small sibling
    const values = (await request(app).get('/api/values?indicator=S1&level=plr&period=2020-12-31').expect(200)).body;
    expect(values.values.find((v: { code: string }) => v.code === code)).toMatchObject({
      value: null,
      suppressed: true,
      suppressionReason: 'secondary',
    });

    const out = (
      await request(app)
        .post('/api/typologies')
        .set(AUTH)
        .send({ ...BASE, k: 3, kRange: [3, 3], restarts: 5, bootstrap: 0 })
        .expect(201)
    ).body;
    // analysed: not dropped, part of the run's n, its own row in typology_member (internal, read by SQL) ...
    expect(out.n).toBe(536);
    expect(out.dropped.map((d: { code: string }) => d.code)).not.toContain(code);
    const analysed = await storedCodes(db, out.runId);
    expect(analysed).toHaveLength(536);
    expect(analysed).toEqual(expect.arrayContaining(secondary));
    // ... but not in the run's answer: 531 members, the stored ones less the secondary-hidden
    expect(out.members.map((m: { code: string }) => m.code)).toEqual(analysed.filter((c) => !secondary.includes(c)));
    const stored = await db.query<{ n: number; public: number }>(
      `SELECT (SELECT count(*)::int FROM typology_member WHERE run_id = $1 AND code = $2) AS n,
              (SELECT count(*)::int FROM typology_member_public WHERE run_id = $1 AND code = $2) AS public`,
      [out.runId, code],
    );
    expect(stored.rows[0]).toEqual({ n: 1, public: 0 });
    const run = (await request(app).get(`/api/typologies/${out.runId}`).expect(200)).body;
    expect(run.n).toBe(536);
    expect(run.types.reduce((s: number, t: { size: number }) => s + t.size, 0)).toBe(536);

    // published: the 531 other analysed areas, in the API and in the run's tiles
    const members = (await request(app).get(`/api/typologies/${out.runId}/members`).expect(200)).body as {
      code: string;
    }[];
    const published = members.map((m) => m.code);
    expect(published).toHaveLength(531);
    for (const c of secondary) expect(published).not.toContain(c);
    expect(published).toEqual(out.members.map((m: { code: string }) => m.code));
    const z0 = await request(app).get(`/tiles/typology/${out.runId}/0/0/0.pbf`).buffer(true).parse(binary).expect(200);
    expect(tileCodes(z0.body).sort()).toEqual([...published].sort());
    // the z12 tile around the hidden area carries published neighbours, never the area itself
    const point = (
      await db.query<{ lon: number; lat: number }>(
        `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM area WHERE level = 'plr' AND code = $1`,
        [code],
      )
    ).rows[0];
    const z = 12;
    const near = await request(app)
      .get(`/tiles/typology/${out.runId}/${z}/${lon2tile(point.lon, z)}/${lat2tile(point.lat, z)}.pbf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const nearCodes = tileCodes(near.body);
    expect(nearCodes.length).toBeGreaterThan(1);
    expect(nearCodes).not.toContain(code);
    expect(nearCodes.every((c) => published.includes(c))).toBe(true);
  });

  it('bad input: 400s that name the culprit; writes need the token', async () => {
    const bad = async (body: object, pattern: RegExp) => {
      const res = await request(app).post('/api/typologies').set(AUTH).send(body).expect(400);
      expect(res.body.error.message).toMatch(pattern);
    };
    await bad({ ...BASE, indicators: ['S1', 'NOPE'] }, /Unbekannte Indikatoren: NOPE/);
    await bad({ ...BASE, level: 'mars' }, /Unbekannte Ebene 'mars'/);
    await bad({ ...BASE, period: '1999-12-31' }, /Zeitraum '1999-12-31'/);
    await bad({ ...BASE, k: 1 }, /k.*mindestens 2/);
    // The request cap (k ≤ 30) answers before any data is read; k ≥ n is covered in test/analysis/typology-units.
    await bad({ ...BASE, k: 536 }, /k: k höchstens 30/);
    await bad({ ...BASE, restarts: 1001 }, /höchstens 1000 Neustarts/);
    await bad({ ...BASE, clusterOn: 'pcs' }, /braucht eine Komponentenwahl/);
    await bad({ ...BASE, colour: 'red' }, /colour|Unrecognized|unbekannt/i);
    // An indicator without spread: a constant value in every area.
    await db.query(`INSERT INTO indicator (key, label, polarity, kind) VALUES ('CONST', 'Konstante', 1, 'index')`);
    await db.query(
      `INSERT INTO observation (level, code, indicator, period, value) SELECT level, code, 'CONST', '2020-12-31', 7 FROM area WHERE level = 'plr'`,
    );
    await refreshValues(db);
    await bad({ ...BASE, indicators: ['S1', 'CONST'], k: 3 }, /Varianz 0\): CONST/);
    await request(app)
      .post('/api/typologies')
      .send({ ...BASE, k: 3 })
      .expect(401);
    await request(app).delete(`/api/typologies/${defaultRunId}`).expect(401);
  });

  it('the server answers other requests while a run works in its worker thread', async () => {
    const events: string[] = [];
    const run = request(app)
      .post('/api/typologies')
      .set(AUTH)
      .send({ ...BASE, bootstrap: 100 })
      .then((res) => {
        events.push('run');
        return res;
      });
    await new Promise((r) => setTimeout(r, 300)); // the run is loading data or clustering now
    const list = await request(app).get('/api/typologies').expect(200);
    events.push('list');
    const res = await run;
    expect(res.status).toBe(201);
    // The order, not the clock: the list is answered while the run is still working.
    expect(events).toEqual(['list', 'run']);
    expect(list.body.length).toBeGreaterThan(0);
  });

  it('above the synchronous limit a job reports progress at GET /api/jobs/{id} and ends with the run', async () => {
    const submitted = await submitTypology(ctx, { ...BASE, k: 3, kRange: [2, 3], bootstrap: 5 }, 100);
    expect(submitted.kind).toBe('job');
    if (submitted.kind !== 'job') return;
    let job = (await request(app).get(`/api/jobs/${submitted.job.id}`).expect(200)).body;
    expect(['running', 'done']).toContain(job.status);
    for (let i = 0; i < 600 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await request(app).get(`/api/jobs/${submitted.job.id}`).expect(200)).body;
      expect(job.progress).toBeGreaterThanOrEqual(0);
      expect(job.progress).toBeLessThanOrEqual(1);
    }
    expect(job.status).toBe('done');
    expect(job.progress).toBe(1);
    expect(job.result.chosenK).toBe(3);
    await request(app).get(`/api/typologies/${job.result.runId}`).expect(200);
    await request(app).get('/api/jobs/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('DELETE removes the run and its members', async () => {
    const out = (
      await request(app)
        .post('/api/typologies')
        .set(AUTH)
        .send({ ...BASE, k: 2, kRange: [2, 2], bootstrap: 0 })
        .expect(201)
    ).body;
    expect(out.members.every((m: { stability: number | null }) => m.stability === null)).toBe(true);
    await request(app).delete(`/api/typologies/${out.runId}`).set(AUTH).expect(204);
    await request(app).get(`/api/typologies/${out.runId}`).expect(404);
    await request(app).get(`/api/typologies/${out.runId}/members`).expect(404);
    const left = await db.query('SELECT count(*)::int AS n FROM typology_member WHERE run_id = $1', [out.runId]);
    expect(left.rows[0]).toEqual({ n: 0 });
  });

  it('CLI `sozialatlas typology … --json` prints the run with the documented keys (same code path)', async () => {
    const r = await runCli(
      [registerTypologyCli],
      () => ctx,
      'typology',
      '--level',
      'plr',
      '--period',
      '2020-12-31',
      '--indicators',
      'S1,S3,S4',
      '--pca',
      'kaiser',
      '--cluster-on',
      'pcs',
      '--k-range',
      '2..5',
      '--bootstrap',
      '10',
      '--json',
    );
    expect(r.exitCode).toBe(0);
    const printed = r.out;
    const out = JSON.parse(printed);
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining([
        'runId',
        'params',
        'dropped',
        'standardization',
        'explainedVariance',
        'loadings',
        'byK',
        'chosenK',
        'types',
        'members',
      ]),
    );
    expect(out.params).toMatchObject({ pca: 'kaiser', clusterOn: 'pcs', kRange: [2, 5], bootstrap: 10 });
    expect(out.clusterSpace.dimensions).toBe(out.pca.retained);
    expect(out.byK.map((b: { k: number }) => b.k)).toEqual([2, 3, 4, 5]);
    expect(out.chosenK).toBe(out.suggestion.k);
    expect(out.types[0]).toHaveProperty('description');
    expect(out.members[0]).toEqual(
      expect.objectContaining({ code: expect.any(String), type: expect.any(Number), scores: expect.any(Array) }),
    );
    // the same publication rule as the API: the 536 stored members less the 5 secondary-hidden ones
    const analysed = await storedCodes(db, out.runId);
    expect(analysed).toHaveLength(536);
    expect(out.members).toHaveLength(531);
    expect(out.members.map((m: { code: string }) => m.code)).toEqual(analysed.filter((c) => !secondary.includes(c)));
    await request(app).get(`/api/typologies/${out.runId}`).expect(200);
  });

  it('CLI flags reach the run: robust standardisation, 2 varimax components, fixed k, restarts and seed', async () => {
    const args = [
      'typology',
      '--level',
      'plr',
      '--period',
      '2020-12-31',
      '--indicators',
      'S1,S3,S4,KI_01,KI_02',
      '--standardize',
      'robust',
      '--pca',
      '2',
      '--rotation',
      'varimax',
      '--cluster-on',
      'pcs',
      '--k',
      '4',
      '--k-range',
      '3..5',
      '--restarts',
      '5',
      '--seed',
      '7',
      '--bootstrap',
      '0',
      '--json',
    ];
    const a = JSON.parse((await runCli([registerTypologyCli], () => ctx, ...args)).out);
    expect(a.params).toMatchObject({
      standardize: 'robust',
      pca: 2,
      rotation: 'varimax',
      clusterOn: 'pcs',
      k: 4,
      kRange: [3, 5],
      restarts: 5,
      seed: 7,
      bootstrap: 0,
    });
    expect(a.standardization.method).toBe('robust');
    expect(a.pca.retained).toBe(2);
    expect(a.clusterSpace.dimensions).toBe(2);
    expect(a.chosenK).toBe(4);
    expect(a.types).toHaveLength(4);
    expect(a.byK.map((b: { k: number }) => b.k)).toEqual([3, 4, 5]);
    // the same flags again: the same partition (a run is reproducible from its parameters)
    const b = JSON.parse((await runCli([registerTypologyCli], () => ctx, ...args)).out);
    expect(b.members.map((m: { type: number }) => m.type)).toEqual(a.members.map((m: { type: number }) => m.type));
    const bad = await runCli(
      [registerTypologyCli],
      () => ctx,
      'typology',
      '--level',
      'plr',
      '--period',
      '2020-12-31',
      '--indicators',
      'S1,S3',
      '--standardize',
      'magic',
      '--json',
    );
    expect(bad.exitCode).not.toBe(0);
  });
});
