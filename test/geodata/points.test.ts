/**
 * Point layers and formulas over points on a hand-made fixture whose every number is known:
 * two square blocks sharing the border lon 13.01 (0102 west, 0101 east) under one district (01),
 * six facilities — one exactly on the shared border (counts once, for the lower code 0101), one
 * outside every area (reported), places as "69", "", 20, "10", "viele" (text numbers parsed, the
 * empty and the non-numeric value counted and named). Re-importing the stand reports added,
 * removed and moved points. Runs on PGlite and, with DATABASE_URL, on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { distance as turfDistance, point as turfPoint } from '@turf/turf';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import {
  importAreas,
  importIndicators,
  importMeta,
  ImportError,
  type ImportReport,
} from '../../geodata/import/index.js';
import { importPoints, type PointImportReport } from '../../geodata/import/points.js';
import { deriveLevel } from '../../geodata/import/derive-level.js';
import { nearestPoints } from '../../server/services/points.js';
import { registerImportCli } from '../../server/cli/import.js';
import { configFromEnv } from '../../server/config.js';
import { runCli } from '../helpers/run-cli.js';

const square = (code: string, name: string, west: number) => ({
  type: 'Feature',
  properties: { code, name },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [west, 52.0],
        [west + 0.01, 52.0],
        [west + 0.01, 52.01],
        [west, 52.01],
        [west, 52.0],
      ],
    ],
  },
});

type Kita = [nr: string, lon: number, lat: number, plaetze: string | number];
const KITAS: Kita[] = [
  ['A1', 13.004, 52.004, '69'], // 0102
  ['A2', 13.006, 52.002, ''], // 0102, empty
  ['B', 13.01, 52.005, '10'], // on the shared border: 0101 (lower code), not 0102
  ['C1', 13.016, 52.006, 20], // 0101, a JSON number
  ['C2', 13.018, 52.008, 'viele'], // 0101, not a number
  ['X', 13.05, 52.005, '5'], // outside every area
];

const kitaCollection = (kitas: Kita[]) => ({
  type: 'FeatureCollection',
  features: kitas.map(([nr, lon, lat, plaetze]) => ({
    type: 'Feature',
    properties: { nr, name: `Kita ${nr}`, strasse: 'Teststraße', hnr: nr.length, plaetze },
    geometry: { type: 'Point', coordinates: [lon, lat] },
  })),
});

const META = [
  'key;label;unit;kind;scale;formula;visibility;weight_indicator;description',
  'EW;Einwohner;Personen;count;1;;public;;',
  'KIDS;Kinder;Personen;count;1;;grunddaten;;',
  'PLATZ_Q;Plätze je 100 Kinder;je 100;rate;100;100 * sum(kita.plaetze) / KIDS;public;;Kitas 12/2022, Kinder am 30.06.2022',
  'KITA_N;Kitas;Anzahl;count;1;count(kita);public;;',
  'KITA_DIST;Entfernung zur nächsten Kita;m;mean;1;distance(kita);public;EW;',
].join('\n');

/** EW and KIDS per block for two periods; the stand 2022-12-01 meets 2022-06-30 (latest on or before). */
const POPULATION = [
  'code,indicator,period,value',
  '0101,EW,2021-12-31,900',
  '0102,EW,2021-12-31,2900',
  '0101,KIDS,2021-12-31,140',
  '0102,KIDS,2021-12-31,90',
  '0101,EW,2022-06-30,1000',
  '0102,EW,2022-06-30,3000',
  '0101,KIDS,2022-06-30,150',
  '0102,KIDS,2022-06-30,100',
].join('\n');

describe(`point layers and formulas over points (${backend})`, () => {
  let db: Db;
  let dir: string;
  let first: PointImportReport;
  let meta: ImportReport;
  const file = (name: string) => path.join(dir, name);
  const value = async (level: string, indicator: string, code: string, period = '2022-06-30') =>
    (
      await db.query<{ value: number | null; numerator: number | null; denominator: number | null }>(
        'SELECT value, numerator, denominator FROM indicator_value WHERE level = $1 AND indicator = $2 AND code = $3 AND period = $4',
        [level, indicator, code, period],
      )
    ).rows[0];

  beforeAll(async () => {
    db = await openTestDb();
    dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-points-'));
    await writeFile(
      file('blocks.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: [square('0102', 'West', 13.0), square('0101', 'Ost', 13.01)],
      }),
    );
    await writeFile(file('kitas.geojson'), JSON.stringify(kitaCollection(KITAS)));
    await writeFile(file('meta.csv'), META);
    await writeFile(file('population.csv'), POPULATION);
    await importAreas(db, file('blocks.geojson'), { level: 'blk', codeField: 'code', nameField: 'name' });
    await deriveLevel(db, { from: 'blk', level: 'dst', codeLength: 2 });
    await importIndicators(db, file('population.csv'), { level: 'blk', codeField: 'code' });
    first = await importPoints(db, file('kitas.geojson'), {
      layer: 'kita',
      label: 'Kitas',
      period: '2022-12-01',
      idField: 'nr',
      nameField: 'name',
      address: '{strasse} {hnr}, 10115 Berlin',
    });
    // the formulas after the layer: import meta refuses a formula over a layer or field that does not exist
    meta = await importMeta(db, file('meta.csv'));
  }, 600_000);

  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stores every point with all attributes as JSONB, in EPSG:4326', async () => {
    expect(first).toMatchObject({ layer: 'kita', period: '2022-12-01', total: 6, srid: 4326 });
    const r = await db.query<{ fid: string; attrs: Record<string, unknown>; address: string; srid: number }>(
      "SELECT fid, attrs, address, ST_SRID(geom) AS srid FROM point_feature WHERE layer = 'kita' ORDER BY fid",
    );
    expect(r.rows.map((x) => x.fid)).toEqual(['A1', 'A2', 'B', 'C1', 'C2', 'X']);
    expect(r.rows[0]).toMatchObject({
      attrs: { nr: 'A1', name: 'Kita A1', strasse: 'Teststraße', hnr: 2, plaetze: '69' },
      address: 'Teststraße 2, 10115 Berlin',
      srid: 4326,
    });
    expect(r.rows[3].attrs.plaetze).toBe(20);
  });

  it('reports the point outside every area, naming it', () => {
    expect(first.outside).toEqual([{ level: 'blk', count: 1, ids: ['X'] }]);
    expect(first.warnings).toContain('1 Punkt liegt in keinem Gebiet der Ebene "blk": X');
  });

  it('counts a point on the shared border once, for the lower code', async () => {
    expect((await value('blk', 'KITA_N', '0101')).value).toBe(3); // B, C1, C2
    expect((await value('blk', 'KITA_N', '0102')).value).toBe(2); // A1, A2
    expect((await value('dst', 'KITA_N', '01')).value).toBe(5); // X lies in no block
  });

  it('sums text numbers, leaves empty and non-numeric values out and names them', async () => {
    expect(await value('blk', 'PLATZ_Q', '0101')).toEqual({ value: 20, numerator: 30, denominator: 150 }); // 100·(10+20)/150
    expect(await value('blk', 'PLATZ_Q', '0102')).toEqual({ value: 69, numerator: 69, denominator: 100 });
    // The district: the formula of the district's sums, 100·99/250 (not a mean of the blocks' rates).
    expect((await value('dst', 'PLATZ_Q', '01')).value).toBeCloseTo(39.6, 12);
    expect(meta.warnings).toContain(
      "PLATZ_Q: Feld 'plaetze' des Punktlayers 'kita' (Stand 2022-12-01): 1 leer (A2), 1 keine Zahl (C2=viele); diese Punkte zählen in sum(kita.plaetze) nicht mit",
    );
    const note = await db.query(
      `SELECT level, period::text, point_period::text, n_points, n_outside, n_empty, n_invalid, empty_fids, invalid_fids
         FROM point_input_note WHERE indicator = 'PLATZ_Q'`,
    );
    expect(note.rows).toEqual([
      {
        level: 'blk',
        period: '2022-06-30',
        point_period: '2022-12-01',
        n_points: 6,
        n_outside: 1,
        n_empty: 1,
        n_invalid: 1,
        empty_fids: ['A2'],
        invalid_fids: ['C2'],
      },
    ]);
  });

  it('pairs the stand with the latest period of the other inputs on or before it, and only that one', async () => {
    const periods = await db.query<{ period: string }>(
      "SELECT DISTINCT period::text AS period FROM indicator_value WHERE indicator IN ('PLATZ_Q', 'KITA_N', 'KITA_DIST')",
    );
    expect(periods.rows.map((r) => r.period)).toEqual(['2022-06-30']);
  });

  it('distance: metres from the point on surface to the nearest point; parents weighted by EW', async () => {
    const refs = await db.query<{ code: string; x: number; y: number }>(
      "SELECT code, ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM area WHERE level = 'blk'",
    );
    const expected = new Map<string, number>();
    for (const r of refs.rows) {
      const d = Math.min(
        ...KITAS.map(([, lon, lat]) => turfDistance(turfPoint([r.x, r.y]), turfPoint([lon, lat]), { units: 'meters' })),
      );
      expected.set(r.code, d);
    }
    const d0101 = (await value('blk', 'KITA_DIST', '0101')).value!;
    const d0102 = (await value('blk', 'KITA_DIST', '0102')).value!;
    // turf: sphere (haversine); PostGIS: the WGS 84 spheroid. They agree within 0.5 %.
    expect(d0101).toBeGreaterThan(50);
    expect(Math.abs(d0101 / expected.get('0101')! - 1)).toBeLessThan(0.005);
    expect(Math.abs(d0102 / expected.get('0102')! - 1)).toBeLessThan(0.005);
    const dst = (await value('dst', 'KITA_DIST', '01')).value!;
    expect(dst).toBeCloseTo((1000 * d0101 + 3000 * d0102) / 4000, 6);
    const note = await db.query<{ reference: string }>(
      "SELECT reference FROM point_input_note WHERE indicator = 'KITA_DIST'",
    );
    expect(note.rows).toEqual([{ reference: 'point_on_surface' }]);
  });

  it('lists the nearest facilities of an area with address and distance', async () => {
    const near = await nearestPoints(db, 'kita', 'blk', '0102', 3);
    const ref = (
      await db.query<{ x: number; y: number }>(
        "SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM area WHERE level = 'blk' AND code = '0102'",
      )
    ).rows[0];
    const byTurf = KITAS.map(([nr, lon, lat]) => ({
      nr,
      d: turfDistance(turfPoint([ref.x, ref.y]), turfPoint([lon, lat]), { units: 'meters' }),
    })).sort((a, b) => a.d - b.d);
    expect(near.map((p) => p.fid)).toEqual(byTurf.slice(0, 3).map((k) => k.nr));
    near.forEach((p, i) => expect(Math.abs(p.distanceM - byTurf[i].d)).toBeLessThan(0.005 * byTurf[i].d + 1));
    expect(near[0]).toMatchObject({
      name: expect.stringMatching(/^Kita /),
      address: expect.stringContaining('Teststraße'),
    });
    expect(near[0].distanceM).toBeLessThanOrEqual(near[1].distanceM);
    expect(near[1].distanceM).toBeLessThanOrEqual(near[2].distanceM);
    expect(near[0].attrs).toHaveProperty('plaetze');
    expect(near[0].attrs).not.toHaveProperty('name');
  });

  it('re-importing the stand replaces it and reports added, removed and moved points', async () => {
    const next: Kita[] = [
      ['A1', 13.004, 52.004, '69'],
      ['B', 13.01, 52.005, '10'],
      ['C1', 13.0175, 52.006, 20], // ~100 m east
      ['C2', 13.018, 52.008, 'viele'],
      ['X', 13.05, 52.005, '5'],
      ['D', 13.002, 52.008, '30'], // new, in 0102
    ];
    await writeFile(file('kitas2.geojson'), JSON.stringify(kitaCollection(next)));
    const r = await importPoints(db, file('kitas2.geojson'), {
      layer: 'kita',
      label: 'Kitas',
      period: '2022-12-01',
      idField: 'nr',
      nameField: 'name',
    });
    expect(r).toMatchObject({
      total: 6,
      added: 1,
      removed: 1,
      moved: 1,
      unchanged: 4,
      addedIds: ['D'],
      removedIds: ['A2'],
      movedIds: ['C1'],
    });
    // The formulas follow the new stand in the same transaction.
    expect((await value('blk', 'KITA_N', '0102')).value).toBe(2); // A1, D
    expect(await value('blk', 'PLATZ_Q', '0102')).toEqual({ value: 99, numerator: 99, denominator: 100 });
  });

  it('sozialatlas import points: the report in German; bad input names file, feature and field, exit code 1', async () => {
    const ctx = () => ({
      db,
      config: configFromEnv({}),
      log: { info: () => undefined, error: () => undefined },
    });
    const ok = await runCli(
      [registerImportCli],
      ctx,
      'import',
      'points',
      file('kitas2.geojson'),
      '--layer',
      'kita',
      '--label',
      'Kitas',
      '--period',
      '2022-12-01',
      '--id-field',
      'nr',
    );
    expect(ok.exitCode).toBe(0);
    expect(ok.out).toContain(`${file('kitas2.geojson')}: 6 Punkte (Layer kita, Stand 2022-12-01, aus EPSG:4326)`);
    expect(ok.out).toContain('Stand ersetzt: unverändert (6 Punkte)');
    expect(ok.out).toContain('Hinweis: 1 Punkt liegt in keinem Gebiet der Ebene "blk": X');
    const bad = await runCli(
      [registerImportCli],
      ctx,
      'import',
      'points',
      file('kitas2.geojson'),
      '--layer',
      'kita',
      '--period',
      '2022-12-01',
      '--id-field',
      'kennung',
    );
    expect(bad.exitCode).toBe(1);
    expect(bad.err).toContain(
      `Fehler: ${file('kitas2.geojson')}, Objekt 1, Feld "kennung": --id-field: Feld "kennung" fehlt`,
    );
    expect(bad.err).toContain('Nichts wurde geschrieben.');
  });

  it('refuses coordinates outside the CRS range, naming the feature, and writes nothing', async () => {
    const before = await db.query("SELECT count(*)::int AS n FROM point_feature WHERE layer = 'bad'");
    await writeFile(
      file('bad.geojson'),
      JSON.stringify(
        kitaCollection([
          ['ok', 13.0, 52.0, '1'],
          ['weit', 13.0, 95.0, '1'],
        ]),
      ),
    );
    const e = await importPoints(db, file('bad.geojson'), { layer: 'bad', period: '2022-12-01', idField: 'nr' }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ImportError);
    expect((e as Error).message).toBe(
      `${file('bad.geojson')}, Objekt 2, Feld "geometry", Wert [13,95]: Koordinaten außerhalb des Wertebereichs von EPSG:4326 (Längengrad −180…180, Breitengrad −90…90) – sind die Koordinaten projiziert? Dann das Koordinatensystem mit --srid angeben`,
    );
    // Projected coordinates in a file that declares no CRS (RFC 7946: WGS 84).
    await writeFile(file('utm.geojson'), JSON.stringify(kitaCollection([['u', 390387.4, 5820383.1, '1']])));
    const u = await importPoints(db, file('utm.geojson'), { layer: 'bad', period: '2022-12-01' }).catch(
      (x: unknown) => x,
    );
    expect((u as Error).message).toContain('Objekt 1, Feld "geometry", Wert [390387.4,5820383.1]');
    expect(await db.query("SELECT count(*)::int AS n FROM point_feature WHERE layer = 'bad'")).toEqual(before);
  });

  it('reads a CSV with x/y in EPSG:25833 (--srid) and refuses a duplicate id', async () => {
    await writeFile(
      file('pts.csv'),
      'id;name;x;y;betten\n1;Heim A;390387.4;5820383.1;"122"\n2;Heim B;396096.8;5821513.1;80\n',
    );
    const r = await importPoints(db, file('pts.csv'), {
      layer: 'heime',
      period: '2023-07-01',
      idField: 'id',
      srid: 25833,
    });
    expect(r).toMatchObject({ total: 2, srid: 25833 });
    const p = await db.query<{ lon: number; lat: number }>(
      "SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM point_feature WHERE layer = 'heime' AND fid = '1'",
    );
    expect(p.rows[0].lon).toBeCloseTo(13.3844, 3); // Albrechtstraße 20, 10117 Berlin
    expect(p.rows[0].lat).toBeCloseTo(52.52, 2);
    await writeFile(file('dup.csv'), 'id,lon,lat\n7,13.1,52.1\n7,13.2,52.2\n');
    await expect(
      importPoints(db, file('dup.csv'), { layer: 'dup', period: '2023-07-01', idField: 'id' }),
    ).rejects.toThrow(`${file('dup.csv')}, Zeile 2, Feld "id", Wert "7": Kennung doppelt (schon bei Zeile 1)`);
  });
});
