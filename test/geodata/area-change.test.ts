/**
 * The comparability register on re-import (issue 6): importAreas compares a re-imported level
 * with its stored areas and records changed geometries (kind 'geometry') and new codes (kind
 * 'code') in area_change, effective from --valid-from; the change service then flags exactly
 * those areas as not comparable across that date. Hand-made level 'ac': four 0.01° squares in
 * Berlin (01 02 in the south row, 03 04 in the north row), written to a temp dir by the test.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../geodata/db.js';
import type { AppContext } from '../../server/context.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { importAreas, importIndicators, ImportError, GEOMETRY_TOLERANCE_M } from '../../geodata/import/index.js';
import { today } from '../../geodata/import/area-changes.js';
import { runCli } from '../helpers/run-cli.js';
import { registerImportCli } from '../../server/cli/import.js';
import { computeChange } from '../../server/services/indicator-change.js';
import { changedAreas } from '../../server/services/level-values.js';
import { snapshot } from './import-helpers.js';

type Ring = [number, number][];
interface Feature {
  code: string;
  ring: Ring;
}

/** A lon/lat rectangle as a closed ring. */
const box = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
// About 2 m at 52.5° N in longitude: a boundary moved by less than the tolerance.
const TWO_METRES_LON = 2 / (111_320 * Math.cos((52.5 * Math.PI) / 180));

const V1: Feature[] = [
  { code: '01', ring: box(13.4, 52.5, 13.41, 52.51) },
  { code: '02', ring: box(13.41, 52.5, 13.42, 52.51) },
  { code: '03', ring: box(13.4, 52.51, 13.41, 52.52) },
  { code: '04', ring: box(13.41, 52.51, 13.42, 52.52) },
];
// 02 grows 0.002° (≈ 136 m) to the east, 03 is missing, 05 is new east of 02, and 04's east
// edge moves by 2 m (below the tolerance); 01 is the same square. Written in EPSG:25833 with
// millimetre coordinates, so 01 and 04 also go through a re-projection round trip.
const V2: Feature[] = [
  { code: '01', ring: box(13.4, 52.5, 13.41, 52.51) },
  { code: '02', ring: box(13.41, 52.5, 13.422, 52.51) },
  { code: '04', ring: box(13.41, 52.51, 13.42 + TWO_METRES_LON, 52.52) },
  { code: '05', ring: box(13.422, 52.5, 13.432, 52.51) },
];

let db: Db;
let dir: string;
let v1: string;
let v2: string;

/** Writes a GeoJSON FeatureCollection in EPSG:4326, or transformed by PostGIS into `srid` (mm precision). */
async function writeLayer(name: string, features: Feature[], srid = 4326): Promise<string> {
  const out = [];
  for (const f of features) {
    const polygon = { type: 'Polygon', coordinates: [f.ring] };
    const geometry =
      srid === 4326
        ? polygon
        : JSON.parse(
            (
              await db.query<{ g: string }>(
                'SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), $2::int), 3) AS g',
                [JSON.stringify(polygon), srid],
              )
            ).rows[0].g,
          );
    out.push({ type: 'Feature', properties: { code: f.code, name: `Gebiet ${f.code}` }, geometry });
  }
  const crs = srid === 4326 ? {} : { crs: { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${srid}` } } };
  const file = path.join(dir, name);
  await writeFile(file, JSON.stringify({ type: 'FeatureCollection', ...crs, features: out }));
  return file;
}

/** Long-form indicator values X1 for the given codes and periods. */
async function loadValues(level: string, rows: [code: string, period: string, value: number][]): Promise<void> {
  const file = path.join(dir, `values-${level}-${rows.length}-${rows[0][1]}.csv`);
  await writeFile(
    file,
    ['code,indicator,period,value', ...rows.map(([c, p, v]) => `${c},X1,${p},${v}`)].join('\n') + '\n',
  );
  await importIndicators(db, file, { level, codeField: 'code' });
}

async function register(level = 'ac'): Promise<Record<string, unknown>[]> {
  return (
    await db.query(
      `SELECT level, code, changed_on::text AS changed_on, kind, predecessor, note FROM area_change
        WHERE level = $1 ORDER BY changed_on, code, kind`,
      [level],
    )
  ).rows;
}

async function geometryVersion(level: string): Promise<number> {
  return (await db.query<{ v: number }>('SELECT geometry_version AS v FROM level WHERE key = $1', [level])).rows[0].v;
}

/** `sozialatlas <args>` with the import commands on the test database. */
const cli = (...args: string[]) =>
  runCli(
    [registerImportCli],
    () => ({ db, config: {} as AppContext['config'], log: { info() {}, error() {} } }),
    ...args,
  );

beforeAll(async () => {
  db = await openTestDb();
  dir = await mkdtemp(path.join(tmpdir(), 'area-change-'));
  v1 = await writeLayer('v1.geojson', V1);
  v2 = await writeLayer('v2-25833.geojson', V2, 25833);
});
afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe(`area importer fills the comparability register area_change (${backend})`, () => {
  it('the first import of a level records nothing', async () => {
    const r = await importAreas(db, v1, { level: 'ac', codeField: 'code', nameField: 'name' });
    expect(r).toMatchObject({ total: 4, added: 4 });
    expect(r.areaChanges).toBeUndefined();
    expect(await register()).toEqual([]);
    expect(await geometryVersion('ac')).toBe(1);
    await loadValues('ac', [
      ...['01', '02', '03', '04'].map((c, i): [string, string, number] => [c, '2019-12-31', 10 + i]),
      ...['01', '02', '03', '04'].map((c, i): [string, string, number] => [c, '2020-12-31', 11 + i]),
    ]);
  });

  it('a re-import of identical geometry records nothing (and still bumps geometry_version)', async () => {
    const r = await importAreas(db, v1, { level: 'ac', codeField: 'code', nameField: 'name' });
    expect(r.areaChanges).toEqual({
      validFrom: '2021-01-01',
      validFromSource: 'after-last-period',
      geometry: [],
      added: [],
      vanished: [],
      recorded: 0,
    });
    expect(r.warnings).toEqual([]);
    expect(await register()).toEqual([]);
    expect(await geometryVersion('ac')).toBe(2);
  });

  it('a re-import with a moved polygon, a dropped and a new code records exactly those, effective --valid-from', async () => {
    const r = await importAreas(db, v2, { level: 'ac', codeField: 'code', nameField: 'name', validFrom: '2021-01-01' });
    expect(r).toMatchObject({ total: 4, added: 1, replaced: 3 });
    // 01 (re-projected) and 04 (moved 2 m) stay below the tolerance; 03 is kept, not recorded.
    expect(r.areaChanges).toEqual({
      validFrom: '2021-01-01',
      validFromSource: 'option',
      geometry: ['02'],
      added: ['05'],
      vanished: ['03'],
      recorded: 2,
    });
    expect(await register()).toEqual([
      {
        level: 'ac',
        code: '02',
        changed_on: '2021-01-01',
        kind: 'geometry',
        predecessor: null,
        note: expect.stringMatching(
          /^Grenze bis zu 13\d m verschoben, Fläche 0,75\d → 0,90\d km² \(Import v2-25833\.geojson\)$/,
        ),
      },
      {
        level: 'ac',
        code: '05',
        changed_on: '2021-01-01',
        kind: 'code',
        predecessor: null,
        note: 'neuer Gebietsschlüssel (Import v2-25833.geojson)',
      },
    ]);
    expect(await geometryVersion('ac')).toBe(3);

    // The stored areas: 03 kept, and 04 really was replaced by the 2 m wider square (just not recorded).
    const areas = (await db.query<{ code: string }>("SELECT code FROM area WHERE level = 'ac' ORDER BY code")).rows.map(
      (x) => x.code,
    );
    expect(areas).toEqual(['01', '02', '03', '04', '05']);
    const east = (
      await db.query<{ x: number }>("SELECT ST_XMax(geom) AS x FROM area WHERE level = 'ac' AND code = '04'")
    ).rows[0].x;
    expect(east).toBeCloseTo(13.42 + TWO_METRES_LON, 7);
    expect(GEOMETRY_TOLERANCE_M).toBeGreaterThan(2);
    // 01 went through EPSG:25833 with mm coordinates: not the same coordinates any more (so an
    // exact comparison would have recorded it), but far below the tolerance.
    const roundTrip = (
      await db.query<{ same: boolean; shift: number }>(
        `SELECT ST_OrderingEquals(geom, g) AS same, ST_HausdorffDistance(ST_Transform(geom, 32633), ST_Transform(g, 32633)) AS shift
           FROM area, (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)) AS g) v1 WHERE level = 'ac' AND code = '01'`,
        [JSON.stringify({ type: 'Polygon', coordinates: [V1[0].ring] })],
      )
    ).rows[0];
    expect(roundTrip.same).toBe(false);
    expect(roundTrip.shift).toBeGreaterThan(0);
    expect(roundTrip.shift).toBeLessThan(0.01);
  });

  it('the change service flags exactly the recorded areas as not comparable across the date', async () => {
    await loadValues('ac', [
      ['05', '2020-12-31', 15],
      ...['01', '02', '03', '04', '05'].map((c, i): [string, string, number] => [c, '2021-12-31', 20 + i]),
    ]);
    const flagged = await changedAreas(db, 'ac', '2020-12-31', '2021-12-31');
    expect([...flagged.keys()]).toEqual(['02', '05']);
    expect(flagged.get('02')).toEqual([
      { changedOn: '2021-01-01', kind: 'geometry', note: expect.stringContaining('Grenze') },
    ]);
    expect([...(await changedAreas(db, 'ac', '2021-12-31', '2019-12-31')).keys()]).toEqual(['02', '05']); // either order
    expect((await changedAreas(db, 'ac', '2019-12-31', '2020-12-31')).size).toBe(0); // both periods before the change

    const across = await computeChange(db, { indicator: 'X1', level: 'ac', from: '2020-12-31', to: '2021-12-31' });
    const comparable = Object.fromEntries(across.members.map((m) => [m.code, m.comparable]));
    expect(comparable).toEqual({ '01': true, '02': false, '03': true, '04': true, '05': false });
    expect(across.members.find((m) => m.code === '02')!.note).toMatch(/^geometry am 2021-01-01: Grenze bis zu/);
    expect(across.members.find((m) => m.code === '05')!.note).toBe(
      'code am 2021-01-01: neuer Gebietsschlüssel (Import v2-25833.geojson)',
    );
    expect(across.summary.notComparable).toBe(2);

    const before = await computeChange(db, { indicator: 'X1', level: 'ac', from: '2019-12-31', to: '2020-12-31' });
    for (const m of before.members.filter((x) => x.code !== '05')) expect(m.comparable, m.code).toBe(true);
    expect(before.summary.notComparable).toBe(0);
  });

  it("without --valid-from the change applies from the day after the level's last period", async () => {
    const r = await importAreas(db, v1, { level: 'ac', codeField: 'code', nameField: 'name' });
    // 02 shrinks back; 04 moves back by 2 m (not recorded); 05 is missing now; 03 was kept, so it is not new.
    expect(r.areaChanges).toEqual({
      validFrom: '2022-01-01',
      validFromSource: 'after-last-period',
      geometry: ['02'],
      added: [],
      vanished: ['05'],
      recorded: 1,
    });
    expect(r.warnings).toContain(
      'kein Gültigkeitsbeginn angegeben (--valid-from): die geänderten Gebiete gelten ab 2022-01-01, dem Tag nach dem letzten Stichtag 2021-12-31 der Ebene "ac"',
    );
    expect((await register()).map((x) => `${x.code} ${x.changed_on} ${x.kind}`)).toEqual([
      '02 2021-01-01 geometry',
      '05 2021-01-01 code',
      '02 2022-01-01 geometry',
    ]);
  });

  it('without --valid-from and without values on the level the change applies from today', async () => {
    await importAreas(db, v1, { level: 'nov', codeField: 'code', validFrom: '2020-01-01' });
    const r = await importAreas(db, v2, { level: 'nov', codeField: 'code' });
    expect(r.areaChanges).toMatchObject({
      validFrom: today(),
      validFromSource: 'today',
      geometry: ['02'],
      added: ['05'],
      recorded: 2,
    });
    expect(r.warnings.some((w) => w.includes(`gelten ab heute (${today()})`))).toBe(true);
    expect((await register('nov')).map((x) => x.changed_on)).toEqual([today(), today()]);
  });

  it('a failing re-import leaves area_change (and everything else) unchanged', async () => {
    const registerBefore = await register();
    const before = await snapshot(db);

    const bad = await importAreas(db, v2, { level: 'ac', codeField: 'code', validFrom: '2021-02-30' }).catch(
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(ImportError);
    expect((bad as ImportError).field).toBe('validFrom');
    expect((bad as ImportError).message).toContain('Feld "validFrom", Wert "2021-02-30"');

    // A failure at the very end of the transaction, after the register rows were inserted.
    await db.exec(`CREATE FUNCTION test_fail_import() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'Testfehler am Ende des Imports'; END $$;
                   CREATE TRIGGER test_fail_import BEFORE UPDATE ON data_version FOR EACH ROW EXECUTE FUNCTION test_fail_import();`);
    try {
      await expect(importAreas(db, v2, { level: 'ac', codeField: 'code', validFrom: '2023-01-01' })).rejects.toThrow(
        /Testfehler/,
      );
    } finally {
      await db.exec('DROP TRIGGER test_fail_import ON data_version; DROP FUNCTION test_fail_import();');
    }
    expect(await register()).toEqual(registerBefore);
    expect(await snapshot(db)).toEqual(before);
    const width = (
      await db.query<{ x: number }>("SELECT ST_XMax(geom) AS x FROM area WHERE level = 'ac' AND code = '02'")
    ).rows[0].x;
    expect(width).toBeCloseTo(13.42, 9); // still v1's 02
  });

  it('CLI: --valid-from, the German report of the changes, and a bad date', async () => {
    const ok = await cli('import', 'areas', v2, '--level', 'ac', '--code-field', 'code', '--valid-from', '2024-01-01');
    expect(ok.exitCode).toBe(0);
    expect(ok.out).toContain(
      'Gebietsstand ab 2024-01-01: 1 Geometrie geändert, 0 Schlüssel neu, 1 entfallen; 1 Eintrag im Änderungsregister (Veränderungen über diesen Tag hinweg gelten dort als nicht vergleichbar)',
    );
    expect(ok.out).toContain('  Geometrie geändert: 02');
    expect(ok.out).toContain('  in der Datei fehlend (bleiben unverändert, nicht vermerkt): 03');
    expect((await register()).at(-1)).toMatchObject({ code: '02', changed_on: '2024-01-01', kind: 'geometry' });

    const same = await cli(
      'import',
      'areas',
      v2,
      '--level',
      'ac',
      '--code-field',
      'code',
      '--valid-from',
      '2024-06-30',
    );
    expect(same.out).toContain(
      'Gebietsstand ab 2024-06-30: 0 Geometrien geändert, 0 Schlüssel neu, 1 entfallen; 0 Einträge im Änderungsregister',
    );

    const before = await register();
    const badDate = await cli(
      'import',
      'areas',
      v1,
      '--level',
      'ac',
      '--code-field',
      'code',
      '--valid-from',
      '31.12.2023',
    );
    expect(badDate.exitCode).toBe(1);
    expect(badDate.err).toContain(
      'Feld "validFrom", Wert "31.12.2023": das Gültigkeitsdatum muss ein Datum im Format YYYY-MM-DD sein',
    );
    expect(await register()).toEqual(before);
  });
});
