/** Positive area imports: every supported format and CRS, areas in km², repair, parents, upsert. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { importAreas } from '../../geodata/import/index.js';
import { fixture, snapshot } from './import-helpers.js';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db?.close();
});

async function areas(level: string): Promise<
  {
    code: string;
    name: string | null;
    parent_code: string | null;
    area_km2: number;
    repaired: boolean;
    type: string;
    srid: number;
  }[]
> {
  return (
    await db.query<{
      code: string;
      name: string | null;
      parent_code: string | null;
      area_km2: number;
      repaired: boolean;
      type: string;
      srid: number;
    }>(
      'SELECT code, name, parent_code, area_km2, repaired, GeometryType(geom) AS type, ST_SRID(geom) AS srid FROM area WHERE level = $1 ORDER BY code',
      [level],
    )
  ).rows;
}

describe(`importAreas (${backend})`, () => {
  it('GeoJSON in EPSG:4326: codes as text, MultiPolygon 4326, new level row, data_version bumped', async () => {
    const before = await snapshot(db);
    const r = await importAreas(db, fixture('areas-4326.geojson'), {
      level: 'g',
      levelLabel: 'Testgebiete',
      codeField: 'code',
      nameField: 'name',
    });
    expect(r).toMatchObject({ kind: 'areas', level: 'g', total: 3, added: 3, replaced: 0, repaired: [] });
    const rows = await areas('g');
    expect(rows.map((x) => x.code)).toEqual(['0101', '0102', '0201']);
    expect(rows[1].name).toBe('Süd');
    for (const x of rows) {
      expect(x.type).toBe('MULTIPOLYGON');
      expect(x.srid).toBe(4326);
      // 0.01° × 0.01° at 52.5° N ≈ 0.678 km × 1.113 km
      expect(x.area_km2).toBeGreaterThan(0.74);
      expect(x.area_km2).toBeLessThan(0.77);
    }
    const level = (await db.query('SELECT label, parent_level, geometry_version FROM level WHERE key = $1', ['g']))
      .rows[0];
    expect(level).toEqual({ label: 'Testgebiete', parent_level: null, geometry_version: 1 });
    expect((await snapshot(db)).dataVersion).toBe((before.dataVersion as number) + 1);
  });

  it('re-import upserts, counts replaced, bumps geometry_version', async () => {
    const r = await importAreas(db, fixture('areas-4326.geojson'), {
      level: 'g',
      codeField: 'code',
      nameField: 'name',
    });
    expect(r).toMatchObject({ total: 3, added: 0, replaced: 3 });
    const level = (
      await db.query<{ geometry_version: number }>('SELECT geometry_version FROM level WHERE key = $1', ['g'])
    ).rows[0];
    expect(level.geometry_version).toBe(2);
  });

  it('legacy crs member urn:ogc:def:crs:EPSG::25833 is honoured', async () => {
    const r = await importAreas(db, fixture('areas-25833-crs.geojson'), { level: 'u', codeField: 'code' });
    expect(r.total).toBe(2);
    const rows = await areas('u');
    // A 1 km UTM square 110 km west of the zone's meridian is ~1.0005 km² on the ellipsoid.
    expect(rows[0].area_km2).toBeCloseTo(1.0, 2);
    expect(rows[1].area_km2).toBeCloseTo(2.0, 2);
    // And it lies in Berlin, not in the Atlantic (i.e. it was transformed, not read as degrees).
    const c = (
      await db.query<{ x: number; y: number }>(
        "SELECT ST_X(ST_Centroid(geom)) x, ST_Y(ST_Centroid(geom)) y FROM area WHERE level='u' AND code='U1'",
      )
    ).rows[0];
    expect(c.x).toBeCloseTo(13.39, 1);
    expect(c.y).toBeCloseTo(52.51, 1);
  });

  it('Shapefile in EPSG:25833 (.prj without AUTHORITY), with a hole', async () => {
    const r = await importAreas(db, fixture('squares-25833.shp'), {
      level: 's33',
      codeField: 'CODE',
      nameField: 'NAME',
    });
    expect(r).toMatchObject({ total: 2, added: 2, repaired: [] });
    const rows = await areas('s33');
    expect(rows.map((x) => x.code)).toEqual(['001', '002']);
    expect(rows[0].name).toBe('Quadrat 1 km²');
    expect(rows[0].area_km2).toBeCloseTo(1.0005, 3);
    expect(rows[1].area_km2).toBeCloseTo(1.96 * 1.0005, 3);
  });

  it('Shapefile in EPSG:31467: a 1 km square on the central meridian, and two real Kreise', async () => {
    await importAreas(db, fixture('squares-31467.shp'), { level: 'gk', codeField: 'CODE' });
    expect((await areas('gk'))[0].area_km2).toBeCloseTo(1.0, 3);

    const expected = JSON.parse(await readFile(fixture('kreise-31467-expected-km2.json'), 'utf8')) as Record<
      string,
      number
    >;
    const r = await importAreas(db, fixture('kreise-31467.shp'), {
      level: 'kreis',
      codeField: 'AGS',
      nameField: 'GEN',
    });
    expect(r.total).toBe(2);
    const rows = await areas('kreis');
    expect(rows.map((x) => x.name)).toEqual(['Cottbus', 'Potsdam']);
    for (const x of rows) {
      // Reference: turf.area of the GDAL-converted EPSG:4326 GeoJSON of the same BKG data (0.5 %: datum shift and turf's sphere).
      expect(Math.abs(x.area_km2 / expected[x.code] - 1)).toBeLessThan(0.005);
    }
  });

  it('CSV with WKT in EPSG:3035 (equal-area: exactly 1 km²)', async () => {
    const r = await importAreas(db, fixture('areas-3035.csv'), {
      level: 'laea',
      codeField: 'id',
      nameField: 'name',
      srid: 3035,
    });
    expect(r.total).toBe(2);
    const rows = await areas('laea');
    expect(rows.map((x) => x.code)).toEqual(['C1', 'C2']);
    for (const x of rows) expect(x.area_km2).toBeCloseTo(1.0, 4);
  });

  it('CSV with WKT in EPSG:25832 and ; as delimiter', async () => {
    await importAreas(db, fixture('areas-25832.csv'), { level: 'u32', codeField: 'id', srid: 25832 });
    const rows = await areas('u32');
    expect(rows).toHaveLength(1);
    // 25 km west of the zone meridian, scale ≈ 0.9996: ~1.0008 km²
    expect(rows[0].area_km2).toBeCloseTo(1.0008, 3);
  });

  it('a self-intersecting polygon (bow-tie) is repaired, kept polygonal and reported', async () => {
    const r = await importAreas(db, fixture('bowtie.geojson'), { level: 'bow', codeField: 'code' });
    expect(r.total).toBe(2);
    expect(r.repaired).toHaveLength(1);
    expect(r.repaired[0]).toMatchObject({ code: 'BOW', feature: 2 });
    expect(r.repaired[0].reason).toMatch(/Self-intersection/i);
    const rows = await areas('bow');
    const bow = rows.find((x) => x.code === 'BOW')!;
    expect(bow.repaired).toBe(true);
    expect(bow.type).toBe('MULTIPOLYGON');
    // Two triangles, each a quarter of the 0.01° square.
    const ok = rows.find((x) => x.code === 'OK1')!;
    expect(bow.area_km2 / ok.area_km2).toBeCloseTo(0.5, 2);
    const valid = (await db.query<{ v: boolean }>("SELECT bool_and(ST_IsValid(geom)) v FROM area WHERE level='bow'"))
      .rows[0];
    expect(valid.v).toBe(true);
  });

  it('parent codes from a prefix and from a field; parent_level is set', async () => {
    await importAreas(db, fixture('parents-4326.geojson'), { level: 'p', codeField: 'code' });
    await importAreas(db, fixture('areas-4326.geojson'), {
      level: 'c1',
      codeField: 'code',
      parentLevel: 'p',
      parentCodePrefix: 2,
    });
    await importAreas(db, fixture('areas-4326.geojson'), {
      level: 'c2',
      codeField: 'code',
      parentLevel: 'p',
      parentField: 'parent',
    });
    for (const level of ['c1', 'c2']) {
      expect((await areas(level)).map((x) => x.parent_code)).toEqual(['01', '01', '02']);
      const l = (await db.query('SELECT parent_level FROM level WHERE key = $1', [level])).rows[0];
      expect(l).toEqual({ parent_level: 'p' });
    }
  });

  it('reports progress', async () => {
    const calls: [number, number][] = [];
    await importAreas(db, fixture('areas-4326.geojson'), { level: 'prog', codeField: 'code' }, (d, t) =>
      calls.push([d, t]),
    );
    expect(calls.at(-1)).toEqual([3, 3]);
  });
});
