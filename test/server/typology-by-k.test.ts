/**
 * A stored run shows the types of any k of its range without recomputation: GET
 * /api/typologies/{id}?k=N, /members?k=N and /tiles/typology/{id}/…?k=N, on the Berlin sample
 * (PGlite, or the server with DATABASE_URL). Runs stored before migration 006 (type_by_k NULL,
 * no typesByK) still answer for their chosen k. The run analyses 536 areas and stores all of them
 * in typology_member; the POST answer, members and tiles publish the 531 of them that are not
 * hidden to protect a small sibling (secondary suppression). The table typology_member is
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
import { openSampleDb, backend } from '../helpers/test-db.js';
import type { TypologyMemberRow } from '../../server/services/typology.js';

const silent = { info: () => undefined, error: () => undefined };
const AUTH = { Authorization: 'Bearer test-token' };
const NINE = ['S1', 'S3', 'S4', 'KI_01', 'KI_02', 'KI_03', 'KI_05', 'KI_10', 'KI_11'];

/** A member row as the API answers it (the service's own type). */
type Member = TypologyMemberRow;
interface Type {
  type: number;
  size: number;
  label: string;
  needScore: number;
  stability: number | null;
}

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** code → properties of the typology layer of a z0 tile. */
function tileProps(body: Buffer): Map<string, Record<string, unknown>> {
  const layer = new VectorTile(new PbfReader(body)).layers.typology;
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < layer.length; i++) {
    const f = layer.feature(i);
    out.set(String(f.properties.code), { ...f.properties });
  }
  return out;
}

const sortNum = (a: number[]) => [...a].sort((x, y) => x - y);
const countBy = (types: number[]) => {
  const m = new Map<number, number>();
  for (const t of types) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
};

describe(`types for any k of a stored run (${backend})`, () => {
  let db: Db;
  let app: Express;
  // The POST answer: the pipeline's own output, including typesByK and members[].typeByK (published
  // members only).
  let out: {
    runId: number;
    chosenK: number;
    byK: { k: number; sizes: number[]; silhouette: number }[];
    types: Type[];
    typesByK: { k: number; types: Type[] }[];
    members: { code: string; type: number; typeByK: number[]; silhouetteByK: (number | null)[] }[];
  };
  let byK6: { k: number; sizes: number[]; silhouette: number };
  /** Planungsräume hidden on 31.12.2020 only to protect a small sibling: analysed, never published. */
  let secondary: Set<string>;
  /** Every analysed area as stored in typology_member (internal table, read by SQL), by code. */
  let analysed: {
    code: string;
    type: number;
    typeByK: number[];
    silhouette: number | null;
    silhouetteByK: (number | null)[];
  }[];
  /** Published size of each type at k = 6: the run's size less its secondary-hidden members. */
  let publishedSizes6: Map<number, number>;

  beforeAll(async () => {
    db = await openSampleDb();
    const ctx: AppContext = {
      db,
      config: { ...configFromEnv({}), apiToken: 'test-token', tileCacheMb: 64 },
      log: silent,
    };
    app = createApp(ctx);
    const res = await request(app)
      .post('/api/typologies')
      .set(AUTH)
      .send({
        level: 'plr',
        period: '2020-12-31',
        indicators: NINE,
        kRange: [2, 6],
        k: 4,
        restarts: 10,
        bootstrap: 10,
        bootstrapRestarts: 2,
      })
      .expect(201);
    out = res.body;
    byK6 = out.byK.find((b) => b.k === 6)!;
    const hidden = await db.query<{ code: string }>(
      `SELECT code FROM area_suppression WHERE level = 'plr' AND period = '2020-12-31' AND reason = 'secondary'`,
    );
    secondary = new Set(hidden.rows.map((r) => r.code));
    const rows = await db.query<{
      code: string;
      type: number;
      type_by_k: number[];
      silhouette: number | null;
      silhouette_by_k: (number | null)[];
    }>(
      'SELECT code, type, type_by_k, silhouette, silhouette_by_k FROM typology_member WHERE run_id = $1 ORDER BY code',
      [out.runId],
    );
    const num = (v: number | null) => (v === null ? null : Number(v));
    analysed = rows.rows.map((r) => ({
      code: r.code,
      type: Number(r.type),
      typeByK: r.type_by_k.map(Number),
      silhouette: num(r.silhouette),
      silhouetteByK: r.silhouette_by_k.map(num),
    }));
    publishedSizes6 = countBy(analysed.filter((m) => !secondary.has(m.code)).map((m) => m.typeByK[4]));
  }, 120_000);
  afterAll(async () => db?.close());

  it('the run stores every k of 2..6: type_by_k per area aligned with byK', async () => {
    expect(out.chosenK).toBe(4);
    expect(out.byK.map((b) => b.k)).toEqual([2, 3, 4, 5, 6]);
    expect(out.typesByK.map((t) => t.k)).toEqual([2, 3, 4, 5, 6]);
    // all 536 analysed areas are stored; each k's partition has the sizes of byK
    expect(analysed).toHaveLength(536);
    for (const [i, b] of out.byK.entries()) {
      expect(sortNum([...countBy(analysed.map((m) => m.typeByK[i])).values()]), `k = ${b.k}`).toEqual(sortNum(b.sizes));
    }
    for (const m of analysed) {
      expect(m.typeByK).toHaveLength(5);
      expect(m.typeByK[2]).toBe(m.type);
      expect(m.silhouetteByK[2]).toBe(m.silhouette);
    }
    // the answer publishes the stored members less the 5 secondary-hidden ones, with the stored types
    expect(secondary.size).toBe(5);
    expect(out.members).toHaveLength(531);
    expect(out.members.map((m) => m.code)).toEqual(analysed.map((m) => m.code).filter((c) => !secondary.has(c)));
    const storedByCode = new Map(analysed.map((m) => [m.code, m]));
    for (const m of out.members) {
      const stored = storedByCode.get(m.code)!;
      expect(m.typeByK).toEqual(stored.typeByK);
      expect(m.type).toBe(stored.type);
      expect(m.silhouetteByK).toEqual(stored.silhouetteByK);
    }
  });

  it('GET without k and with k = 4 (the chosen k) answer as before', async () => {
    const plain = await request(app).get(`/api/typologies/${out.runId}`).expect(200);
    expect(plain.body.chosenK).toBe(4);
    expect(plain.body.k).toBe(4);
    expect(plain.body.availableK).toEqual([2, 3, 4, 5, 6]);
    expect(plain.body.result.typesByK).toBeUndefined();
    expect(plain.body.result.types).toEqual(out.types);
    expect(plain.body.types.map((t: Type) => t.size)).toEqual(out.types.map((t) => t.size));
    const four = await request(app).get(`/api/typologies/${out.runId}?k=4`).expect(200);
    expect(four.body).toEqual(plain.body);
    const members = await request(app).get(`/api/typologies/${out.runId}/members`).expect(200);
    expect((await request(app).get(`/api/typologies/${out.runId}/members?k=4`).expect(200)).body).toEqual(members.body);
    expect(members.body.every((m: Member) => m.stability !== null && m.type >= 1 && m.type <= 4)).toBe(true);
  });

  it('?k=6: six types whose sizes equal byK[k = 6].sizes, members with those types, no stability', async () => {
    const run = await request(app).get(`/api/typologies/${out.runId}?k=6`).expect(200);
    expect(run.body.chosenK).toBe(4);
    expect(run.body.k).toBe(6);
    const types: Type[] = run.body.result.types;
    expect(types.map((t) => t.type)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sortNum(types.map((t) => t.size))).toEqual(sortNum(byK6.sizes));
    expect(types.reduce((s, t) => s + t.size, 0)).toBe(536);
    expect(run.body.types.map((t: Type) => [t.type, t.size, t.label])).toEqual(
      types.map((t) => [t.type, t.size, t.label]),
    );
    const needs = types.map((t) => t.needScore);
    for (let i = 1; i < 6; i++) expect(needs[i]).toBeGreaterThan(needs[i - 1]);
    expect(types.every((t) => t.stability === null)).toBe(true);
    expect(types).toEqual(out.typesByK[4].types);

    // published: the 536 analysed (stored) areas less the 5 secondary-hidden ones, the same as the
    // answer's members; each type's count is its size less its hidden members
    expect(secondary.size).toBe(5);
    expect(analysed).toHaveLength(536);
    const res = await request(app).get(`/api/typologies/${out.runId}/members?k=6`).expect(200);
    const members: Member[] = res.body;
    expect(members).toHaveLength(531);
    expect(members.map((m) => m.code)).toEqual(analysed.map((m) => m.code).filter((c) => !secondary.has(c)));
    expect(members.map((m) => m.code)).toEqual(out.members.map((m) => m.code));
    const counts = countBy(members.map((m) => m.type));
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(counts).toEqual(publishedSizes6);
    const hiddenOfType = countBy(analysed.filter((m) => secondary.has(m.code)).map((m) => m.typeByK[4]));
    expect([...hiddenOfType.values()].reduce((a, v) => a + v, 0)).toBe(5);
    for (const t of types) expect(counts.get(t.type)).toBe(t.size - (hiddenOfType.get(t.type) ?? 0));
    const labelOf = new Map(types.map((t) => [t.type, t.label]));
    const fromPost = new Map(out.members.map((m) => [m.code, m]));
    for (const m of members) {
      expect(m.type).toBe(fromPost.get(m.code)!.typeByK[4]);
      expect(m.label).toBe(labelOf.get(m.type));
      expect(m.stability).toBeNull();
      expect(m.silhouette).toBe(fromPost.get(m.code)!.silhouetteByK[4]);
      expect(m.scores).toHaveLength(9);
    }
    // Exact silhouette on the 536 analysed areas (the answer publishes only 531, so they are read
    // from the stored table typology_member): the per-area values average to the run's silhouette for k = 6.
    expect(analysed.every((m) => m.silhouetteByK[4] !== null)).toBe(true);
    const mean = analysed.reduce((s, m) => s + m.silhouetteByK[4]!, 0) / analysed.length;
    expect(mean).toBeCloseTo(byK6.silhouette, 10);
    // And k = 6 differs from the chosen k's partition.
    const chosen = await request(app).get(`/api/typologies/${out.runId}/members`).expect(200);
    expect(new Set(chosen.body.map((m: Member) => m.type)).size).toBe(4);
  });

  it('k outside the range or malformed: 400 with a German message', async () => {
    const nine = await request(app).get(`/api/typologies/${out.runId}?k=9`).expect(400);
    expect(nine.body.error.message).toBe(`k = 9 liegt außerhalb des Bereichs von Lauf ${out.runId} (k = 2\u20136)`);
    const nineMembers = await request(app).get(`/api/typologies/${out.runId}/members?k=9`).expect(400);
    expect(nineMembers.body.error.message).toContain('außerhalb des Bereichs');
    expect((await request(app).get(`/api/typologies/${out.runId}?k=1`).expect(400)).body.error.message).toContain(
      'k muss mindestens 2 sein',
    );
    expect(
      (await request(app).get(`/api/typologies/${out.runId}/members?k=drei`).expect(400)).body.error.message,
    ).toContain('k muss eine ganze Zahl sein');
    expect((await request(app).get(`/api/typologies/${out.runId}?k=4.5`).expect(400)).body.error.message).toContain(
      'ganze Zahl',
    );
    await request(app).get('/api/typologies/999999?k=6').expect(404);
  });

  it('tiles ?k=6 carry the six types under their own immutable URL and ETag', async () => {
    const plain = await request(app)
      .get(`/tiles/typology/${out.runId}/0/0/0.pbf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const six = await request(app)
      .get(`/tiles/typology/${out.runId}/0/0/0.pbf?k=6`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(six.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(six.headers.etag).toBeTruthy();
    expect(six.headers.etag).not.toBe(plain.headers.etag);
    const members: Member[] = (await request(app).get(`/api/typologies/${out.runId}/members?k=6`).expect(200)).body;
    const props = tileProps(six.body);
    expect(members).toHaveLength(531);
    expect([...props.keys()].sort()).toEqual(members.map((m) => m.code).sort());
    for (const m of members) {
      const p = props.get(m.code)!;
      expect(p.type).toBe(m.type);
      expect(p.label).toBe(m.label);
      expect(p.silhouette).toBe(m.silhouette ?? undefined);
      expect(p.stability).toBeUndefined();
    }
    const sizes = countBy([...props.values()].map((p) => Number(p.type)));
    expect(sizes).toEqual(publishedSizes6);
    // The bare URL still serves the chosen k, stability included.
    const chosen = tileProps(plain.body);
    expect(new Set([...chosen.values()].map((p) => p.type)).size).toBe(4);
    expect([...chosen.values()].every((p) => typeof p.stability === 'number')).toBe(true);
    // ?k=4 is the chosen k: the same features as the bare URL.
    const four = await request(app)
      .get(`/tiles/typology/${out.runId}/0/0/0.pbf?k=4`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(four.body, plain.body)).toBe(0);
    // A client holding the k = 6 ETag holds the tile; asking again gives the same bytes.
    await request(app)
      .get(`/tiles/typology/${out.runId}/0/0/0.pbf?k=6`)
      .set('If-None-Match', six.headers.etag)
      .expect(304);
    const again = await request(app)
      .get(`/tiles/typology/${out.runId}/0/0/0.pbf?k=6`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(again.body, six.body)).toBe(0);
    // TileJSON of k = 6 points at the k = 6 tiles.
    const tj = await request(app).get(`/tiles/typology/${out.runId}.json?k=6`).expect(200);
    expect(tj.body.tiles[0]).toMatch(new RegExp(`/tiles/typology/${out.runId}/\\{z\\}/\\{x\\}/\\{y\\}\\.pbf\\?k=6$`));
    const tjPlain = await request(app).get(`/tiles/typology/${out.runId}.json`).expect(200);
    expect(tjPlain.body.tiles[0]).toMatch(/\.pbf$/);
    // k is a query parameter: not stored or malformed, both are a 400 (as on the API).
    const missing = await request(app).get(`/tiles/typology/${out.runId}/0/0/0.pbf?k=9`).expect(400);
    expect(missing.body.error.message).toContain('außerhalb des Bereichs');
    await request(app).get(`/tiles/typology/${out.runId}/0/0/0.pbf?k=x`).expect(400);
  });

  it('a run stored before migration 006 (type_by_k NULL, no typesByK) answers for its chosen k only', async () => {
    const copy = await db.query<{ id: string }>(
      `INSERT INTO typology_run (level, period, params, fingerprint, chosen_k, result, indicators, n_areas)
       SELECT level, period, params, fingerprint, chosen_k, result - 'typesByK', indicators, n_areas FROM typology_run WHERE id = $1
       RETURNING id::text`,
      [out.runId],
    );
    const old = Number(copy.rows[0].id);
    await db.query(
      `INSERT INTO typology_member (run_id, code, type, label, silhouette, stability, scores)
       SELECT $2, code, type, label, silhouette, stability, scores FROM typology_member WHERE run_id = $1`,
      [out.runId, old],
    );
    const nulls = await db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM typology_member WHERE run_id = $1 AND type_by_k IS NULL',
      [old],
    );
    expect(Number(nulls.rows[0].n)).toBe(536);

    const run = await request(app).get(`/api/typologies/${old}`).expect(200);
    expect(run.body.k).toBe(4);
    expect(run.body.availableK).toEqual([4]);
    expect(run.body.result.types).toEqual(out.types);
    expect(run.body.result.byK.map((b: { k: number }) => b.k)).toEqual([2, 3, 4, 5, 6]);
    await request(app).get(`/api/typologies/${old}?k=4`).expect(200);
    const newMembers = (await request(app).get(`/api/typologies/${out.runId}/members`).expect(200)).body;
    expect((await request(app).get(`/api/typologies/${old}/members`).expect(200)).body).toEqual(newMembers);
    expect((await request(app).get(`/api/typologies/${old}/members?k=4`).expect(200)).body).toEqual(newMembers);
    const six = await request(app).get(`/api/typologies/${old}?k=6`).expect(400);
    expect(six.body.error.message).toContain('nur die Typen für das gewählte k = 4');
    await request(app).get(`/api/typologies/${old}/members?k=6`).expect(400);

    const tile = await request(app).get(`/tiles/typology/${old}/0/0/0.pbf`).buffer(true).parse(binary).expect(200);
    const props = tileProps(tile.body);
    const typeOf = new Map(newMembers.map((m: Member) => [m.code, m.type]));
    expect(newMembers).toHaveLength(531);
    expect(props.size).toBe(531);
    for (const [code, p] of props) expect(p.type).toBe(typeOf.get(code));
    await request(app).get(`/tiles/typology/${old}/0/0/0.pbf?k=6`).expect(400);
  });
});
