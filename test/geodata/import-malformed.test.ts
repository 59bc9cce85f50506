/**
 * Every malformed input of issue 2 gives a message naming file, row/feature,
 * field and value, and leaves the database exactly as it was.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { importAreas, importIndicators, importMeta, ImportError } from '../../geodata/import/index.js';
import { fixture, snapshot } from './import-helpers.js';

let db: Db;

beforeAll(async () => {
  db = await openTestDb();
  // A level with three areas (codes 0101, 0102, 0201) for the indicator cases.
  await importAreas(db, fixture('areas-4326.geojson'), { level: 'm', codeField: 'code', nameField: 'name' });
});
afterAll(async () => {
  await db?.close();
});

/** Runs a failing import and checks the error's location and that nothing changed. */
async function expectRejected(
  run: () => Promise<unknown>,
  expected: { file: string; row?: number; field?: string; value?: unknown; message: RegExp[] },
): Promise<ImportError> {
  const before = await snapshot(db);
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  expect(error, 'the import should fail').toBeInstanceOf(ImportError);
  const e = error as ImportError;
  expect(e.file).toBe(expected.file);
  expect(e.message).toContain(path.basename(expected.file));
  if (expected.row !== undefined) {
    expect(e.row).toBe(expected.row);
    expect(e.message).toMatch(new RegExp(`, (Zeile|Objekt) ${expected.row}[,:]`));
  }
  if (expected.field !== undefined) {
    expect(e.field).toBe(expected.field);
    expect(e.message).toContain(`"${expected.field}"`);
    expect(e.message).toContain(`Feld "${expected.field}"`);
  }
  if (expected.value !== undefined) {
    expect(e.value).toEqual(expected.value);
    expect(e.message).toContain(String(expected.value));
    expect(e.message).toContain(`Wert ${JSON.stringify(expected.value)}`);
  }
  for (const m of expected.message) expect(e.message).toMatch(m);
  expect(await snapshot(db)).toEqual(before);
  return e;
}

describe(`malformed input is rejected with a clear message and no change (${backend})`, () => {
  it('truncated JSON', async () => {
    const file = fixture('truncated.geojson');
    await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'code' }), {
      file,
      message: [/kein gültiges JSON/, /unerwartetes Dateiende in Zeile \d+/, /abgeschnitten/],
    });
  });

  it('a missing code field', async () => {
    const file = fixture('missing-code.geojson');
    await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'code' }), {
      file,
      row: 2,
      field: 'code',
      value: null,
      message: [/Objekt 2/, /Gebietsschlüssel fehlt/],
    });
  });

  it('a code field that no feature has', async () => {
    const file = fixture('areas-4326.geojson');
    await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'PLR_ID' }), {
      file,
      field: 'PLR_ID',
      message: [/kein Feld "PLR_ID" für den Gebietsschlüssel/, /code, name, parent/],
    });
  });

  it('a non-numeric value', async () => {
    const file = fixture('bad-number.csv');
    await expectRejected(
      () => importIndicators(db, file, { level: 'm', codeField: 'code', period: '2020-12-31', decimal: ',' }),
      { file, row: 2, field: 'S1', value: 'abc', message: [/Zeile 2/, /keine Zahl/] },
    );
  });

  it('a duplicate code', async () => {
    const file = fixture('duplicate-code.geojson');
    await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'code' }), {
      file,
      row: 3,
      field: 'code',
      value: '0101',
      message: [/Objekt 3/, /doppelter Gebietsschlüssel: Objekt 1/],
    });
  });

  it('a Shapefile without .prj', async () => {
    const file = fixture('no-prj.shp');
    await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'CODE' }), {
      file: fixture('no-prj.prj'),
      field: 'srid',
      message: [/keine \.prj-Datei/, /--srid/],
    });
  });

  it('an unknown EPSG code in a GeoJSON crs member', async () => {
    const file = fixture('unknown-epsg.geojson');
    await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'code' }), {
      file,
      field: 'crs',
      value: 99999,
      message: [/EPSG:99999 ist unbekannt/, /spatial_ref_sys/],
    });
  });

  it('an unknown EPSG code given as --srid', async () => {
    const file = fixture('areas-3035.csv');
    await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'id', srid: 3036999 }), {
      file,
      field: 'srid',
      value: 3036999,
      message: [/EPSG:3036999 ist unbekannt/],
    });
  });

  it('a CSV row with too few columns', async () => {
    const file = fixture('short-row.csv');
    await expectRejected(() => importIndicators(db, file, { level: 'm', codeField: 'code', period: '2020-12-31' }), {
      file,
      row: 2,
      field: 'S3',
      value: '0102,3',
      message: [/Zeile 2/, /hat 2 Spalten, die Kopfzeile hat 3/, /es fehlt "S3"/],
    });
  });

  it('an indicator code matching no area', async () => {
    const file = fixture('unknown-code.csv');
    await expectRejected(() => importIndicators(db, file, { level: 'm', codeField: 'code', period: '2020-12-31' }), {
      file,
      row: 3,
      field: 'code',
      value: '0999',
      message: [/Zeile 3/, /passt zu keinem Gebiet der Ebene "m"/],
    });
  });

  it('a WKT CSV with projected coordinates and no --srid', async () => {
    const file = fixture('areas-3035.csv');
    await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'id' }), {
      file,
      field: 'srid',
      message: [/keine geografischen Längen\/Breiten/, /--srid/],
    });
  });

  it('a WKT that PostGIS cannot parse names its row', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'imp-'));
    const file = path.join(dir, 'bad-wkt.csv');
    await writeFile(
      file,
      'id,wkt\nA,"POLYGON((13.4 52.5,13.5 52.5,13.5 52.6,13.4 52.5))"\nB,"POLYGON((13.4 52.5,13.5 52.5,13.5 x52.6,13.4 52.5))"\n',
    );
    await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'id' }), {
      file,
      row: 2,
      field: 'geometry',
      message: [/Zeile 2/, /PostGIS kann die Geometrie nicht lesen/],
    });
  });

  it('a parent code that matches no parent area', async () => {
    const file = fixture('areas-4326.geojson');
    await importAreas(db, fixture('parents-4326.geojson'), { level: 'mp', codeField: 'code' });
    const before = await snapshot(db);
    await expectRejected(
      () => importAreas(db, file, { level: 'mc', codeField: 'code', parentLevel: 'mp', parentCodePrefix: 3 }),
      {
        file,
        row: 1,
        value: '010',
        message: [/Objekt 1/, /übergeordneter Schlüssel "010" passt zu keinem Gebiet der Ebene "mp"/],
      },
    );
    expect(await snapshot(db)).toEqual(before);
  });

  it('a parent level that does not exist', async () => {
    const file = fixture('areas-4326.geojson');
    await expectRejected(
      () => importAreas(db, file, { level: 'x', codeField: 'code', parentLevel: 'nope', parentField: 'parent' }),
      {
        file,
        field: 'parentLevel',
        value: 'nope',
        message: [/übergeordnete Ebene "nope" gibt es nicht/],
      },
    );
  });

  it('an invalid meta row', async () => {
    const file = fixture('meta-bad.csv');
    await expectRejected(() => importMeta(db, file), {
      file,
      row: 2,
      field: 'polarity',
      value: '2',
      message: [/polarity muss -1, 0 oder \+1 sein/],
    });
  });

  it('a .prj it cannot map, unless --srid is given', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'imp-'));
    for (const ext of ['shp', 'shx', 'dbf', 'cpg'])
      await copyFile(fixture(`squares-25833.${ext}`), path.join(dir, `odd.${ext}`));
    await writeFile(
      path.join(dir, 'odd.prj'),
      'PROJCS["Some_Local_Grid",GEOGCS["GCS_Local",DATUM["D_Local",SPHEROID["S",6378000,300]]],PROJECTION["Stereographic"]]',
    );
    const file = path.join(dir, 'odd.shp');
    await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'CODE' }), {
      file: path.join(dir, 'odd.prj'),
      field: 'PROJCS',
      message: [/lässt sich keinem EPSG-Code zuordnen/, /Some_Local_Grid/, /--srid/],
    });
    const r = await importAreas(db, file, { level: 'odd', codeField: 'CODE', srid: 25833 });
    expect(r.total).toBe(2);
  });

  it('a repeated area code in a wide indicator CSV', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'imp-'));
    const file = path.join(dir, 'dup-rows.csv');
    await writeFile(file, 'code;S1\n0101;1\n0102;2\n0101;3\n');
    await expectRejected(() => importIndicators(db, file, { level: 'm', codeField: 'code', period: '2020-12-31' }), {
      file,
      row: 3,
      field: 'code',
      value: '0101',
      message: [/Zeile 3/, /doppelter Wert für Gebiet 0101/],
    });
  });

  it('a feature that is not a polygon', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'imp-'));
    const file = path.join(dir, 'point.geojson');
    await writeFile(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { code: 'P1' }, geometry: { type: 'Point', coordinates: [13.4, 52.5] } },
        ],
      }),
    );
    await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'code' }), {
      file,
      row: 1,
      field: 'geometry',
      value: 'P1',
      message: [/Objekt 1/, /"Point" ist kein Polygon oder MultiPolygon/],
    });
  });
});
