/**
 * `import meta` checks formulas over point layers against the layers that exist: a formula naming
 * an unknown point layer or an unknown field of a layer is an ImportError naming the file, the row,
 * the field (formula) and the value (the formula), and nothing is written. A layer re-imported later
 * without a summed field is no error of the (already stored) formula: the recompute warns instead,
 * naming the field, and leaves the value out. PGlite and, with DATABASE_URL, the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { importAreas, importIndicators, importMeta, ImportError } from '../../geodata/import/index.js';
import { importPoints } from '../../geodata/import/points.js';

const HEAD = 'key;label;unit;kind;scale;formula;visibility;weight_indicator';
const BASE = ['EW;Einwohner;Personen;count;1;;public;'];

const kitas = (withField: boolean) => ({
  type: 'FeatureCollection',
  features: [
    [13.002, 52.002, 40],
    [13.006, 52.007, 25],
  ].map(([lon, lat, plaetze], k) => ({
    type: 'Feature',
    properties: { nr: `K${k + 1}`, ...(withField ? { plaetze } : {}) },
    geometry: { type: 'Point', coordinates: [lon, lat] },
  })),
});

describe(`import meta checks formulas over point layers (${backend})`, () => {
  let db: Db;
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  const meta = async (name: string, rows: string[]) => {
    await writeFile(file(name), [HEAD, ...BASE, ...rows].join('\n'));
    return file(name);
  };
  const rejection = async (run: () => Promise<unknown>): Promise<ImportError> => {
    try {
      await run();
    } catch (e) {
      if (e instanceof ImportError) return e;
      throw e;
    }
    throw new Error('kein Fehler');
  };
  const stored = async (key: string) =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM indicator WHERE key = $1', [key])).rows[0].n;

  beforeAll(async () => {
    db = await openTestDb();
    dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-meta-formula-'));
    await writeFile(
      file('blk.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { code: '01', name: 'Block' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [13.0, 52.0],
                  [13.01, 52.0],
                  [13.01, 52.01],
                  [13.0, 52.01],
                  [13.0, 52.0],
                ],
              ],
            },
          },
        ],
      }),
    );
    await writeFile(file('ew.csv'), 'code,indicator,period,value\n01,EW,2022-06-30,500\n');
    await writeFile(file('kitas.geojson'), JSON.stringify(kitas(true)));
    await writeFile(file('kitas-ohne.geojson'), JSON.stringify(kitas(false)));
    await importAreas(db, file('blk.geojson'), { level: 'blk', codeField: 'code', nameField: 'name' });
    await importMeta(db, await meta('base.csv', []));
    await importIndicators(db, file('ew.csv'), { level: 'blk', codeField: 'code' });
    await importPoints(db, file('kitas.geojson'), { layer: 'kita', period: '2022-12-01', idField: 'nr' });
  }, 600_000);

  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('an unknown point layer: error naming file, row, field and value; nothing written', async () => {
    const f = await meta('layer.csv', ['KITA_N;Kitas;Anzahl;count;1;count(kitas);public;']);
    const e = await rejection(() => importMeta(db, f));
    expect(e).toMatchObject({ file: f, row: 2, field: 'formula', value: 'count(kitas)' });
    expect(e.message).toContain("unbekannter Punktlayer 'kitas' (vorhanden: kita)");
    expect(e.message).toContain(`${f}, Zeile 2, Feld "formula", Wert "count(kitas)"`);
    expect(await stored('KITA_N')).toBe(0);
  });

  it('an unknown field of a layer: error naming the layer and the field', async () => {
    const f = await meta('field.csv', [
      'KITA_N;Kitas;Anzahl;count;1;count(kita);public;',
      'PLAETZE;Plätze;Anzahl;count;1;sum(kita.betten);public;',
    ]);
    const e = await rejection(() => importMeta(db, f));
    expect(e).toMatchObject({ file: f, row: 3, field: 'formula', value: 'sum(kita.betten)' });
    expect(e.message).toContain("Punktlayer 'kita' hat kein Feld 'betten'");
    expect(await stored('KITA_N')).toBe(0); // the whole file rolled back
  });

  it('a layer re-imported without the summed field: a warning of the recompute, no value', async () => {
    const f = await meta('ok.csv', ['PLAETZE;Plätze;Anzahl;count;1;sum(kita.plaetze);public;']);
    await importMeta(db, f);
    const before = await db.query<{ value: number }>(
      "SELECT value FROM level_value WHERE indicator = 'PLAETZE' AND level = 'blk' AND code = '01'",
    );
    expect(before.rows).toEqual([{ value: 65 }]);
    const again = await importPoints(db, file('kitas-ohne.geojson'), {
      layer: 'kita',
      period: '2022-12-01',
      idField: 'nr',
    });
    expect(again.warnings).toContain(
      "PLAETZE: Punktlayer 'kita' (Stand 2022-12-01) hat kein Feld 'plaetze'; sum(kita.plaetze) nicht berechnet",
    );
    const after = await db.query("SELECT count(*)::int AS n FROM level_value WHERE indicator = 'PLAETZE'");
    expect(after.rows[0]).toEqual({ n: 0 });
  });
});
