/**
 * /tiles on the Berlin sample, decoded with @mapbox/vector-tile + pbf: property values against the
 * database, geometry bounds, coverage of all 542 areas, caching headers, TileJSON and bad input.
 * Run tiles publish the members of areas not hidden at the run's period (532 of the 542 members
 * the test runs hold on 31.12.2020: 5 hidden by population, 5 to protect them); the areas layer
 * has no population for areas hidden at its latest period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { VectorTile, type VectorTileLayer } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import { insertTypologyRun } from '../helpers/fake-runs.js';
import { openSampleDb, backend } from '../helpers/test-db.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { classBreaks } from '../../analysis/class-breaks.js';

const silent = { info: () => undefined, error: () => undefined };
const EXTENT = 4096;
const BUFFER = 64;

const lon2tile = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const lat2tile = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

/** Collects a binary body (superagent leaves unknown content types unparsed). */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

function layerOf(body: Buffer, name: string): VectorTileLayer {
  const vt = new VectorTile(new PbfReader(body));
  expect(Object.keys(vt.layers)).toEqual([name]);
  return vt.layers[name];
}

function codesOf(layer: VectorTileLayer): string[] {
  const out: string[] = [];
  for (let i = 0; i < layer.length; i++) out.push(String(layer.feature(i).properties.code));
  return out;
}

describe(`vector tiles on the Berlin sample (${backend})`, () => {
  let db: Db;
  let app: Express;
  let stueler: { lon: number; lat: number; name: string; s4: number; ew: number };
  let bounds: [number, number, number, number];
  /** Planungsräume hidden on 31.12.2020 (population and secondary): never in a run's tiles. */
  let hidden2020: Set<string>;

  const get = (url: string) => request(app).get(url).buffer(true).parse(binary);

  beforeAll(async () => {
    db = await openSampleDb();
    app = createApp({ db, config: { ...configFromEnv({}), tileCacheMb: 64 }, log: silent });
    const r = await db.query<{ lon: number; lat: number; name: string; s4: number; ew: number }>(
      `SELECT ST_X(ST_PointOnSurface(a.geom)) AS lon, ST_Y(ST_PointOnSurface(a.geom)) AS lat, a.name,
              (SELECT value FROM indicator_value v WHERE v.level = 'plr' AND v.code = a.code AND v.indicator = 'S4' AND v.period = '2020-12-31') AS s4,
              -- the areas layer carries the population of the latest period (Einwohnerregister 31.12.2024)
              (SELECT value FROM observation o WHERE o.level = 'plr' AND o.code = a.code AND o.indicator = 'EW' AND o.period = '2024-12-31') AS ew
         FROM area a WHERE a.level = 'plr' AND a.code = '01100101'`,
    );
    stueler = r.rows[0];
    const tj = await request(app).get('/tiles/areas.json').expect(200);
    bounds = tj.body.bounds;
    const hidden = await db.query<{ code: string }>(
      `SELECT code FROM area_suppression WHERE level = 'plr' AND period = '2020-12-31'`,
    );
    hidden2020 = new Set(hidden.rows.map((r) => r.code));
  });
  afterAll(async () => db?.close());

  it('a tile containing Stülerstraße has its code, name, S4 value and a stable id', async () => {
    expect(stueler.name).toBe('Stülerstraße');
    expect(stueler.s4).toBeCloseTo(19.39799, 4);
    for (const z of [10, 12, 14]) {
      const [x, y] = [lon2tile(stueler.lon, z), lat2tile(stueler.lat, z)];
      const res = await get(`/tiles/indicator/S4/2020-12-31/${z}/${x}/${y}.pbf`).expect(200);
      expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
      const layer = layerOf(res.body, 'indicator');
      const feats = Array.from({ length: layer.length }, (_, i) => layer.feature(i)).filter(
        (f) => f.properties.code === '01100101',
      );
      expect(feats).toHaveLength(1);
      const f = feats[0];
      expect(f.id).toBe(1100101);
      expect(f.type).toBe(3);
      expect(f.properties.name).toBe('Stülerstraße');
      expect(f.properties.value).toBeCloseTo(stueler.s4, 10);
      expect(f.properties.suppressed).toBe(false);
      expect([0, 1, 2, 3, 4]).toContain(f.properties.class);
    }
    const z = 13;
    const res = await get(`/tiles/areas/${z}/${lon2tile(stueler.lon, z)}/${lat2tile(stueler.lat, z)}.pbf`).expect(200);
    const layer = layerOf(res.body, 'areas');
    const i = codesOf(layer).indexOf('01100101');
    expect(layer.feature(i).properties).toEqual({
      code: '01100101',
      name: 'Stülerstraße',
      level: 'plr',
      parent: '011001',
      population: stueler.ew,
    });
    expect(stueler.ew).toBe(3580); // Einwohnerregister 31.12.2024 (3 419 in the MSS 2021 on 31.12.2020)
  });

  it('classes follow the breaks the client asks for, and TileJSON publishes them', async () => {
    const vals = await db.query<{ code: string; value: number | null; suppressed: boolean }>(
      `SELECT code, value, suppressed FROM indicator_value WHERE level = 'plr' AND indicator = 'S4' AND period = '2020-12-31'`,
    );
    const shown = vals.rows.filter((r) => !r.suppressed && r.value !== null);
    const expected = classBreaks(
      shown.map((r) => r.value),
      'jenks',
      3,
    );
    const tj = await request(app).get('/tiles/indicator/S4/2020-12-31.json?method=jenks&classes=3').expect(200);
    expect(tj.body.breaks.thresholds).toEqual(expected.thresholds);
    expect(tj.body.breaks).toMatchObject({ method: 'jenks', classes: 3, n: shown.length });
    expect(tj.body.tiles[0]).toMatch(
      /\/tiles\/indicator\/S4\/2020-12-31\/\{z\}\/\{x\}\/\{y\}\.pbf\?level=plr&method=jenks&classes=3$/,
    );

    // every area at z0 carries the class of its value under those thresholds
    const res = await get('/tiles/indicator/S4/2020-12-31/0/0/0.pbf?method=jenks&classes=3').expect(200);
    const layer = layerOf(res.body, 'indicator');
    expect(layer.length).toBe(542);
    const byCode = new Map(vals.rows.map((r) => [r.code, r]));
    let suppressed = 0;
    let missing = 0;
    for (let i = 0; i < layer.length; i++) {
      const p = layer.feature(i).properties;
      const row = byCode.get(String(p.code))!;
      if (row.suppressed) {
        suppressed++;
        expect(p.value).toBeUndefined(); // never sent
        expect(p.class).toBeUndefined();
        expect(p.suppressed).toBe(true);
        continue;
      }
      if (row.value === null) {
        missing++;
        expect(p.value).toBeUndefined(); // no value: drawn, without value or class
        expect(p.class).toBeUndefined();
        continue;
      }
      expect(p.value).toBe(row.value);
      const t = expected.thresholds;
      const c = (row.value as number) <= t[0] ? 0 : (row.value as number) <= t[1] ? 1 : 2;
      expect(p.class).toBe(c);
    }
    expect(suppressed + missing).toBe(542 - shown.length);
    expect(suppressed).toBeGreaterThan(0);
  });

  it('codes of z=0 and of all z=10 tiles each cover all 542 areas; geometries stay within extent + buffer', async () => {
    const z0 = layerOf((await get('/tiles/areas/0/0/0.pbf').expect(200)).body, 'areas');
    expect(new Set(codesOf(z0)).size).toBe(542);
    // population of the latest period (Einwohnerregister 31.12.2024), none for the 12 areas hidden then
    const ew = await db.query<{ code: string; value: number; hidden: boolean }>(
      `SELECT o.code, o.value, EXISTS (SELECT 1 FROM area_suppression x WHERE x.level = o.level AND x.code = o.code AND x.period = o.period) AS hidden
         FROM observation o WHERE o.level = 'plr' AND o.indicator = 'EW' AND o.period = '2024-12-31'`,
    );
    const ewOf = new Map(ew.rows.map((r) => [r.code, r]));
    expect(ew.rows.filter((r) => r.hidden)).toHaveLength(12);
    for (let i = 0; i < z0.length; i++) {
      const p = z0.feature(i).properties;
      const row = ewOf.get(String(p.code))!;
      expect(p.population, String(p.code)).toBe(row.hidden ? undefined : Number(row.value));
    }

    const z = 10;
    const codes = new Set<string>();
    let tiles = 0;
    let empty = 0;
    for (let x = lon2tile(bounds[0], z); x <= lon2tile(bounds[2], z); x++) {
      for (let y = lat2tile(bounds[3], z); y <= lat2tile(bounds[1], z); y++) {
        const res = await get(`/tiles/areas/${z}/${x}/${y}.pbf`);
        if (res.status === 204) {
          empty++;
          continue;
        }
        expect(res.status).toBe(200);
        tiles++;
        const layer = layerOf(res.body, 'areas');
        expect(layer.extent).toBe(EXTENT);
        for (let i = 0; i < layer.length; i++) {
          const f = layer.feature(i);
          codes.add(String(f.properties.code));
          expect(f.id).toBe(Number(f.properties.code));
          for (const ring of f.loadGeometry()) {
            for (const p of ring) {
              expect(p.x >= -BUFFER && p.x <= EXTENT + BUFFER && p.y >= -BUFFER && p.y <= EXTENT + BUFFER).toBe(true);
            }
          }
        }
      }
    }
    expect(codes.size).toBe(542);
    expect(tiles).toBeGreaterThanOrEqual(4);
    expect(empty).toBeGreaterThanOrEqual(0);
  });

  it('serves the parent level outlines and one label point per area', async () => {
    const bzr = layerOf((await get('/tiles/areas/0/0/0.pbf?level=bzr').expect(200)).body, 'areas');
    expect(new Set(codesOf(bzr)).size).toBe(143);
    // the parent level has no population of its own: the sum of its Planungsräume
    const sum = await db.query<{ s: number }>(
      `SELECT sum(o.value) AS s FROM observation o JOIN area a ON a.level = o.level AND a.code = o.code
        WHERE o.level = 'plr' AND o.indicator = 'EW' AND o.period = '2024-12-31' AND a.parent_code = '011001'`,
    );
    const tiergarten = bzr.feature(codesOf(bzr).indexOf('011001')).properties;
    expect(tiergarten).toMatchObject({ code: '011001', level: 'bzr' });
    expect(tiergarten.population).toBe(Number(sum.rows[0].s));
    expect(tiergarten.population).toBeGreaterThan(stueler.ew);
    const labels = layerOf((await get('/tiles/labels/0/0/0.pbf').expect(200)).body, 'labels');
    expect(labels.length).toBe(542);
    const i = codesOf(labels).indexOf('01100101');
    const f = labels.feature(i);
    expect(f.type).toBe(1);
    expect(f.properties).toEqual({ code: '01100101', name: 'Stülerstraße' });
    const [lon, lat] = (f.toGeoJSON(0, 0, 0).geometry as { coordinates: number[] }).coordinates;
    // one z0 unit is ~0.09° of longitude: the point is where PostGIS put it, to tile precision
    expect(Math.abs(lon - stueler.lon)).toBeLessThan(0.1);
    expect(Math.abs(lat - stueler.lat)).toBeLessThan(0.1);
  });

  it('data-addressed tiles: ETag from the data version, 304 on If-None-Match, new ETag after an import', async () => {
    const url = `/tiles/areas/12/${lon2tile(stueler.lon, 12)}/${lat2tile(stueler.lat, 12)}.pbf`;
    const first = await get(url).expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    expect((await get(url)).headers.etag).toBe(etag);
    await request(app).get(url).set('If-None-Match', etag).expect(304);
    // other parameters, other ETag
    const other = await get(`${url}?level=bzr`).expect(200);
    expect(other.headers.etag).not.toBe(etag);

    await db.query('UPDATE data_version SET version = version + 1, changed_at = now() WHERE id = 1');
    await new Promise((r) => setTimeout(r, 600)); // the server reuses a read version for 500 ms
    const after = await get(url).set('If-None-Match', etag).expect(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(Buffer.compare(after.body, first.body)).toBe(0); // same data, rebuilt index, same tile
    await request(app).get(url).set('If-None-Match', after.headers.etag).expect(304);
  });

  it('data-addressed tiles change when the data change: a re-imported value is in the next tile', async () => {
    const z = 12;
    const url = `/tiles/indicator/S4/2020-12-31/${z}/${lon2tile(stueler.lon, z)}/${lat2tile(stueler.lat, z)}.pbf`;
    const valueIn = (body: Buffer) => {
      const layer = layerOf(body, 'indicator');
      return layer.feature(codesOf(layer).indexOf('01100101')).properties.value as number;
    };
    const before = await get(url).expect(200);
    expect(valueIn(before.body)).toBeCloseTo(stueler.s4, 10);
    // What an import does: change the value and bump the data version in one transaction.
    await db.transaction(async (tx) => {
      await tx.query(
        `UPDATE observation SET value = 42.5 WHERE level = 'plr' AND code = '01100101' AND indicator = 'S4' AND period = '2020-12-31'`,
      );
      await tx.query('UPDATE data_version SET version = version + 1, changed_at = now() WHERE id = 1');
    });
    await refreshValues(db);
    try {
      await new Promise((r) => setTimeout(r, 600)); // the server reuses a read version for 500 ms
      const after = await get(url).set('If-None-Match', before.headers.etag).expect(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(valueIn(after.body)).toBe(42.5);
    } finally {
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE observation SET value = $1 WHERE level = 'plr' AND code = '01100101' AND indicator = 'S4' AND period = '2020-12-31'`,
          [stueler.s4],
        );
        await tx.query('UPDATE data_version SET version = version + 1, changed_at = now() WHERE id = 1');
      });
      await refreshValues(db);
    }
  });

  it('run-addressed tiles: immutable, and a new run gets a new URL while old tiles stay valid', async () => {
    const a = await insertTypologyRun(db, 3);
    const urlA = `/tiles/typology/${a}/0/0/0.pbf`;
    const resA = await get(urlA).expect(200);
    expect(resA.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const layerA = layerOf(resA.body, 'typology');
    // the run holds all 542 Planungsräume; the 10 hidden on 31.12.2020 are left out of its tiles
    expect(hidden2020.size).toBe(10);
    const publishedA = await db.query<{ code: string }>(
      'SELECT code FROM typology_member_public WHERE run_id = $1 ORDER BY code',
      [a],
    );
    expect(publishedA.rows).toHaveLength(532);
    expect(codesOf(layerA).sort()).toEqual(publishedA.rows.map((r) => r.code));
    for (const c of codesOf(layerA)) expect(hidden2020.has(c), c).toBe(false);
    const row = await db.query<{ type: number; label: string }>(
      `SELECT type, label FROM typology_member WHERE run_id = $1 AND code = '01100101'`,
      [a],
    );
    const fa = layerA.feature(codesOf(layerA).indexOf('01100101'));
    expect(fa.properties).toEqual({
      code: '01100101',
      type: row.rows[0].type,
      label: row.rows[0].label,
      silhouette: 0.25,
      stability: 0.9,
    });

    const b = await insertTypologyRun(db, 5);
    expect(b).not.toBe(a);
    const resB = await get(`/tiles/typology/${b}/0/0/0.pbf`).expect(200);
    expect(resB.headers.etag).not.toBe(resA.headers.etag);
    const layerB = layerOf(resB.body, 'typology');
    expect(layerB.length).toBe(532);
    const typesB = new Set(Array.from({ length: layerB.length }, (_, i) => layerB.feature(i).properties.type));
    expect(typesB).toEqual(new Set([1, 2, 3, 4, 5]));
    // the old run's tiles are unchanged, even after a data import
    await db.query('UPDATE data_version SET version = version + 1 WHERE id = 1');
    const againA = await get(urlA).expect(200);
    expect(againA.headers.etag).toBe(resA.headers.etag);
    expect(Buffer.compare(againA.body, resA.body)).toBe(0);
    await request(app).get(urlA).set('If-None-Match', resA.headers.etag).expect(304);
    await request(app).get('/tiles/typology/999999/0/0/0.pbf').expect(404);
  });

  it('hotspot runs serve class, giZ and quadrant', async () => {
    const run = await db.query<{ id: number }>(
      `INSERT INTO hotspot_run (level, period, indicator, params, fingerprint, result) VALUES ('plr', '2020-12-31', 'S4', '{}', 'test', '{}') RETURNING id`,
    );
    const id = Number(run.rows[0].id);
    await db.query(
      `INSERT INTO hotspot_member (run_id, code, quadrant, gi_z, class)
       SELECT $1, code, CASE WHEN code = '01100101' THEN 'HH' END, CASE WHEN code = '01100101' THEN 2.1 ELSE 0.5 END,
              CASE WHEN code = '01100101' THEN 2 ELSE 0 END FROM area WHERE level = 'plr'`,
      [id],
    );
    const res = await get(`/tiles/hotspots/${id}/0/0/0.pbf`).expect(200);
    const layer = layerOf(res.body, 'hotspots');
    expect(layer.length).toBe(532);
    expect(codesOf(layer).filter((c) => hidden2020.has(c))).toEqual([]);
    const f = layer.feature(codesOf(layer).indexOf('01100101'));
    expect(f.properties).toEqual({ code: '01100101', class: 2, giZ: 2.1, quadrant: 'HH' });
    const g = layer.feature(codesOf(layer).indexOf('01100102'));
    expect(g.properties).toEqual({ code: '01100102', class: 0, giZ: 0.5 });
    const tj = await request(app).get(`/tiles/hotspots/${id}.json`).expect(200);
    expect(tj.body.vector_layers[0].id).toBe('hotspots');
  });

  it('TileJSON 3.0 has tiles URL, bounds, center, zoom range and described fields', async () => {
    const res = await request(app).get('/tiles/areas.json?level=plr').expect(200);
    const tj = res.body;
    expect(tj.tilejson).toBe('3.0.0');
    expect(tj.tiles).toHaveLength(1);
    // from the configured public URL (default http://localhost:PORT), not from the Host header
    expect(tj.tiles[0]).toBe('http://localhost:8080/tiles/areas/{z}/{x}/{y}.pbf?level=plr');
    expect(tj.minzoom).toBe(0);
    expect(tj.maxzoom).toBe(14);
    // Berlin: 13.09–13.76 °E, 52.34–52.68 °N
    expect(tj.bounds[0]).toBeCloseTo(13.088, 2);
    expect(tj.bounds[1]).toBeCloseTo(52.338, 2);
    expect(tj.bounds[2]).toBeCloseTo(13.761, 2);
    expect(tj.bounds[3]).toBeCloseTo(52.675, 2);
    expect(tj.center[0]).toBeCloseTo((tj.bounds[0] + tj.bounds[2]) / 2, 10);
    expect(tj.center[2]).toBeGreaterThanOrEqual(8);
    expect(tj.center[2]).toBeLessThanOrEqual(11);
    expect(tj.vector_layers).toHaveLength(1);
    expect(tj.vector_layers[0].id).toBe('areas');
    expect(Object.keys(tj.vector_layers[0].fields)).toEqual(['code', 'name', 'level', 'parent', 'population']);
    expect(tj.vector_layers[0].fields.population).toMatch(/^Number/);
    // a forged Host header changes nothing: same URL, same ETag
    const forged = await request(app).get('/tiles/areas.json?level=plr').set('Host', 'evil.example').expect(200);
    expect(forged.body.tiles[0]).toBe(tj.tiles[0]);
    expect(forged.headers.etag).toBe(res.headers.etag);
    await request(app)
      .get('/tiles/areas.json?level=plr')
      .set('Host', 'evil.example')
      .set('If-None-Match', forged.headers.etag)
      .expect(304);
    // SOZIALATLAS_PUBLIC_URL names the public origin (and prefix) behind a proxy
    const proxied = createApp({
      db,
      config: { ...configFromEnv({ SOZIALATLAS_PUBLIC_URL: 'https://atlas.example.org/sozial/' }), tileCacheMb: 8 },
      log: silent,
    });
    const pub = await request(proxied).get('/tiles/areas.json?level=plr').expect(200);
    expect(pub.body.tiles[0]).toBe('https://atlas.example.org/sozial/tiles/areas/{z}/{x}/{y}.pbf?level=plr');
    const openapi = await request(app).get('/api/openapi.json').expect(200);
    expect(Object.keys(openapi.body.paths)).toContain('/tiles/indicator/{key}/{period}/{z}/{x}/{y}.pbf');
  });

  it('builds a layer once for concurrent requests; a tile request reads nothing but the data version', async () => {
    const queries: string[] = [];
    const counting: Db = {
      ...db,
      kind: db.kind,
      query: (sql, params) => {
        queries.push(sql);
        return db.query(sql, params);
      },
    };
    const app2 = createApp({ db: counting, config: { ...configFromEnv({}), tileCacheMb: 64 }, log: silent });
    const z = 11;
    const urls: string[] = [];
    for (let x = lon2tile(bounds[0], z); x <= lon2tile(bounds[2], z); x++) {
      for (let y = lat2tile(bounds[3], z); y <= lat2tile(bounds[1], z); y++)
        urls.push(`/tiles/labels/${z}/${x}/${y}.pbf?level=bzr`);
    }
    const first = await Promise.all(urls.map((u) => request(app2).get(u)));
    expect(first.every((r) => r.status === 200 || r.status === 204)).toBe(true);
    expect(first.filter((r) => r.status === 200).length).toBeGreaterThan(3);
    // one read of the layer (the statement with ST_PointOnSurface), however many requests raced for it
    expect(queries.filter((q) => q.includes('ST_PointOnSurface'))).toHaveLength(1);

    queries.length = 0;
    await new Promise((r) => setTimeout(r, 600));
    const zoomIn = urls.map((u) =>
      u.replace(`/${z}/`, `/${z + 1}/`).replace(/\/(\d+)\/(\d+)\.pbf/, (_, x, y) => `/${2 * x}/${2 * y}.pbf`),
    );
    const t0 = performance.now();
    for (const u of [...urls, ...zoomIn]) await request(app2).get(u); // cached tiles and tiles cut on demand
    const elapsed = performance.now() - t0;
    expect(queries.length).toBeGreaterThanOrEqual(1);
    expect(queries.every((q) => /^SELECT version FROM data_version WHERE id = 1$/.test(q.trim()))).toBe(true);
    expect(queries.length).toBeLessThanOrEqual(Math.ceil(elapsed / 500) + 1); // a read is reused for 500 ms
    expect(queries.length).toBeLessThan(urls.length + zoomIn.length);
  });

  it('answers bad input and unknown query values with 400, unknown things in the path with 404, empty tiles with 204 — never 500', async () => {
    const cases: [string, number, RegExp?][] = [
      ['/tiles/areas/15/0/0.pbf', 400, /Zoomstufe/],
      ['/tiles/areas/2/4/0.pbf', 400, /außerhalb/],
      ['/tiles/areas/2/0/4.pbf', 400, /außerhalb/],
      ['/tiles/areas/a/0/0.pbf', 400, /ganze Zahlen/],
      ['/tiles/areas/1/0/0.5.pbf', 400, /ganze Zahlen/],
      ['/tiles/areas/-1/0/0.pbf', 400, /ganze Zahlen/],
      ['/tiles/indicator/S4/2020-12-31/0/0/0.pbf?classes=9', 400],
      ['/tiles/indicator/S4/2020-12-31/0/0/0.pbf?method=magic', 400],
      ['/tiles/indicator/S4/2020-13-45/0/0/0.pbf', 400, /Zeitraum/],
      ['/tiles/typology/abc/0/0/0.pbf', 400, /Lauf-ID/],
      ['/tiles/nope/0/0/0.pbf', 404, /Unbekannte Kachelebene/],
      ['/tiles/areas/0/0/0.pbf?level=kreis', 400, /Unbekannte Ebene 'kreis'/],
      ['/tiles/indicator/S4/2020-12-31/0/0/0.pbf?level=kreis', 400, /Unbekannte Ebene 'kreis'/],
      ['/tiles/labels.json?level=kreis', 400, /Unbekannte Ebene 'kreis'/],
      ['/tiles/indicator/NOPE/2020-12-31/0/0/0.pbf', 404, /Unbekannter Indikator 'NOPE'/],
      ['/tiles/indicator/S4/1999-12-31/0/0/0.pbf', 404, /1999-12-31/],
      ['/tiles/indicator/S4/1999-12-31.json', 404],
      ['/tiles/hotspots/424242/0/0/0.pbf', 404, /424242/],
      ['/tiles/areas/0/0.pbf', 404],
    ];
    for (const [url, status, msg] of cases) {
      const res = await request(app).get(url);
      expect({ url, status: res.status }).toEqual({ url, status });
      expect(res.body.error?.code).toBeTruthy();
      if (msg) expect(res.body.error.message).toMatch(msg);
    }
    // the Pacific at z5, and a tile next to Berlin at z14
    await request(app).get('/tiles/areas/5/0/0.pbf').expect(204);
    await request(app).get('/tiles/indicator/S4/2020-12-31/14/0/0.pbf').expect(204);
  });
});
