/**
 * The facility indicators of the shipped sample (issue 12) against a computation by hand from the
 * shipped files, independent of PostGIS: the Kita and care-home coordinates (EPSG:25833) are
 * converted to WGS 84 here (Krüger's series for UTM 33 on GRS 80), assigned to the Planungsräume
 * of plr.geojson with turf's booleanPointInPolygon (a point on a border: the lower code), their
 * places summed and divided by the register counts of 30.06.2022 (einwohnerregister.csv); the
 * distance is turf's distance from the Planungsraum's ST_PointOnSurface to the nearest care home,
 * the Bezirk's the E_65-weighted mean of its Planungsräume. Also the API of the point layers:
 * nearby facilities, the layer list and the point tiles. Runs on PGlite and, with DATABASE_URL,
 * on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { Express } from 'express';
import { bbox as turfBbox, booleanPointInPolygon, distance as turfDistance, point as turfPoint } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import { openSampleDb, backend } from '../helpers/test-db.js';
import { SAMPLE_DIR } from '../../geodata/sample/load.js';
import { nearestPoints } from '../../server/services/points.js';

const silent = { info: () => undefined, error: () => undefined };
const STUELERSTRASSE = '01100101';
const MITTE = '01';
const REGISTER = '2022-06-30';

/** UTM zone 33 (ETRS89, GRS 80) → longitude/latitude in degrees: Krüger's series to n³ (sub-millimetre). */
function utm33ToLonLat(e: number, n: number): [number, number] {
  const a = 6378137;
  const f = 1 / 298.257222101;
  const k0 = 0.9996;
  const nn = f / (2 - f);
  const A = (a / (1 + nn)) * (1 + nn ** 2 / 4 + nn ** 4 / 64);
  const beta = [nn / 2 - (2 * nn ** 2) / 3 + (37 * nn ** 3) / 96, nn ** 2 / 48 + nn ** 3 / 15, (17 * nn ** 3) / 480];
  const delta = [2 * nn - (2 * nn ** 2) / 3 - 2 * nn ** 3, (7 * nn ** 2) / 3 - (8 * nn ** 3) / 5, (56 * nn ** 3) / 15];
  const xi = n / (k0 * A);
  const eta = (e - 500000) / (k0 * A);
  let xi1 = xi;
  let eta1 = eta;
  beta.forEach((b, j) => {
    xi1 -= b * Math.sin(2 * (j + 1) * xi) * Math.cosh(2 * (j + 1) * eta);
    eta1 -= b * Math.cos(2 * (j + 1) * xi) * Math.sinh(2 * (j + 1) * eta);
  });
  const chi = Math.asin(Math.sin(xi1) / Math.cosh(eta1));
  let phi = chi;
  delta.forEach((d, j) => (phi += d * Math.sin(2 * (j + 1) * chi)));
  const lambda = (15 * Math.PI) / 180 + Math.atan(Math.sinh(eta1) / Math.cos(xi1));
  return [(lambda * 180) / Math.PI, (phi * 180) / Math.PI];
}

interface Facility {
  lonLat: [number, number];
  places: number;
}

function readFacilities(file: string, placesField: string): Facility[] {
  const doc = JSON.parse(readFileSync(`${SAMPLE_DIR}${file}`, 'utf8')) as {
    crs: { properties: { name: string } };
    features: { properties: Record<string, unknown>; geometry: { coordinates: [number, number] } }[];
  };
  expect(doc.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::25833');
  return doc.features.map((f) => ({
    lonLat: utm33ToLonLat(...f.geometry.coordinates),
    places: Number(f.properties[placesField]),
  }));
}

describe(`facility indicators of the sample by hand (${backend})`, () => {
  let db: Db;
  let app: Express;
  const plr = JSON.parse(readFileSync(`${SAMPLE_DIR}plr.geojson`, 'utf8')) as {
    features: Feature<Polygon | MultiPolygon, { PLR_ID: string }>[];
  };
  const areas = [...plr.features]
    .sort((x, y) => (x.properties.PLR_ID < y.properties.PLR_ID ? -1 : 1))
    .map((f) => ({ f, box: turfBbox(f) }));
  /** Planungsraum code of a point: the lowest code whose polygon covers it (boundary included). */
  const areaOf = ([x, y]: [number, number]) =>
    areas.find(
      ({ f, box }) =>
        x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3] && booleanPointInPolygon(turfPoint([x, y]), f),
    )?.f.properties.PLR_ID ?? null;
  const register = new Map<string, number>(); // `${code}|${indicator}` at 30.06.2022
  for (const line of readFileSync(`${SAMPLE_DIR}einwohnerregister.csv`, 'utf8').trim().split('\n').slice(1)) {
    const [code, indicator, period, value] = line.split(',');
    if (period === REGISTER) register.set(`${code}|${indicator}`, Number(value));
  }
  const sumRegister = (indicator: string, codes: (code: string) => boolean) =>
    [...register].filter(([k]) => k.endsWith(`|${indicator}`) && codes(k.slice(0, 8))).reduce((s, [, v]) => s + v, 0);

  const kitas = readFacilities('kitas_2022-12.geojson', 'e_platz');
  const pflege = readFacilities('pflegeeinrichtungen_2023-07.geojson', 'platzzahl');
  const codeOf = new Map<Facility, string | null>();
  const placesIn = (fs: Facility[], codes: (code: string) => boolean) => {
    let total = 0;
    for (const f of fs) {
      if (!codeOf.has(f)) codeOf.set(f, areaOf(f.lonLat));
      const code = codeOf.get(f)!;
      if (code !== null && codes(code)) total += f.places;
    }
    return total;
  };

  const shown = async (level: string, indicator: string, code: string) =>
    (
      await db.query<{ value: number; period: string }>(
        'SELECT value, period::text AS period FROM indicator_value WHERE level = $1 AND indicator = $2 AND code = $3 AND NOT suppressed',
        [level, indicator, code],
      )
    ).rows;

  beforeAll(async () => {
    db = await openSampleDb();
    app = createApp({ db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent });
  }, 600_000);
  afterAll(async () => db?.close());

  it('the files hold 2 880 Kitas with 194 979 places and 274 care homes with 31 154 places', () => {
    expect(kitas).toHaveLength(2880);
    expect(kitas.reduce((s, k) => s + k.places, 0)).toBe(194979);
    expect(pflege).toHaveLength(274);
    expect(pflege.reduce((s, k) => s + k.places, 0)).toBe(31154);
  });

  it('KITA_Q and PFLEGE_Q of Stülerstraße equal the computation by hand (one period: 30.06.2022)', async () => {
    const isStueler = (c: string) => c === STUELERSTRASSE;
    const kitaPlaces = placesIn(kitas, isStueler);
    const pflegePlaces = placesIn(pflege, isStueler);
    const u6 = register.get(`${STUELERSTRASSE}|E_U6`)!;
    const o65 = register.get(`${STUELERSTRASSE}|E_65`)!;
    expect([kitaPlaces, u6, pflegePlaces, o65]).toEqual([39, 169, 0, 714]);
    expect(await shown('plr', 'KITA_Q', STUELERSTRASSE)).toEqual([
      { value: expect.closeTo((100 * kitaPlaces) / u6, 9), period: REGISTER },
    ]);
    expect(await shown('plr', 'PFLEGE_Q', STUELERSTRASSE)).toEqual([
      { value: expect.closeTo((100 * pflegePlaces) / o65, 9), period: REGISTER },
    ]);
  });

  it('KITA_Q and PFLEGE_Q of the Bezirk Mitte equal the computation by hand', async () => {
    const inMitte = (c: string) => c.startsWith(MITTE);
    const kitaPlaces = placesIn(kitas, inMitte);
    const pflegePlaces = placesIn(pflege, inMitte);
    const u6 = sumRegister('E_U6', inMitte);
    const o65 = sumRegister('E_65', inMitte);
    expect([kitaPlaces, u6, pflegePlaces, o65]).toEqual([21338, 22955, 1921, 50060]);
    expect((await shown('bez', 'KITA_Q', MITTE))[0].value).toBeCloseTo((100 * kitaPlaces) / u6, 9);
    expect((await shown('bez', 'PFLEGE_Q', MITTE))[0].value).toBeCloseTo((100 * pflegePlaces) / o65, 9);
    // Every parent level has the indicators too.
    for (const [level, code] of [
      ['bzr', '011001'],
      ['pgr', '0110'],
    ] as const) {
      const inArea = (c: string) => c.startsWith(code);
      expect((await shown(level, 'KITA_Q', code))[0].value, level).toBeCloseTo(
        (100 * placesIn(kitas, inArea)) / sumRegister('E_U6', inArea),
        9,
      );
    }
  });

  it('PFLEGE_DIST: metres from the point on surface to the nearest care home; the Bezirk weights by E_65', async () => {
    const refs = await db.query<{ code: string; x: number; y: number }>(
      `SELECT code, ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y
         FROM area WHERE level = 'plr' AND code LIKE '01%' ORDER BY code`,
    );
    const nearest = (x: number, y: number) =>
      Math.min(...pflege.map((p) => turfDistance(turfPoint([x, y]), turfPoint(p.lonLat), { units: 'meters' })));
    const stueler = refs.rows.find((r) => r.code === STUELERSTRASSE)!;
    const byHand = nearest(stueler.x, stueler.y);
    const [got] = await shown('plr', 'PFLEGE_DIST', STUELERSTRASSE);
    // turf measures on a sphere, PostGIS on the WGS 84 spheroid: within 0.5 %.
    expect(Math.abs(got.value / byHand - 1)).toBeLessThan(0.005);
    let weighted = 0;
    let weights = 0;
    for (const r of refs.rows) {
      const w = register.get(`${r.code}|E_65`) ?? 0;
      weighted += w * nearest(r.x, r.y);
      weights += w;
    }
    const [mitte] = await shown('bez', 'PFLEGE_DIST', MITTE);
    expect(Math.abs(mitte.value / (weighted / weights) - 1)).toBeLessThan(0.005);
    const note = await db.query(
      "SELECT level, period::text, point_period::text, reference, n_points, n_outside FROM point_input_note WHERE indicator = 'PFLEGE_DIST'",
    );
    expect(note.rows).toEqual([
      {
        level: 'plr',
        period: REGISTER,
        point_period: '2023-07-01',
        reference: 'point_on_surface',
        n_points: 274,
        n_outside: 0,
      },
    ]);
  });

  it('GET /api/areas/{code}/nearby lists the nearest care homes with address and distance', async () => {
    const res = await request(app).get(`/api/areas/${STUELERSTRASSE}/nearby?layer=pflege&limit=3`).expect(200);
    expect(res.body).toHaveLength(3);
    const direct = await nearestPoints(db, 'pflege', 'plr', STUELERSTRASSE, 3);
    expect(res.body).toEqual(direct);
    const [first] = res.body as { distanceM: number; address: string; name: string }[];
    const [got] = await shown('plr', 'PFLEGE_DIST', STUELERSTRASSE);
    expect(first.distanceM).toBe(Math.round(got.value));
    expect(first.address).toMatch(/, 1\d{4} Berlin$/);
    await request(app).get(`/api/areas/${STUELERSTRASSE}/nearby?layer=schulen`).expect(400);
    await request(app).get('/api/areas/99999999/nearby?layer=kitas').expect(404);
    await request(app).get(`/api/areas/${STUELERSTRASSE}/nearby?layer=kitas&level=xyz`).expect(400);
  });

  it('GET /api/point-layers and the point tiles', async () => {
    const layers = await request(app).get('/api/point-layers').expect(200);
    expect(layers.body.map((l: { key: string; period: string }) => [l.key, l.period])).toEqual([
      ['kitas', '2022-12-01'],
      ['pflege', '2023-07-01'],
    ]);
    const tj = await request(app).get('/tiles/points/kitas.json').expect(200);
    expect(tj.body).toMatchObject({ tilejson: '3.0.0', vector_layers: [{ id: 'points' }] });
    expect(tj.body.tiles[0]).toMatch(/\/tiles\/points\/kitas\/\{z\}\/\{x\}\/\{y\}\.pbf$/);
    // z10 tile over Berlin Mitte (13.38°E, 52.52°N): x 550, y 335.
    const tile = await request(app).get('/tiles/points/kitas/10/550/335.pbf').expect(200);
    expect(tile.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    await request(app).get('/tiles/points/schulen/10/550/335.pbf').expect(404);
    await request(app).get('/tiles/points/kitas/15/0/0.pbf').expect(400);
  });
});
