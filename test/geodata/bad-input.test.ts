/**
 * The bad-input corpus of issue 13 (test/fixtures/bad-input, built by its build.ts) through the
 * real importers: every file that used to get through (lon 500, 1e309, a column of NaN, a .shp
 * record claiming 2 GB, keys with umlauts, 100 000 columns, a BOM, UTF-16, an XLSX renamed .csv)
 * is refused with a message naming file, row or feature, field and value, and leaves every count
 * unchanged; the files that are only unusual (BOM, UTF-16) import correctly. A few go through the
 * CLI to check the non-zero exit code.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../geodata/db.js';
import type { AppContext } from '../../server/context.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { runCli } from '../helpers/run-cli.js';
import { registerImportCli } from '../../server/cli/import.js';
import { importAreas, importIndicators, importMeta, ImportError } from '../../geodata/import/index.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { fixture, snapshot } from './import-helpers.js';
import { suggestKey, INDICATOR_KEY_PATTERN } from '../../analysis/keys.js';
import { sniff } from '../../geodata/import/sniff.js';

const bad = (name: string): string => fileURLToPath(new URL(`../fixtures/bad-input/${name}`, import.meta.url));

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
  // Level m: the three Berlin squares 0101, 0102, 0201 the indicator files refer to.
  await importAreas(db, fixture('areas-4326.geojson'), { level: 'm', codeField: 'code', nameField: 'name' });
});
afterAll(async () => {
  await db?.close();
});

/**
 * Runs a failing import; checks the ImportError's file, row, field and value, that the message
 * contains each expected text exactly, and that no count in the database changed.
 */
async function expectRejected(
  run: () => Promise<unknown>,
  expected: { file: string; row?: number; field?: string; value?: unknown; text: string[] },
): Promise<ImportError> {
  const before = await snapshot(db);
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the import should fail').toBeInstanceOf(ImportError);
  const e = error as ImportError;
  expect(e.file).toBe(expected.file);
  expect(e.row).toBe(expected.row);
  expect(e.field).toBe(expected.field);
  if (expected.value !== undefined) expect(e.value).toEqual(expected.value);
  for (const t of expected.text) expect(e.message).toContain(t);
  expect(await snapshot(db)).toEqual(before);
  return e;
}

const indicators = (file: string, extra: Record<string, unknown> = {}) =>
  importIndicators(db, file, { level: 'm', codeField: 'code', period: '2020-12-31', ...extra });

/** One refused input: how to import it and what the ImportError must say. */
interface RefusedCase {
  name: string;
  /** The file handed to the importer. */
  file: string;
  run: (file: string) => Promise<unknown>;
  row?: number;
  field?: string;
  value?: unknown;
  /** Texts the message contains, each exactly ({file} stands for the file's path). */
  text?: string[];
  /** The whole message, when it is checked exactly ({file} as in text). */
  message?: string;
}

const areas =
  (level: string, codeField: string, extra: Record<string, unknown> = {}) =>
  (file: string) =>
    importAreas(db, file, { level, codeField, ...extra });
const longIndicators = (file: string) => importIndicators(db, file, { level: 'm', codeField: 'code' });

/** Every refused input by topic: each leaves every count unchanged (expectRejected). */
const REFUSED: Record<string, RefusedCase[]> = {
  coordinates: [
    {
      name: 'longitude 500 / latitude 95 in a WGS 84 GeoJSON names feature, code and coordinate',
      file: bad('lon500.geojson'),
      run: areas('x', 'code'),
      row: 2,
      field: 'code',
      value: 'B',
      text: [
        `{file}, Objekt 2, Feld "code", Wert "B": die Koordinate (500, 95) liegt außerhalb des Gültigkeitsbereichs von EPSG:4326 (Länge −180° bis 180°, Breite −90° bis 90°)`,
        '--srid',
      ],
    },
    {
      name: 'degrees in a file declaring EPSG:25833 fall outside the area of use after transformation',
      file: bad('degrees-as-utm.geojson'),
      run: areas('x', 'code'),
      row: 1,
      field: 'code',
      value: 'A',
      text: [
        `{file}, Objekt 1, Feld "code", Wert "A": die Koordinate (13.4, 52.5) in EPSG:25833 entspricht Länge 10.511376°, Breite 0.000474° und liegt`,
        'außerhalb des Gültigkeitsbereichs (ETRS89 / UTM zone 33N, mit Toleranz: Länge 2° bis 28°, Breite 27.88° bis 89.73°)',
        'stimmt das Koordinatensystem der Datei?',
      ],
    },
    {
      name: 'a coordinate PROJ cannot transform is named (bisected among the feature points)',
      file: bad('untransformable.geojson'),
      run: areas('x', 'code'),
      row: 2,
      field: 'code',
      value: 'B',
      text: [
        `{file}, Objekt 2, Feld "code", Wert "B": die Koordinate (1000000000000, 1000000000000) lässt sich nicht von EPSG:25833 nach WGS 84 umrechnen`,
      ],
    },
    {
      name: 'latitude 95 in a WKT CSV row',
      file: bad('lat95.csv'),
      run: areas('x', 'id', { srid: 4326 }),
      row: 2,
      field: 'id',
      value: 'W2',
      text: [`{file}, Zeile 2, Feld "id", Wert "W2": die Koordinate (13.41, 95) liegt außerhalb`],
    },
  ],
  numbers: [
    {
      name: '1e309 (beyond float range) names row, field and value',
      file: bad('overflow.csv'),
      run: (file) => indicators(file),
      row: 2,
      field: 'S2',
      value: '1e309',
      text: [`{file}, Zeile 2, Feld "S2", Wert "1e309": die Zahl ist zu groß für eine Gleitkommazahl`],
    },
    {
      name: 'a column of NaN is an error, not a skipped column',
      file: bad('nan-column.csv'),
      run: (file) => indicators(file),
      row: 1,
      field: 'S2',
      value: 'NaN',
      text: [`{file}, Zeile 1, Feld "S2", Wert "NaN": keine endliche Zahl (NaN/Infinity)`],
    },
    {
      name: '-Infinity in the value column of a long file',
      file: bad('infinity-long.csv'),
      run: longIndicators,
      row: 3,
      field: 'value',
      value: '-Infinity',
      text: [`{file}, Zeile 3, Feld "value", Wert "-Infinity": keine endliche Zahl`],
    },
    {
      name: 'an Excel error value (#DIV/0!) in a number column',
      file: bad('excel-error.csv'),
      run: (file) => indicators(file),
      row: 2,
      field: 'S1',
      value: '#DIV/0!',
      text: [`{file}, Zeile 2, Feld "S1", Wert "#DIV/0!": ein Excel-Fehlerwert statt einer Zahl`],
    },
  ],
  shapefiles: [
    {
      name: 'a first record claiming 2 GB is an error naming the record (was: 1 of 3 features, rc 0)',
      file: bad('huge-record.shp'),
      run: areas('x', 'CODE'),
      row: 1,
      field: undefined,
      text: [
        `{file}, Objekt 1: Datensatz 1 gibt eine Länge von 2147483648 Bytes an, ab Byte 108 hat die Datei aber nur noch 400`,
      ],
    },
    {
      name: 'a .shp cut inside its last record',
      file: bad('truncated-shp.shp'),
      run: areas('x', 'CODE'),
      row: 3,
      text: [
        `{file}, Objekt 3: Datensatz 3 gibt eine Länge von 128 Bytes an, ab Byte 380 hat die Datei aber nur noch 88`,
      ],
    },
    {
      name: 'three geometries and two attribute rows',
      file: bad('count-mismatch.shp'),
      run: areas('x', 'CODE'),
      row: 3,
      text: [`{file}, Objekt 3: die .shp hat 3 Datensätze, die .dbf count-mismatch.dbf aber 2`],
    },
    {
      name: 'a missing .shp is named as such, not as a missing .dbf',
      file: bad('no-shp.shp'),
      run: areas('x', 'CODE'),
      field: '.shp',
      text: [`{file}, Feld ".shp": die .shp-Datei mit den Geometrien fehlt (daneben liegt nur no-shp.dbf)`],
    },
  ],
  'encodings and formats': [
    {
      name: 'an XLSX renamed .csv is named as an Excel file',
      file: bad('excel.csv'),
      run: (file) => indicators(file),
      message: `{file}: Das ist eine Excel-Datei (XLSX); bitte als CSV speichern`,
    },
    {
      name: 'NUL bytes in a CSV',
      file: bad('nul-bytes.csv'),
      run: (file) => indicators(file),
      message: `{file}: die Datei enthält Nullbytes (zuerst bei Byte 21); das ist keine CSV-Textdatei`,
    },
    {
      name: 'JSON nested deeper than 100 levels names the feature',
      file: bad('deep.geojson'),
      run: areas('x', 'code'),
      row: 2,
      message: `{file}, Objekt 2: die JSON-Struktur ist mehr als 100 Ebenen tief verschachtelt (unter features.1.properties); das ist kein GeoJSON`,
    },
    {
      name: 'a file that does not exist',
      file: bad('does-not-exist.csv'),
      run: (file) => indicators(file),
      message: `{file}: die Datei gibt es nicht`,
    },
  ],
  'indicator keys': [
    {
      name: 'a column key with umlauts, with the suggested spelling',
      file: bad('umlaut-key.csv'),
      run: (file) => indicators(file),
      field: 'Übergänge',
      value: 'Übergänge',
      text: [
        `{file}, Feld "Übergänge", Wert "Übergänge": ein Indikatorschlüssel darf nur Buchstaben A–Z/a–z ohne Umlaute, Ziffern, _ . und - enthalten`,
        'Vorschlag: "Uebergaenge"',
      ],
    },
    {
      name: 'a key with ß in a long file names its first row',
      file: bad('umlaut-key-long.csv'),
      run: longIndicators,
      row: 2,
      field: 'indicator',
      value: 'Straße',
      text: [`{file}, Zeile 2, Feld "indicator", Wert "Straße"`, 'Vorschlag: "Strasse"'],
    },
    {
      name: 'a key with umlauts in the indicator definitions',
      file: bad('umlaut-meta.csv'),
      run: (file) => importMeta(db, file),
      row: 2,
      field: 'key',
      value: 'Größenklasse',
      text: [`{file}, Zeile 2, Feld "key", Wert "Größenklasse"`, 'Vorschlag: "Groessenklasse"'],
    },
  ],
  'level keys': [
    {
      name: 'a new level key outside the API alphabet is refused with a suggestion',
      file: fixture('areas-4326.geojson'),
      run: areas('Bezirke alt', 'code'),
      field: 'level',
      value: 'Bezirke alt',
      text: [`{file}, Feld "level", Wert "Bezirke alt": ein Ebenenschlüssel darf nur`, 'Vorschlag: "Bezirke_alt"'],
    },
  ],
};

for (const [topic, cases] of Object.entries(REFUSED)) {
  describe(`bad input refused: ${topic} (${backend})`, () => {
    it.each(cases)('$name', async (c) => {
      const withFile = (t: string) => t.replaceAll('{file}', c.file);
      const e = await expectRejected(() => c.run(c.file), {
        file: c.file,
        row: c.row,
        field: c.field,
        value: c.value,
        text: (c.text ?? []).map(withFile),
      });
      if (c.message !== undefined) expect(e.message).toBe(withFile(c.message));
    });
  });
}

describe(`bad input: a level stored before the coordinate check (${backend})`, () => {
  it('re-importing the level replaces the out-of-range geometry instead of failing in the area-change check', async () => {
    await importAreas(db, fixture('areas-4326.geojson'), { level: 'old', codeField: 'code' });
    // What an earlier version stored for lon500.geojson's feature 2.
    await db.query(
      `UPDATE area SET geom = ST_Multi(ST_GeomFromText('POLYGON((13.42 52.5,500 95,13.43 52.51,13.42 52.5))', 4326))
        WHERE level = 'old' AND code = '0102'`,
    );
    await refreshValues(db);
    const r = await importAreas(db, fixture('areas-4326.geojson'), {
      level: 'old',
      codeField: 'code',
      validFrom: '2021-01-01',
    });
    expect(r.areaChanges?.geometry).toEqual(['0102']);
    const note = await db.query<{ note: string; changed_on: string }>(
      "SELECT note, changed_on::text FROM area_change WHERE level = 'old' AND code = '0102'",
    );
    expect(note.rows).toHaveLength(1);
    expect(note.rows[0].changed_on).toBe('2021-01-01');
    expect(note.rows[0].note).toMatch(/^gespeicherte Geometrie außerhalb von ±180°\/±90° ersetzt, Fläche /);
    const box = await db.query<{ xmax: number }>(
      "SELECT ST_XMax(geom) AS xmax FROM area WHERE level = 'old' AND code = '0102'",
    );
    expect(box.rows[0].xmax).toBeLessThan(14);
  });
});

describe(`bad input: encodings and formats (${backend})`, () => {
  it('a GeoJSON with a UTF-8 BOM imports (was: "truncated")', async () => {
    const r = await importAreas(db, bad('bom.geojson'), { level: 'bom', codeField: 'code' });
    expect(r.total).toBe(2);
    const codes = await db.query<{ code: string }>("SELECT code FROM area WHERE level = 'bom' ORDER BY code");
    expect(codes.rows.map((x) => x.code)).toEqual(['A', 'B']);
  });

  it('UTF-16 with BOM (LE) and without (BE) is decoded and imported', async () => {
    for (const [name, period] of [
      ['utf16le-bom.csv', '2018-12-31'],
      ['utf16be.csv', '2019-12-31'],
    ] as const) {
      const r = await indicators(bad(name), { period, decimal: ',' });
      expect(r.total).toBe(6);
      const v = await db.query<{ code: string; indicator: string; value: number }>(
        "SELECT code, indicator, value FROM observation WHERE level = 'm' AND period = $1 ORDER BY indicator, code",
        [period],
      );
      expect(v.rows.map((x) => `${x.indicator}:${x.code}=${x.value}`)).toEqual([
        'S1:0101=1.5',
        'S1:0102=2.5',
        'S1:0201=3.5',
        'S2:0101=10',
        'S2:0102=20',
        'S2:0201=30',
      ]);
    }
  });

  it('a file too large for a JavaScript string is named before it is read', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bad-input-'));
    const file = path.join(dir, 'big.geojson');
    // A sparse file: 600 MB long, no disk space and nothing read.
    const h = await open(file, 'w');
    await h.truncate(600 * 1024 * 1024);
    await h.close();
    try {
      const e = await expectRejected(() => importAreas(db, file, { level: 'x', codeField: 'code' }), {
        file,
        text: [],
      });
      expect(e.message).toBe(
        `${file}: die Datei ist mit 600 MB zu groß, um sie als Text zu lesen (höchstens 512 MB); bitte aufteilen`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe(`bad input: indicator keys (${backend})`, () => {
  it('more than 500 new indicators need allowMany', async () => {
    const file = bad('many-columns.csv');
    await expectRejected(() => indicators(file, { period: '2017-12-31' }), {
      file,
      text: [
        `${file}: die Datei würde 501 neue Indikatoren anlegen (K001, K002, K003, K004, K005, …); mehr als 500 in einem Import nur mit --allow-many`,
      ],
    });
    const before = await snapshot(db);
    const r = await indicators(file, { period: '2017-12-31', allowMany: true });
    expect(r.total).toBe(3 * 501);
    const after = await snapshot(db);
    expect(after.indicators).toBe((before.indicators as number) + 501);
    expect(after.observations).toBe((before.observations as number) + 3 * 501);
  });
});

describe('key spelling suggestions and first-byte sniffing (pure)', () => {
  it('suggests ASCII keys the API accepts', () => {
    const cases: [string, 'indicator' | 'level', string | undefined][] = [
      ['Übergänge', 'indicator', 'Uebergaenge'],
      ['Straße', 'indicator', 'Strasse'],
      ['Anteil 65+ %', 'indicator', 'Anteil_65_proz'],
      ['Café', 'indicator', 'Cafe'],
      ['alq.u25', 'indicator', 'alq.u25'],
      ['Bezirke (alt).2020', 'level', 'Bezirke_alt_2020'],
      ['ÄÖÜ', 'level', 'AeOeUe'],
      ['§§', 'indicator', undefined],
    ];
    for (const [key, kind, want] of cases) expect(suggestKey(key, kind), key).toBe(want);
    expect(suggestKey('x'.repeat(70))).toHaveLength(60);
    expect(INDICATOR_KEY_PATTERN.test(suggestKey('Übergänge')!)).toBe(true);
  });

  it('tells formats and encodings apart by their first bytes', () => {
    const b = (...x: number[]) => Uint8Array.from(x);
    expect(sniff(b(0xef, 0xbb, 0xbf, 0x61))).toBe('utf-8-bom');
    expect(sniff(b(0xff, 0xfe, 0x61, 0))).toBe('utf-16le');
    expect(sniff(b(0xfe, 0xff, 0, 0x61))).toBe('utf-16be');
    expect(sniff(Buffer.from('code;S1\n', 'utf16le'))).toBe('utf-16le');
    expect(sniff(Buffer.from('code;S1\n', 'utf16le').swap16())).toBe('utf-16be');
    expect(sniff(b(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))).toBe('xls');
    expect(sniff(b(0x1f, 0x8b, 8, 0))).toBe('gzip');
    expect(sniff(Buffer.from('PK\x03\x04\x14\x00\x00\x00data.csv', 'latin1'))).toBe('zip');
    expect(sniff(Buffer.from('PK\x03\x04\x14\x00[Content_Types].xml', 'latin1'))).toBe('xlsx');
    expect(sniff(Buffer.from('code;Straße\n', 'utf8'))).toBe('text');
  });
});

describe(`bad input: level keys and area codes (${backend})`, () => {
  it('area codes the API cannot read are imported with a warning naming them', async () => {
    const r = await importAreas(db, bad('bom.geojson'), { level: 'codes', codeField: 'code', nameField: 'code' });
    expect(r.warnings.filter((w) => w.includes('Schlüsselalphabet'))).toEqual([]);
    const dir = await mkdtemp(path.join(tmpdir(), 'bad-input-'));
    const file = path.join(dir, 'codes.csv');
    await writeFile(
      file,
      'id;wkt\nMitte 1;POLYGON((13.4 52.5,13.41 52.5,13.41 52.51,13.4 52.5))\nA-2;POLYGON((13.42 52.5,13.43 52.5,13.43 52.51,13.42 52.5))\n',
    );
    const w = await importAreas(db, file, { level: 'codes2', codeField: 'id' });
    expect(w.total).toBe(2);
    expect(w.warnings).toContain(
      `${file}: 1 Gebietsschlüssel passt nicht zum Schlüsselalphabet der API (Buchstaben A–Z/a–z, Ziffern, _ . -, höchstens 40 Zeichen) und ist über /api/areas/{code} nicht abrufbar: "Mitte 1"`,
    );
    await rm(dir, { recursive: true, force: true });
  });
});

describe(`bad input through the CLI (${backend})`, () => {
  const cli = (...args: string[]) =>
    runCli(
      [registerImportCli],
      () => ({ db, config: {} as AppContext['config'], log: { info() {}, error() {} } }),
      ...args,
    );

  it('exits non-zero with the message and writes nothing', async () => {
    const before = await snapshot(db);
    const a = await cli('import', 'areas', bad('lon500.geojson'), '--level', 'cli', '--code-field', 'code');
    expect(a.exitCode).toBe(1);
    expect(a.err).toContain(
      `Fehler: ${bad('lon500.geojson')}, Objekt 2, Feld "code", Wert "B": die Koordinate (500, 95)`,
    );
    expect(a.err).toContain('Nichts wurde geschrieben.');
    const x = await cli('import', 'indicators', bad('excel.csv'), '--level', 'm', '--code-field', 'code');
    expect(x.exitCode).toBe(1);
    expect(x.err).toContain(`Fehler: ${bad('excel.csv')}: Das ist eine Excel-Datei (XLSX); bitte als CSV speichern`);
    const n = await cli('import', 'meta', bad('umlaut-meta.csv'));
    expect(n.exitCode).toBe(1);
    expect(n.err).toContain('Vorschlag: "Groessenklasse"');
    expect(await snapshot(db)).toEqual(before);
  });
});
