/**
 * The value engine (geodata/values) on a small hand-made hierarchy whose every number is computed
 * here by hand: 6 cells → 3 blocks (derived by code prefix) → 1 district. Rates aggregate as
 * Σnum/Σden (not the mean of rates), counts as Σ, means weighted; an imported parent value wins and
 * keeps its gap to the sum; coverage below the threshold flags a value incomplete; formulas are
 * evaluated on each level's own sums; bad formulas and non-nesting code lengths are refused with
 * the file, row, field, formula and position. Runs on PGlite and, with DATABASE_URL, on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { importAreas, importIndicators, importMeta, ImportError } from '../../geodata/import/index.js';
import { deriveLevel } from '../../geodata/import/derive-level.js';
import { refreshValues } from '../../geodata/values/refresh.js';

/** Cell code → [EW, E_65, rate numerator, rate denominator, mean age]; cell 0103 has no E_65. */
const CELLS: Record<string, [number, number | null, number, number, number]> = {
  '010101': [1000, 200, 50, 500, 40],
  '010102': [3000, 300, 30, 1500, 30],
  '010201': [2000, 500, 100, 1000, 50],
  '010202': [500, 100, 10, 250, 44],
  '010301': [4000, 400, 40, 2000, 38],
  '010302': [100, null, 5, 50, 60],
};

type Row = {
  code: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  source: string;
  n_children: number | null;
  n_children_total: number | null;
  coverage: number | null;
  incomplete: boolean;
  imported_gap: number | null;
};

describe(`value engine: levels, formulas, coverage (${backend})`, () => {
  let db: Db;
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  const value = async (level: string, indicator: string, code: string): Promise<Row> =>
    (
      await db.query<Row>(
        `SELECT code, value, numerator, denominator, source, n_children, n_children_total, coverage, incomplete, imported_gap
           FROM indicator_value WHERE level = $1 AND indicator = $2 AND code = $3 AND period = '2024-12-31'`,
        [level, indicator, code],
      )
    ).rows[0];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-engine-'));
    db = await openTestDb();
    const features = Object.keys(CELLS).map((code, i) => {
      const x = 13.3 + i * 0.01;
      return {
        type: 'Feature',
        properties: { id: code },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [x, 52.5],
              [x + 0.01, 52.5],
              [x + 0.01, 52.51],
              [x, 52.51],
              [x, 52.5],
            ],
          ],
        },
      };
    });
    await writeFile(file('cells.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
    await writeFile(
      file('meta.csv'),
      [
        'key;label;kind;scale;formula;visibility;weight_indicator',
        'EW;Einwohner;count;1;;public;',
        'E_65;ab 65;count;1;;grunddaten;',
        'Q;Quote;rate;100;;public;',
        'ALTER;Durchschnittsalter;mean;1;;public;EW',
        'EW_65;Anteil ab 65;rate;100;100 * E_65 / EW;public;',
      ].join('\n') + '\n',
    );
    const rows = ['code,indicator,period,value,numerator,denominator'];
    for (const [code, [ew, e65, num, den, age]] of Object.entries(CELLS)) {
      rows.push(
        `${code},EW,2024-12-31,${ew},,`,
        `${code},Q,2024-12-31,${(100 * num) / den},${num},${den}`,
        `${code},ALTER,2024-12-31,${age},,`,
      );
      if (e65 !== null) rows.push(`${code},E_65,2024-12-31,${e65},,`);
    }
    await writeFile(file('values.csv'), rows.join('\n') + '\n');
    await importMeta(db, file('meta.csv'));
    await importAreas(db, file('cells.geojson'), { level: 'cell', codeField: 'id' });
    await deriveLevel(db, { from: 'cell', level: 'block', label: 'Block', codeLength: 4 });
    await deriveLevel(db, { from: 'block', level: 'district', label: 'Bezirk', codeLength: 2 });
    await importIndicators(db, file('values.csv'), { level: 'cell', codeField: 'code' });
    // The threshold 300 would hide cell 010302 (100 residents) and, to protect it, its sibling 010301.
  });
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('derives blocks and a district by code prefix, dissolved, with the hierarchy linked', async () => {
    const areas = await db.query<{ level: string; code: string; parent_code: string | null }>(
      "SELECT level, code, parent_code FROM area WHERE level IN ('block', 'district') ORDER BY level, code",
    );
    expect(areas.rows).toEqual([
      { level: 'block', code: '0101', parent_code: '01' },
      { level: 'block', code: '0102', parent_code: '01' },
      { level: 'block', code: '0103', parent_code: '01' },
      { level: 'district', code: '01', parent_code: null },
    ]);
    const km2 = await db.query<{ level: string; s: number }>(
      'SELECT level, sum(area_km2) AS s FROM area GROUP BY level ORDER BY level',
    );
    const [block, cell, district] = km2.rows.map((r) => r.s);
    expect(block).toBeCloseTo(cell, 6);
    expect(district).toBeCloseTo(cell, 6);
  });

  it('sums counts, takes rates as Σnum/Σden (not the mean of rates) and weights means', async () => {
    expect((await value('block', 'EW', '0101')).value).toBe(4000);
    const q = await value('block', 'Q', '0101');
    expect(q).toMatchObject({ numerator: 80, denominator: 2000, source: 'aggregated' });
    expect(q.value).toBeCloseTo(4, 12); // 100·80/2000; the mean of the cell rates (10 and 2) would be 6
    expect((await value('block', 'ALTER', '0101')).value).toBeCloseTo((40 * 1000 + 30 * 3000) / 4000, 12); // 32.5
    const district = await value('district', 'Q', '01');
    expect(district.numerator).toBe(235);
    expect(district.denominator).toBe(5300);
  });

  it('evaluates a formula on each level’s own sums and reports the coverage of a partial sum', async () => {
    const cell = await value('cell', 'EW_65', '010101');
    expect(cell).toMatchObject({ value: 20, numerator: 200, denominator: 1000, source: 'formula' });
    const block = await value('block', 'EW_65', '0102');
    expect(block.value).toBeCloseTo((100 * 600) / 2500, 12); // the cell rates 25 and 20 average to 22.5, the formula gives 24
    // E_65 is missing for 010302: block 0103 has E_65 from one of two cells, 4000 of 4100 residents
    const e65 = await db.query<Row>(
      "SELECT n_children, n_children_total, coverage FROM level_value WHERE level = 'block' AND code = '0103' AND indicator = 'E_65'",
    );
    expect(e65.rows[0]).toEqual({ n_children: 1, n_children_total: 2, coverage: 4000 / 4100 });
    // the formula on the partial sum carries the coverage of its least covered input
    const partial = await value('block', 'EW_65', '0103');
    expect(partial.value).toBeCloseTo((100 * 400) / 4100, 12);
    expect(partial).toMatchObject({ source: 'formula', n_children: 1, n_children_total: 2, incomplete: false });
    expect(partial.coverage).toBeCloseTo(4000 / 4100, 12);
    // 97.6 % is above the default threshold of 90 %; at 99 % the value is flagged incomplete, Q (both cells) is not
    await db.query("UPDATE setting SET value = '99' WHERE key = 'coverage_threshold'");
    await refreshValues(db);
    expect((await value('block', 'EW_65', '0103')).incomplete).toBe(true);
    expect((await value('block', 'Q', '0103')).incomplete).toBe(false);
    await db.query("UPDATE setting SET value = '90' WHERE key = 'coverage_threshold'");
    await refreshValues(db);
    expect((await value('block', 'EW_65', '0103')).incomplete).toBe(false);
  });

  it('hides Grunddaten from readers: E_65 feeds the formula but is not in indicator_value', async () => {
    const r = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM indicator_value WHERE indicator = 'E_65'");
    expect(r.rows[0].n).toBe(0);
    const raw = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM level_value WHERE indicator = 'E_65'");
    expect(raw.rows[0].n).toBe(5 + 3 + 1);
  });

  it('hides the small cell and, to protect it, its sibling; the block total stays published', async () => {
    const hidden = await db.query<{ code: string; reason: string }>(
      "SELECT code, reason FROM area_suppression WHERE level = 'cell' ORDER BY code",
    );
    expect(hidden.rows).toEqual([
      { code: '010301', reason: 'secondary' },
      { code: '010302', reason: 'population' },
    ]);
    const block = await db.query<{ suppressed: boolean; value: number }>(
      "SELECT suppressed, value FROM indicator_value WHERE level = 'block' AND code = '0103' AND indicator = 'EW'",
    );
    expect(block.rows[0]).toEqual({ suppressed: false, value: 4100 });
  });

  it('an imported parent value wins over the sum and keeps the gap (Anschlussfähigkeit)', async () => {
    await writeFile(file('official.csv'), 'code,EW\n0101,4010\n');
    await importIndicators(db, file('official.csv'), { level: 'block', codeField: 'code', period: '2024-12-31' });
    const v = await value('block', 'EW', '0101');
    expect(v).toMatchObject({ value: 4010, source: 'imported', imported_gap: 10, n_children: 2, n_children_total: 2 });
    // the district sums the imported block value
    expect((await value('district', 'EW', '01')).value).toBe(4010 + 2500 + 4100);
  });

  it('refuses formulas with an unknown key, a cycle, a syntax error, a non-count input or a division by zero, naming row and position', async () => {
    const bad = async (formula: string, extra = '', kind = 'rate') => {
      await writeFile(file('bad.csv'), `key;label;kind;formula\n${extra}X;Test;${kind};${formula}\n`);
      const err = await importMeta(db, file('bad.csv')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportError);
      return (err as ImportError).message;
    };
    expect(await bad('100 * E_66 / EW')).toMatch(/Zeile 1.*formula.*E_66.*Position 7/s);
    expect(await bad('100 * E_65 /')).toMatch(/Position 12/);
    expect(await bad('100 * Q / EW')).toMatch(/Q.*Quote|rate/);
    expect(await bad('EW / (2 - 2)')).toMatch(/Division durch 0.*Position 4/);
    expect(await bad('Y + 1', 'Y;Zyklus;count;X + 1\n', 'count')).toMatch(/X → Y → X|Y → X → Y/);
    // nothing of the refused files was kept
    const r = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM indicator WHERE key IN ('X', 'Y')");
    expect(r.rows[0].n).toBe(0);
  });

  it('refuses a code length that does not nest, and names that do not match the codes', async () => {
    const err = await deriveLevel(db, { from: 'cell', level: 'bad', codeLength: 6 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(/verschachtelt nicht.*010101/);
    await writeFile(file('names.csv'), 'code,name\n01,Mitte\n02,Nirgendwo\n');
    const named = await deriveLevel(db, {
      from: 'district',
      level: 'land',
      codeLength: 1,
      namesFile: file('names.csv'),
    }).catch((e: unknown) => e);
    expect((named as Error).message).toMatch(/Schlüssel ohne Gebiet: 01, 02.*Gebiete ohne Namen: 0/);
  });
});
