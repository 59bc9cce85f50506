/**
 * Harmonising across a boundary change on synthetic shapes with known answers: bands of latitude
 * 52.00–52.01 cut at meridians symmetric about 10° E, the central meridian of EPSG:3035, so a
 * piece and its mirror image have the same area whatever the backend's PROJ does:
 *   old level 'alt': S1 = lon 9.98–10.02, S2 = 10.02–10.04
 *   new level 'neu': T1 = 9.98–10.00, T2 = 10.00–10.04 (shared vertices at 10.00 and 10.02)
 * Area weights: S1 → T1 0.5, S1 → T2 0.5, S2 → T2 1. Three grid cells (EPSG:3035 centres
 * x0 − 500, x0 + 500, x0 + 2000 with 300, 100, 50 residents, x0 = 4 321 000 = 10° E) give
 * population weights S1 → T1 0.75, S1 → T2 0.25, S2 → T2 1.
 * Values: EW (count) 1000 / 600, ALG (rate) 100/400 and 30/300, ALTER (mean, weight EW) 40 / 50.
 * Runs on PGlite and, with DATABASE_URL, on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { importAreas, importIndicators, importMeta } from '../../geodata/import/index.js';
import { importGrid } from '../../geodata/import/grid.js';
import { harmonize } from '../../geodata/values/harmonize.js';
import { levelValues } from '../../server/services/level-values.js';

const X0 = 4_321_000;
const Y0 = 3_210_000;
/** A band 52.00–52.01° N through the given meridians (vertices on each, so shared edges match). */
const band = (code: string, ...lons: number[]) => ({
  type: 'Feature',
  properties: { code },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [...lons.map((lon) => [lon, 52.0]), ...[...lons].reverse().map((lon) => [lon, 52.01]), [lons[0], 52.0]],
    ],
  },
});
const fc = (...features: object[]) => JSON.stringify({ type: 'FeatureCollection', features });

const META = [
  'key;label;unit;kind;scale;weight_indicator;numerator;denominator',
  'EW;Einwohner;Personen;count;1;;;',
  'ALG;Arbeitslose je 100;%;rate;100;;Arbeitslose;Erwerbsfähige',
  'ALTER;Durchschnittsalter;Jahre;mean;1;EW;;',
].join('\n');
const VALUES = [
  'code,indicator,period,value,numerator,denominator',
  'S1,EW,2020-12-31,1000,,',
  'S2,EW,2020-12-31,600,,',
  'S1,ALG,2020-12-31,25,100,400',
  'S2,ALG,2020-12-31,10,30,300',
  'S1,ALTER,2020-12-31,40,,',
  'S2,ALTER,2020-12-31,50,,',
].join('\n');
const CELLS = [
  'GITTER_ID_1km,x_mp_1km,y_mp_1km,Einwohner,Frauen_A,Alter_D,unter18_A,ab65_A,Auslaender_A,HHGroesse_D,Leerstandsquote,Wohnfl_Bew_D,Wohnfl_Whg_D',
  `a,${X0 - 500},${Y0 + 556},300,,,,,,,,,`,
  `b,${X0 + 500},${Y0 + 556},100,,,,,,,,,`,
  `c,${X0 + 2000},${Y0 + 556},50,,,,,,,,,`,
].join('\n');

describe(`harmonize across boundary changes (${backend})`, () => {
  let db: Db;
  let dir: string;
  const file = (n: string) => path.join(dir, n);
  const obs = async (indicator: string, code: string) =>
    (
      await db.query<{ value: number; numerator: number | null; denominator: number | null }>(
        `SELECT value, numerator, denominator FROM observation WHERE level = 'neu' AND indicator = $1 AND code = $2`,
        [indicator, code],
      )
    ).rows[0];

  beforeAll(async () => {
    db = await openTestDb();
    dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-harmonize-'));
    await writeFile(file('meta.csv'), META);
    await writeFile(file('values.csv'), VALUES);
    await writeFile(file('cells.csv'), CELLS);
    await writeFile(file('alt.geojson'), fc(band('S1', 9.98, 10.0, 10.02), band('S2', 10.02, 10.04)));
    await writeFile(file('neu.geojson'), fc(band('T1', 9.98, 10.0), band('T2', 10.0, 10.02, 10.04)));
    await writeFile(file('fern.geojson'), fc(band('F1', 12.0, 12.02)));
    await importMeta(db, file('meta.csv'));
    for (const level of ['alt', 'neu', 'fern']) {
      await importAreas(db, file(`${level}.geojson`), { level, codeField: 'code' });
    }
    await importIndicators(db, file('values.csv'), { level: 'alt', codeField: 'code' });
  }, 600_000);

  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses levels that do not overlap and a population weight without a population layer', async () => {
    await expect(
      harmonize(db, { fromLevel: 'alt', toLevel: 'fern', period: '2020-12-31', weight: 'area' }),
    ).rejects.toThrow(/die Ebenen "alt" und "fern" überschneiden sich nicht/);
    await expect(
      harmonize(db, { fromLevel: 'alt', toLevel: 'neu', period: '2020-12-31', weight: 'population' }),
    ).rejects.toThrow(/Gewicht population braucht eine Bevölkerungsschicht: keine Gitterzellen mit Einwohnern/);
    await expect(
      harmonize(db, { fromLevel: 'alt', toLevel: 'gibtsnicht', period: '2020-12-31', weight: 'area' }),
    ).rejects.toThrow(/to-level.*gibtsnicht.*keine Gebiete/);
    await expect(
      harmonize(db, { fromLevel: 'alt', toLevel: 'neu', period: '2019-12-31', weight: 'area' }),
    ).rejects.toThrow(/keine übertragbaren Werte/);
    expect(
      Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM observation WHERE level <> 'alt'")).rows[0].n),
    ).toBe(0);
  });

  it('splits counts by area share and rebuilds rates and means (known answers within 1e-9)', async () => {
    const r = await harmonize(db, { fromLevel: 'alt', toLevel: 'neu', period: '2020-12-31', weight: 'area' });
    expect(r.pieces).toBe(3);
    expect(r.written).toEqual({ EW: 2, ALG: 2, ALTER: 2 });
    expect((await obs('EW', 'T1')).value).toBeCloseTo(500, 9);
    expect((await obs('EW', 'T2')).value).toBeCloseTo(1100, 9);
    const alg1 = await obs('ALG', 'T1');
    expect(alg1.numerator).toBeCloseTo(50, 9);
    expect(alg1.denominator).toBeCloseTo(200, 9);
    expect(alg1.value).toBeCloseTo(25, 9);
    expect((await obs('ALG', 'T2')).value).toBeCloseTo(16, 9);
    expect((await obs('ALTER', 'T1')).value).toBeCloseTo(40, 9);
    expect((await obs('ALTER', 'T2')).value).toBeCloseTo(50_000 / 1100, 9);
    const marks = await db.query<{ code: string; source_level: string; weight: string }>(
      "SELECT code, source_level, weight FROM estimated_observation WHERE level = 'neu' AND indicator = 'EW' ORDER BY code",
    );
    expect(marks.rows).toEqual([
      { code: 'T1', source_level: 'alt', weight: 'area' },
      { code: 'T2', source_level: 'alt', weight: 'area' },
    ]);
    // the read model and its readers carry them as estimates
    const rows = await levelValues(db, 'neu', '2020-12-31', ['EW']);
    expect(rows.map((x) => [x.code, Math.round(x.value! * 1e6) / 1e6, x.estimatedFrom])).toEqual(
      [
        ['T1', 500, 'geschätzt aus Ebene alt'],
        ['T2', 1100, 'geschätzt aus Ebene alt'],
      ].sort(),
    );
  });

  it('splits by population with grid cells: differs from area weighting where population is uneven', async () => {
    await importGrid(db, file('cells.csv'), { level: 'z1km' });
    const r = await harmonize(db, {
      fromLevel: 'alt',
      toLevel: 'neu',
      period: '2020-12-31',
      weight: 'population',
      indicators: ['EW', 'ALG', 'ALTER'],
    });
    expect(r.areaFallback).toEqual([]);
    expect((await obs('EW', 'T1')).value).toBeCloseTo(750, 9);
    expect((await obs('EW', 'T2')).value).toBeCloseTo(850, 9);
    expect((await obs('ALG', 'T1')).value).toBeCloseTo(25, 9);
    expect((await obs('ALG', 'T2')).value).toBeCloseTo(13.75, 9);
    expect((await obs('ALTER', 'T2')).value).toBeCloseTo(40_000 / 850, 9);
    // S2 lies wholly in T2: its share is 1 under both weights, so only S1's split moved
    const w = await db.query<{ weight: string }>(
      "SELECT DISTINCT weight FROM estimated_observation WHERE level = 'neu'",
    );
    expect(w.rows).toEqual([{ weight: 'population' }]);
  });

  it('never overwrites a value of the target level that was not estimated', async () => {
    await writeFile(file('neu-values.csv'), 'code,indicator,period,value\nT1,EW,2020-12-31,777');
    await importIndicators(db, file('neu-values.csv'), { level: 'neu', codeField: 'code' });
    const r = await harmonize(db, {
      fromLevel: 'alt',
      toLevel: 'neu',
      period: '2020-12-31',
      weight: 'area',
      indicators: ['EW'],
    });
    expect(r.written).toEqual({ EW: 1 });
    expect(r.kept).toEqual({ EW: 1 });
    expect((await obs('EW', 'T1')).value).toBe(777);
    expect((await obs('EW', 'T2')).value).toBeCloseTo(1100, 9);
  });
});
