/** Positive indicator and meta imports: wide and long CSV, decimal comma, missing codes, upsert counts. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { importAreas, importIndicators, importMeta } from '../../geodata/import/index.js';
import { fixture } from './import-helpers.js';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
  await importAreas(db, fixture('areas-4326.geojson'), { level: 't', codeField: 'code', nameField: 'name' });
});
afterAll(async () => {
  await db?.close();
});

type Obs = {
  code: string;
  indicator: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
};
async function observations(indicator: string): Promise<Obs[]> {
  return (
    await db.query<Obs>(
      "SELECT code, indicator, to_char(period, 'YYYY-MM-DD') AS period, value, numerator, denominator FROM observation WHERE level = 't' AND indicator = $1 ORDER BY period, code",
      [indicator],
    )
  ).rows;
}

describe(`importIndicators and importMeta (${backend})`, () => {
  it('meta from CSV (;, decimal comma) and JSON', async () => {
    const a = await importMeta(db, fixture('meta.csv'));
    expect(a).toMatchObject({ kind: 'meta', total: 2, added: 2, replaced: 0 });
    const b = await importMeta(db, fixture('meta.json'));
    expect(b).toMatchObject({ total: 2, added: 2 });
    const s1 = (
      await db.query(
        'SELECT label, polarity, target, target_direction, kind, scale, numerator, sort_order FROM indicator WHERE key = $1',
        ['S1'],
      )
    ).rows[0];
    expect(s1).toEqual({
      label: 'Arbeitslosigkeit',
      polarity: 1,
      target: 10.5,
      target_direction: 'max',
      kind: 'rate',
      scale: 100,
      numerator: 'Arbeitslose SGB II',
      sort_order: 2,
    });
    const s4 = (await db.query('SELECT polarity, sort_order, scale FROM indicator WHERE key = $1', ['S4'])).rows[0];
    expect(s4).toEqual({ polarity: 1, sort_order: 4, scale: 100 });
    const again = await importMeta(db, fixture('meta.csv'));
    expect(again).toMatchObject({ added: 0, replaced: 2 });
  });

  it('wide CSV with ; and decimal comma: leading zeros kept, -9999 and empty → NULL, thousands dot', async () => {
    const r = await importIndicators(db, fixture('wide-semicolon.csv'), {
      level: 't',
      codeField: 'code',
      period: '2020-12-31',
      decimal: ',',
    });
    // name is text: skipped with a warning; EW, S1, S2 × 3 rows
    expect(r).toMatchObject({ kind: 'indicators', level: 't', total: 9, added: 9, replaced: 0 });
    expect(r.warnings.join('\n')).toMatch(/"name" enthält Text/);
    expect(r.warnings.join('\n')).toMatch(/Indikator S2 hatte keine Definition/); // EW and S1 came from meta.csv
    expect((await observations('EW')).map((o) => [o.code, o.value])).toEqual([
      ['0101', 1234],
      ['0102', 800],
      ['0201', null],
    ]);
    expect((await observations('S1')).map((o) => [o.code, o.value])).toEqual([
      ['0101', 12.5],
      ['0102', 7.25],
      ['0201', 1],
    ]);
    expect((await observations('S2')).map((o) => o.value)).toEqual([null, 3, 2]);
    const s2 = (await db.query('SELECT label FROM indicator WHERE key = $1', ['S2'])).rows[0];
    expect(s2).toEqual({ label: 'S2' });
  });

  it('re-import of the same level/period upserts and reports replaced', async () => {
    const r = await importIndicators(db, fixture('wide-semicolon.csv'), {
      level: 't',
      codeField: 'code',
      period: '2020-12-31',
      decimal: ',',
      columns: ['S1'],
    });
    expect(r).toMatchObject({ total: 3, added: 0, replaced: 3 });
    const other = await importIndicators(db, fixture('wide-semicolon.csv'), {
      level: 't',
      codeField: 'code',
      period: '2019-12-31',
      decimal: ',',
      columns: ['S1'],
    });
    expect(other).toMatchObject({ total: 3, added: 3, replaced: 0 });
  });

  it('coded missing values given explicitly replace the default', async () => {
    const r = await importIndicators(db, fixture('wide-semicolon.csv'), {
      level: 't',
      codeField: 'code',
      period: '2018-12-31',
      decimal: ',',
      columns: ['S2'],
      missing: ['3,0'],
      delimiter: ';',
    });
    expect(r.total).toBe(3);
    const v = (await observations('S2')).filter((o) => o.period === '2018-12-31').map((o) => o.value);
    // -9999 is a number now (with a warning), '3,0' is missing
    expect(v).toEqual([-9999, null, 2]);
    expect(r.warnings.join('\n')).toMatch(/-9999, das sieht nach einem Code für fehlende Werte aus/);
  });

  it('long format with numerator and denominator, several periods', async () => {
    const r = await importIndicators(db, fixture('long.csv'), { level: 't', codeField: 'code' });
    // 0101/0102 at 2020-12-31 existed from the wide import (replaced), the 2021 rows are new
    expect(r).toMatchObject({ total: 4, added: 2, replaced: 2 });
    const s1 = await observations('S1');
    expect(s1.filter((o) => o.period === '2020-12-31' && o.code === '0101')[0]).toMatchObject({
      value: 12.5,
      numerator: 125,
      denominator: 1000,
    });
    expect(s1.filter((o) => o.period === '2021-12-31')).toEqual([
      { code: '0101', indicator: 'S1', period: '2021-12-31', value: 11, numerator: 110, denominator: 1000 },
      { code: '0201', indicator: 'S1', period: '2021-12-31', value: null, numerator: null, denominator: null },
    ]);
  });

  it('wide format with numerator/denominator columns for a rate', async () => {
    const r = await importIndicators(db, fixture('wide-semicolon.csv'), {
      level: 't',
      codeField: 'code',
      period: '2017-12-31',
      decimal: ',',
      columns: ['S1', 'EW'],
      numeratorFor: { S1: { numerator: 'S2', denominator: 'EW' } },
    });
    expect(r.total).toBe(6);
    const row = (await observations('S1')).find((o) => o.period === '2017-12-31' && o.code === '0102');
    expect(row).toMatchObject({ value: 7.25, numerator: 3, denominator: 800 });
  });

  it('a wide file without --period is refused', async () => {
    await expect(
      importIndicators(db, fixture('wide-semicolon.csv'), { level: 't', codeField: 'code' }),
    ).rejects.toThrow(/braucht --period/);
  });
});
