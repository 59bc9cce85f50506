/**
 * Spatial weights computed in PostGIS on the Berlin sample against R spdep 1.2-7
 * (vendored in test/fixtures/reference): runs on PGlite and, with DATABASE_URL, on the server — both must give
 * these same lists, so both are compared with the same reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Db } from '../../geodata/db.js';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import { openSampleDb, openTestDb, backend } from '../helpers/test-db.js';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importAreas } from '../../geodata/import/index.js';
import { levelWeights, parseWeightsSpec, subsetWeights } from '../../server/services/weights.js';
import { loadSpatialReference, type SpatialReference } from '../fixtures/reference/reference.js';
import { queenContiguity, wkbVertices } from '../../analysis/queen-contiguity.js';

let ref: SpatialReference;
beforeAll(() => {
  ref = loadSpatialReference();
});

describe(`PostGIS spatial weights vs spdep (${backend})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await openSampleDb();
  });
  afterAll(async () => db?.close());

  it('queen (ST_Intersects) lists equal the reference for all 542 areas, 3 238 links', async () => {
    const w = await levelWeights(db, 'plr', parseWeightsSpec('queen'));
    expect(w.codes.length).toBe(542);
    expect(w.nLinks).toBe(3238);
    expect(w.lists).toEqual(ref.neighbours.queen.lists);
    expect(w.islands).toEqual([]);
    expect(w.srid).toBe(32633);
    // the second call is a lookup of the stored lists
    const again = await levelWeights(db, 'plr', parseWeightsSpec('queen'));
    expect(again.cached).toBe(true);
    expect(again.lists).toEqual(w.lists);
  });

  it('shared vertices alone give exactly the PostGIS ST_Intersects pairs on every sample level (the data is noded)', async () => {
    for (const [level, pairsExpected] of [
      ['plr', 1619],
      ['bzr', 394],
      ['pgr', 150],
      ['bez', 24],
    ] as const) {
      const geoms = await db.query<{ code: string; g: string }>(
        `SELECT code, encode(ST_AsBinary(geom), 'hex') AS g FROM area WHERE level = $1 ORDER BY code`,
        [level],
      );
      const codes = geoms.rows.map((r) => r.code);
      const q = queenContiguity(geoms.rows.map((r) => wkbVertices(Buffer.from(r.g, 'hex'))));
      const vertexPairs: string[] = [];
      for (let k = 0; k < q.shared.length; k += 2) vertexPairs.push(`${codes[q.shared[k]]}|${codes[q.shared[k + 1]]}`);
      const postgis = await db.query<{ code: string; neighbour: string }>(
        `SELECT code, neighbour FROM hotspot_links($1, 'queen', NULL, 32633, NULL) WHERE code < neighbour`,
        [level],
      );
      const postgisPairs = postgis.rows.map((r) => `${r.code}|${r.neighbour}`);
      expect(vertexPairs.length, level).toBe(pairsExpected);
      expect(vertexPairs.sort(), level).toEqual(postgisPairs.sort());
      // the box contacts without a shared vertex that PostGIS is asked about are no contacts
      const a: string[] = [];
      const b: string[] = [];
      for (let k = 0; k < q.unresolved.length; k += 2) {
        a.push(codes[q.unresolved[k]]);
        b.push(codes[q.unresolved[k + 1]]);
      }
      expect(a.length, level).toBeGreaterThan(0);
      const touching = await db.query(
        `SELECT 1 FROM unnest($2::text[], $3::text[]) AS p(a, b) JOIN area x ON x.level = $1 AND x.code = p.a
           JOIN area y ON y.level = $1 AND y.code = p.b WHERE ST_Intersects(x.geom, y.geom)`,
        [level, a, b],
      );
      expect(touching.rows.length, level).toBe(0);
    }
  });

  it('rook (shared boundary line) lists equal the reference, 2 946 links', async () => {
    const w = await levelWeights(db, 'plr', parseWeightsSpec('rook'));
    expect(w.nLinks).toBe(2946);
    expect(w.lists).toEqual(ref.neighbours.rook.lists);
  });

  it('6 nearest neighbours among the 536 analysed areas equal the reference except the fragile ids', async () => {
    const dropped = new Set(ref.dropped.map((d) => d.id));
    const codes = Object.keys(ref.neighbours.queen.lists).filter((c) => !dropped.has(c));
    expect(codes.length).toBe(536);
    const w = await subsetWeights(db, 'plr', parseWeightsSpec('knn:6'), codes);
    const fragile = new Set(ref.neighbours.knn.fragile_ids);
    let compared = 0;
    const differing: string[] = [];
    for (const c of codes) {
      expect(w.lists[c].length).toBe(6);
      if (fragile.has(c)) continue;
      compared++;
      if (JSON.stringify(w.lists[c]) !== JSON.stringify(ref.neighbours.knn.lists[c])) differing.push(c);
    }
    expect(differing).toEqual([]);
    expect(compared).toBe(531);
  });

  it('centroids are area-weighted in EPSG:32633 (within 1 mm of sf/GEOS)', async () => {
    const r = await db.query<{ code: string; x: number; y: number }>(
      "SELECT code, ST_X(pt) AS x, ST_Y(pt) AS y FROM area_centroid WHERE level = 'plr' AND srid = 32633 ORDER BY code",
    );
    let worst = 0;
    for (const row of r.rows) {
      const c = ref.neighbours.knn.centroids[row.code];
      if (!c) continue;
      worst = Math.max(worst, Math.hypot(row.x - c[0], row.y - c[1]));
    }
    expect(worst).toBeLessThan(1e-3);
  });

  it('queen with a snap tolerance adds close pairs; distance band and islands', async () => {
    const snap = await levelWeights(db, 'plr', parseWeightsSpec('queen:snap=1'));
    expect(snap.nLinks).toBeGreaterThanOrEqual(3238);
    for (const [c, l] of Object.entries(ref.neighbours.queen.lists))
      for (const n of l) expect(snap.lists[c], c).toContain(n);
    const band = await levelWeights(db, 'plr', parseWeightsSpec('distance:1500'));
    expect(band.nLinks).toBe(3524);
    // symmetric by construction
    for (const [c, l] of Object.entries(band.lists)) for (const n of l) expect(band.lists[n]).toContain(c);
    const tiny = await levelWeights(db, 'plr', parseWeightsSpec('distance:300'));
    expect(tiny.islands.length).toBeGreaterThan(0);
    expect(tiny.islands.every((c) => tiny.lists[c].length === 0)).toBe(true);
  });

  it('unknown weights types are refused with a 400', () => {
    for (const bad of ['queens', 'knn:0', 'knn:x', 'distance:-5', 'rook:2']) {
      expect(() => parseWeightsSpec(bad), bad).toThrow(expect.objectContaining({ status: 400 }));
    }
  });

  it('an unknown level (it comes from the query string) is a 400 naming it', async () => {
    await expect(levelWeights(db, 'mars', parseWeightsSpec('queen'))).rejects.toMatchObject({
      status: 400,
      message: "Unbekannte Ebene 'mars'",
    });
  });
});

describe(`snap tolerance on a hand-made level (${backend})`, () => {
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    db = await openTestDb();
    dir = await mkdtemp(path.join(tmpdir(), 'snap-'));
    // Three 100 m squares in EPSG:25833 (metres): B leaves a 0.4 m gap to A, as sloppy borders
    // do; C lies 800 m away. Coordinates far from the UTM origin, like real Berlin data.
    const square = (code: string, x0: number) => ({
      type: 'Feature',
      properties: { code, name: code },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [x0, 5819000],
            [x0 + 100, 5819000],
            [x0 + 100, 5819100],
            [x0, 5819100],
            [x0, 5819000],
          ],
        ],
      },
    });
    const fc = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25833' } },
      features: [square('A', 390000), square('B', 390100.4), square('C', 391000)],
    };
    await writeFile(path.join(dir, 'squares.geojson'), JSON.stringify(fc));
    await importAreas(db, path.join(dir, 'squares.geojson'), {
      level: 'sq',
      levelLabel: 'Quadrat',
      codeField: 'code',
      nameField: 'name',
    });
  });
  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('links two areas across a gap narrower than the tolerance, and only then', async () => {
    const strict = await levelWeights(db, 'sq', parseWeightsSpec('queen'));
    expect(strict.nLinks).toBe(0);
    expect(strict.islands).toEqual(['A', 'B', 'C']);
    const snapped = await levelWeights(db, 'sq', parseWeightsSpec('queen:snap=1'));
    expect(snapped.lists).toEqual({ A: ['B'], B: ['A'], C: [] });
    expect(snapped.islands).toEqual(['C']);
    const tooTight = await levelWeights(db, 'sq', parseWeightsSpec('queen:snap=0.3'));
    expect(tooTight.nLinks).toBe(0);
  });

  it('queen finds a contact without a shared vertex (T-junction) through the exact test, as ST_Intersects does', async () => {
    // A's top edge (y = 52.001) has no vertex where B's bottom corners sit on it; C touches
    // nobody (its box meets A's, but a 0.0001° gap lies between them).
    await db.query("INSERT INTO level (key, label) VALUES ('tj', 'T-Stoß')");
    await db.query(
      `INSERT INTO area (level, code, name, geom, area_km2) VALUES
         ('tj', 'A', 'A', ST_Multi(ST_MakeEnvelope(13.000, 52.000, 13.002, 52.001, 4326)), 0.02),
         ('tj', 'B', 'B', ST_Multi(ST_MakeEnvelope(13.0005, 52.001, 13.0015, 52.002, 4326)), 0.01),
         ('tj', 'C', 'C', ST_Multi(ST_MakeEnvelope(13.0021, 52.0005, 13.003, 52.0015, 4326)), 0.01)`,
    );
    const w = await levelWeights(db, 'tj', parseWeightsSpec('queen'), { store: false });
    expect(w.lists).toEqual({ A: ['B'], B: ['A'], C: [] });
    const postgis = await db.query<{ code: string; neighbour: string }>(
      "SELECT code, neighbour FROM hotspot_links('tj', 'queen', NULL, 32633, NULL) ORDER BY code",
    );
    expect(postgis.rows).toEqual([
      { code: 'A', neighbour: 'B' },
      { code: 'B', neighbour: 'A' },
    ]);
  });
});

describe(`GET /api/weights never writes; storing is a POST with the token (${backend})`, () => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const AUTH = { Authorization: 'Bearer weights-token' };
  const counts = async () => {
    const r = await db.query<{ sets: number; lists: number }>(
      `SELECT (SELECT count(*)::int FROM spatial_weights) AS sets, (SELECT count(*)::int FROM spatial_weights_list) AS lists`,
    );
    return r.rows[0];
  };
  beforeAll(async () => {
    db = await openSampleDb();
    app = createApp({
      db,
      config: { ...configFromEnv({}), apiToken: 'weights-token' },
      log: { info: () => undefined, error: () => undefined },
    });
  });
  afterAll(async () => db?.close());

  it('six GETs of new specs compute the lists on the fly and leave spatial_weights unchanged', async () => {
    const before = await counts();
    const specs = ['distance:1500', 'distance:1501', 'distance:2000.5', 'knn:4', 'rook', 'queen:snap=2'];
    for (const type of specs) {
      const res = await request(app).get(`/api/weights?level=plr&type=${type}`).expect(200);
      expect(res.body.stored).toBe(false);
      expect(Object.keys(res.body.lists)).toHaveLength(542);
    }
    // the same spec twice: still computed, still not stored
    const knn = await request(app).get('/api/weights?level=plr&type=knn:4').expect(200);
    expect(knn.body.nLinks).toBe(542 * 4);
    expect(await counts()).toEqual(before);
    const rook = await request(app).get('/api/weights?level=plr&type=rook').expect(200);
    expect(rook.body.nLinks).toBe(2946);
    expect(rook.body.lists).toEqual(ref.neighbours.rook.lists);
    expect(await counts()).toEqual(before);
  });

  it('POST stores a spec (token required); then GET reads the stored lists', async () => {
    const before = await counts();
    await request(app).post('/api/weights').send({ level: 'plr', type: 'distance:1234' }).expect(401);
    await request(app)
      .post('/api/weights')
      .set({ Authorization: 'Bearer wrong' })
      .send({ level: 'plr', type: 'distance:1234' })
      .expect(403);
    expect(await counts()).toEqual(before);
    const bad = await request(app).post('/api/weights').set(AUTH).send({ level: 'plr', type: 'hexagon' }).expect(400);
    expect(bad.body.error.message).toMatch(/Unbekannter Gewichtstyp 'hexagon'/);
    const made = await request(app)
      .post('/api/weights')
      .set(AUTH)
      .send({ level: 'plr', type: 'distance:1234' })
      .expect(201);
    expect(made.body.stored).toBe(true);
    const after = await counts();
    expect(after.sets).toBe(before.sets + 1);
    expect(after.lists).toBe(before.lists + 542);
    const again = await request(app)
      .post('/api/weights')
      .set(AUTH)
      .send({ level: 'plr', type: 'distance:1234' })
      .expect(200);
    expect(again.body.lists).toEqual(made.body.lists);
    const read = await request(app).get('/api/weights?level=plr&type=distance:1234').expect(200);
    expect(read.body.stored).toBe(true);
    expect(read.body.lists).toEqual(made.body.lists);
    expect(await counts()).toEqual(after);
  });
});
