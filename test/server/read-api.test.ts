import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import { migrate } from '../../server/db/migrate.js';
import { refreshValues } from '../../geodata/values/refresh.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };
const AUTH = { Authorization: 'Bearer test-token' };

describe(`read API on the Berlin sample (${backend})`, () => {
  let db: Db;
  let app: Express;
  beforeAll(async () => {
    db = await openSampleDb();
    app = createApp({ db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent });
  });
  afterAll(async () => db?.close());

  it('migrations are a no-op the second time', async () => {
    expect(await migrate(db)).toEqual([]);
  });

  it('lists the four sample levels (by area count) with their parents, periods and default period', async () => {
    const res = await request(app).get('/api/levels').expect(200);
    type Level = { key: string; count: number; parentLevel: string | null; periods: string[]; defaultPeriod: string };
    expect(res.body.map((l: Level) => [l.key, l.count, l.parentLevel])).toEqual([
      ['plr', 542, 'bzr'],
      ['bzr', 143, 'pgr'],
      ['pgr', 58, 'bez'],
      ['bez', 12, null],
    ]);
    // every level has values for every period (aggregated from the level below)
    for (const l of res.body as Level[]) {
      expect(l.periods, l.key).toEqual(['2020-12-31', '2021-12-31', '2022-06-30', '2024-12-31']);
      // 2024 has the 5 register indicators only; the MSS date with 29 indicators stays the default
      expect(l.defaultPeriod, l.key).toBe('2020-12-31');
    }
  });

  it('has the Einwohnerregister series with its counts: EW, under-18s, 65 and over, foreigners', async () => {
    const res = await request(app).get('/api/indicators?level=plr').expect(200);
    const periodsOf = (k: string) => res.body.find((i: { key: string }) => i.key === k).periods;
    expect(periodsOf('EW')).toEqual(['2020-12-31', '2021-12-31', '2022-06-30', '2024-12-31']);
    expect(periodsOf('KI_16')).toEqual(['2020-12-31', '2021-12-31', '2022-06-30', '2024-12-31']);
    expect(periodsOf('KI_05')).toEqual(['2020-12-31', '2021-12-31', '2024-12-31']); // not in the 2022 extract
    expect(periodsOf('EW_U18')).toEqual(['2021-12-31', '2022-06-30', '2024-12-31']);
    // Stülerstraße 31.12.2021 (open-lifeworlds t2): 3 406 residents, 161 + 176 + 28 under 18, 715 aged 65+.
    // The import keeps the counts (Grunddaten); the shares are formulas over them.
    const counts = await db.query<{ indicator: string; value: number }>(
      `SELECT indicator, value FROM observation WHERE level = 'plr' AND code = '01100101' AND period = '2021-12-31' AND indicator <> 'EW' ORDER BY indicator`,
    );
    expect(Object.fromEntries(counts.rows.map((r) => [r.indicator, r.value]))).toEqual({
      E_15_18: 28,
      E_6_15: 176,
      E_65: 715,
      E_AUSL: 1418,
      E_MIG: 2103,
      E_U6: 161,
    });
    const o = await db.query<{
      indicator: string;
      value: number;
      numerator: number | null;
      denominator: number | null;
      source: string;
    }>(
      `SELECT indicator, value, numerator, denominator, source FROM indicator_value WHERE level = 'plr' AND code = '01100101' AND period = '2021-12-31' ORDER BY indicator`,
    );
    const by = Object.fromEntries(o.rows.map((r) => [r.indicator, r]));
    expect(Object.keys(by)).toEqual(['EW', 'EW_65', 'EW_U18', 'KI_05', 'KI_16']); // no Grunddaten in the public view
    expect(by.EW).toMatchObject({ value: 3406, numerator: null, denominator: null, source: 'imported' });
    expect(by.EW_U18).toMatchObject({ numerator: 161 + 176 + 28, denominator: 3406, source: 'formula' });
    expect(by.EW_U18.value).toBeCloseTo((100 * 365) / 3406, 12);
    expect(by.EW_65).toMatchObject({ numerator: 715, denominator: 3406, source: 'formula' });
    expect(by.KI_16).toMatchObject({ numerator: 1418, denominator: 3406, source: 'formula' });
    expect(by.KI_05).toMatchObject({ numerator: 2103, denominator: 3406, source: 'formula' });
    // Pankower Tor has no residents: no shares, and the 2022 extract does not publish it at all
    const pt = await db.query<{
      period: string;
      indicator: string;
      value: number | null;
      suppression_reason: string | null;
    }>(
      `SELECT period::text AS period, indicator, value, suppression_reason FROM indicator_value WHERE level = 'plr' AND code = '03400831' AND indicator IN ('EW', 'EW_U18') AND period > '2020-12-31' ORDER BY 1, 2`,
    );
    expect(pt.rows.map((r) => [r.period, r.indicator, r.value, r.suppression_reason])).toEqual([
      ['2021-12-31', 'EW', 0, 'population'],
      ['2021-12-31', 'EW_U18', null, 'population'],
      ['2022-06-30', 'EW', null, 'population'],
      ['2022-06-30', 'EW_U18', null, 'population'],
      ['2024-12-31', 'EW', 0, 'population'],
      ['2024-12-31', 'EW_U18', null, 'population'],
    ]);
  });

  it('computes the register shares of a Bezirksregion as Σ numerator / Σ denominator (the formula on the summed counts)', async () => {
    const agg = await db.query<{ value: number; numerator: number; denominator: number; source: string }>(
      `SELECT value, numerator, denominator, source FROM indicator_value WHERE level = 'bzr' AND code = '011001' AND indicator = 'EW_65' AND period = '2024-12-31'`,
    );
    const sums = (
      await db.query<{ n: number; d: number }>(
        `SELECT sum(value) FILTER (WHERE indicator = 'E_65') AS n, sum(value) FILTER (WHERE indicator = 'EW') AS d
         FROM observation WHERE level = 'plr' AND indicator IN ('E_65', 'EW') AND period = '2024-12-31' AND code LIKE '011001%'`,
      )
    ).rows[0];
    expect([sums.n, sums.d]).toEqual([2526, 16293]);
    expect(agg.rows[0]).toMatchObject({ numerator: 2526, denominator: 16293, source: 'formula' });
    expect(agg.rows[0].value).toBeCloseTo((100 * 2526) / 16293, 12);
  });

  it('lists indicators with German labels and polarity', async () => {
    const res = await request(app).get('/api/indicators').expect(200);
    const s4 = res.body.find((i: { key: string }) => i.key === 'S4');
    expect(s4).toMatchObject({
      label: 'Kinderarmut',
      unit: '%',
      topic: 'Familie',
      polarity: 1,
      kind: 'rate',
      periods: ['2020-12-31'],
    });
    const ki10 = res.body.find((i: { key: string }) => i.key === 'KI_10');
    expect(ki10.polarity).toBe(-1);
  });

  it('returns areas as GeoJSON, filtered by bbox', async () => {
    const all = await request(app).get('/api/areas?level=plr').expect(200);
    expect(all.body.type).toBe('FeatureCollection');
    expect(all.body.features).toHaveLength(542);
    const f = all.body.features.find((x: { id: string }) => x.id === '01100101');
    expect(f.properties).toMatchObject({ code: '01100101', name: 'Stülerstraße', parent: '011001', level: 'plr' });
    // Tiergarten around Stülerstraße only
    const some = await request(app).get('/api/areas?level=plr&bbox=13.33,52.505,13.35,52.515').expect(200);
    expect(some.body.features.length).toBeGreaterThan(0);
    expect(some.body.features.length).toBeLessThan(30);
    expect(some.body.features.map((x: { id: string }) => x.id)).toContain('01100101');
  });

  it('profiles Stülerstraße with parent value, region value and rank', async () => {
    const res = await request(app).get('/api/areas/01100101?level=plr').expect(200);
    expect(res.body).toMatchObject({
      code: '01100101',
      name: 'Stülerstraße',
      level: 'plr',
      period: '2020-12-31',
      population: 3419,
    });
    expect(res.body.parent).toMatchObject({ code: '011001', level: 'bzr' });
    const s4 = res.body.indicators.find((i: { key: string }) => i.key === 'S4');
    expect(s4.value).toBeCloseTo(19.39799, 5);
    // ranked: the 536 areas with a value less the 5 hidden to protect a small neighbour (secondary)
    const ranked = (
      await db.query<{ n: number; higher: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE value > 19.39799)::int AS higher FROM indicator_value
        WHERE level = 'plr' AND indicator = 'S4' AND period = '2020-12-31' AND value IS NOT NULL AND NOT suppressed`,
      )
    ).rows[0];
    expect(ranked.n).toBe(531);
    expect(s4.n).toBe(531);
    expect(s4.rank).toBe(1 + ranked.higher);
    // parent = Σnum/Σden over the Bezirksregion's Planungsräume (numerator = rate·EW/100, denominator = EW)
    const rows = (
      await db.query<{ v: number; ew: number }>(
        `SELECT s.value AS v, e.value AS ew FROM observation s JOIN observation e ON e.code = s.code AND e.level = s.level AND e.period = s.period AND e.indicator = 'EW'
        WHERE s.indicator = 'S4' AND s.level = 'plr' AND s.code LIKE '011001%' AND s.value IS NOT NULL`,
      )
    ).rows;
    const expected = (100 * rows.reduce((a, r) => a + (r.v * r.ew) / 100, 0)) / rows.reduce((a, r) => a + r.ew, 0);
    expect(s4.parentValue).toBeCloseTo(expected, 9);
    const mean = rows.reduce((a, r) => a + r.v, 0) / rows.length;
    expect(Math.abs(s4.parentValue - mean)).toBeGreaterThan(1e-6); // not the mean of rates
    expect(s4.regionValue).toBeGreaterThan(0);
  });

  it('shows each indicator at its latest period up to the requested one ("Stand"), with rank and values of that period', async () => {
    type Row = {
      key: string;
      period: string;
      value: number | null;
      rank: number | null;
      n: number;
      regionValue: number | null;
    };
    const at = async (period: string) => {
      const res = await request(app).get(`/api/areas/01100101?level=plr&period=${period}`).expect(200);
      expect(res.body.period).toBe(period);
      return new Map((res.body.indicators as Row[]).map((r) => [r.key, r]));
    };
    const y2020 = await at('2020-12-31');
    expect(y2020.has('EW_U18')).toBe(false); // no register value on or before the MSS date
    const y2024 = await at('2024-12-31');
    expect(y2024.get('EW')).toMatchObject({ period: '2024-12-31', value: 3580 });
    // S4 was last published for 31.12.2020: the same value and rank as at that date
    expect(y2024.get('S4')).toMatchObject({
      period: '2020-12-31',
      value: y2020.get('S4')!.value,
      rank: y2020.get('S4')!.rank,
      n: 531,
    });
    // the region value belongs to the indicator's own period: Σ E_65 / Σ EW of the whole city in
    // 2024 (small areas count towards the city, they are only not shown on their own)
    const sums = (
      await db.query<{ n: number; d: number }>(
        `SELECT sum(value) FILTER (WHERE indicator = 'E_65') AS n, sum(value) FILTER (WHERE indicator = 'EW') AS d
         FROM observation WHERE level = 'plr' AND indicator IN ('E_65', 'EW') AND period = '2024-12-31'`,
      )
    ).rows[0];
    expect(y2024.get('EW_65')!.period).toBe('2024-12-31');
    expect(y2024.get('EW_65')!.regionValue).toBeCloseTo((100 * sums.n) / sums.d, 9);
    // the 30.06.2022 extract has no migration background: KI_05 falls back to 31.12.2021
    const y2022 = await at('2022-06-30');
    expect(y2022.get('KI_05')!.period).toBe('2021-12-31');
    expect(y2022.get('KI_16')!.period).toBe('2022-06-30');
    expect(y2022.get('S1')!.period).toBe('2020-12-31');
  });

  it('aggregates counts as sums: the Bezirksregion EW is the sum of its Planungsräume', async () => {
    for (const period of ['2020-12-31', '2024-12-31']) {
      const agg = await db.query<{ value: number; source: string }>(
        `SELECT value, source FROM indicator_value WHERE level = 'bzr' AND code = '011001' AND indicator = 'EW' AND period = $1`,
        [period],
      );
      expect(agg.rows[0].source).toBe('aggregated');
      const sum = await db.query<{ s: number }>(
        `SELECT sum(value) AS s FROM observation WHERE level = 'plr' AND indicator = 'EW' AND code LIKE '011001%' AND period = $1`,
        [period],
      );
      expect(agg.rows[0].value).toBe(sum.rows[0].s);
    }
  });

  describe('every level answers', () => {
    type V = {
      code: string;
      value: number | null;
      suppressed: boolean;
      suppressionReason: string | null;
      source: string;
      nChildren: number | null;
      nChildrenTotal: number | null;
      coverage: number | null;
      incomplete: boolean;
    };
    const valuesOf = async (
      query: string,
    ): Promise<{ n: number; missing: number; suppressedCount: number; values: V[] }> =>
      (await request(app).get(`/api/values?${query}`).expect(200)).body;

    it('GET /api/values of EW_65 (2024) on bzr, pgr and bez: every area with its value or hidden with a reason', async () => {
      for (const [level, areas] of [
        ['bzr', 143],
        ['pgr', 58],
        ['bez', 12],
      ] as const) {
        const res = await valuesOf(`indicator=EW_65&period=2024-12-31&level=${level}`);
        const codes = (
          await db.query<{ code: string }>('SELECT code FROM area WHERE level = $1 ORDER BY code', [level])
        ).rows.map((r) => r.code);
        expect(codes, level).toHaveLength(areas);
        expect(
          res.values.map((v) => v.code),
          level,
        ).toEqual(codes);
        for (const v of res.values) {
          if (v.suppressed)
            expect(v, `${level} ${v.code}`).toMatchObject({
              value: null,
              suppressionReason: expect.stringMatching(/^(population|secondary)$/),
            });
          else
            expect(v, `${level} ${v.code}`).toMatchObject({
              value: expect.any(Number),
              suppressionReason: null,
              source: 'formula',
            });
        }
        // every parent area has far more than 300 residents: all of them are shown
        expect({ level, n: res.n, missing: res.missing, hidden: res.suppressedCount }).toEqual({
          level,
          n: areas,
          missing: 0,
          hidden: 0,
        });
      }
    });

    it('Mitte (Bezirk 01) on 31.12.2021: 385 692 residents, EW_65 = 49 533 / 385 692', async () => {
      const sums = (
        await db.query<{ ew: number; e65: number }>(
          `SELECT sum(value) FILTER (WHERE indicator = 'EW') AS ew, sum(value) FILTER (WHERE indicator = 'E_65') AS e65
           FROM observation WHERE level = 'plr' AND period = '2021-12-31' AND indicator IN ('EW', 'E_65') AND code LIKE '01%'`,
        )
      ).rows[0];
      expect([sums.ew, sums.e65]).toEqual([385692, 49533]);
      const res = await request(app).get('/api/areas/01?level=bez&period=2021-12-31').expect(200);
      expect(res.body).toMatchObject({
        code: '01',
        name: 'Mitte',
        level: 'bez',
        period: '2021-12-31',
        population: 385692,
        parent: null,
      });
      type Row = {
        key: string;
        value: number | null;
        source: string;
        nChildren: number | null;
        nChildrenTotal: number | null;
        coverage: number | null;
        incomplete: boolean;
      };
      const rows = new Map((res.body.indicators as Row[]).map((r) => [r.key, r]));
      // an aggregated count carries its coverage: the 4 Prognoseräume of Mitte, all with a value
      expect(rows.get('EW')).toMatchObject({
        value: 385692,
        source: 'aggregated',
        nChildren: 4,
        nChildrenTotal: 4,
        coverage: 1,
        incomplete: false,
      });
      expect(rows.get('EW_65')).toMatchObject({ source: 'formula' });
      expect(rows.get('EW_65')!.value).toBeCloseTo((100 * 49533) / 385692, 12);
      const ew65 = (
        await db.query<{ numerator: number; denominator: number }>(
          `SELECT numerator, denominator FROM indicator_value WHERE level = 'bez' AND code = '01' AND indicator = 'EW_65' AND period = '2021-12-31'`,
        )
      ).rows;
      expect(ew65).toEqual([{ numerator: 49533, denominator: 385692 }]);
    });

    it('a formula indicator equals 100 · E_65 / EW of the summed counts on all four levels', async () => {
      const shown: Record<string, number> = {};
      for (const level of ['plr', 'bzr', 'pgr', 'bez']) {
        const counts = await db.query<{ code: string; e65: number | null; ew: number | null }>(
          `SELECT code, max(value) FILTER (WHERE indicator = 'E_65') AS e65, max(value) FILTER (WHERE indicator = 'EW') AS ew
             FROM level_value WHERE level = $1 AND period = '2021-12-31' AND indicator IN ('E_65', 'EW') GROUP BY code`,
          [level],
        );
        const byCode = new Map(counts.rows.map((r) => [r.code, r]));
        const res = await valuesOf(`indicator=EW_65&period=2021-12-31&level=${level}`);
        shown[level] = 0;
        for (const v of res.values) {
          if (v.suppressed) {
            expect(v.value, `${level} ${v.code}`).toBeNull();
            continue;
          }
          const c = byCode.get(v.code)!;
          expect(v.value, `${level} ${v.code}`).toBeCloseTo((100 * c.e65!) / c.ew!, 10);
          shown[level]++;
        }
      }
      // plr: 542 less 5 small areas and the 5 siblings hidden to protect them
      expect(shown).toEqual({ plr: 532, bzr: 143, pgr: 58, bez: 12 });
    });

    it('an aggregate says how much of it the children cover, and the coverage threshold (PUT /api/settings) flags it', async () => {
      // Marzahn Mitte: 10100205 (1 262 of 48 144 residents) has no S1, the other five Planungsräume do
      const profile = await request(app).get('/api/areas/101002?level=bzr&period=2020-12-31').expect(200);
      const s1 = profile.body.indicators.find((i: { key: string }) => i.key === 'S1');
      expect(s1).toMatchObject({ source: 'aggregated', nChildren: 5, nChildrenTotal: 6, incomplete: false });
      expect(s1.coverage).toBeCloseTo(1 - 1262 / 48144, 12);
      const listed = async () =>
        (await valuesOf('indicator=S1&period=2020-12-31&level=bzr')).values.find((v) => v.code === '101002')!;
      expect(await listed()).toMatchObject({
        source: 'aggregated',
        nChildren: 5,
        nChildrenTotal: 6,
        coverage: s1.coverage,
        incomplete: false,
      });
      expect((await request(app).get('/api/settings').expect(200)).body).toEqual({
        suppressionThreshold: 300,
        coverageThreshold: 90,
      });
      try {
        const put = await request(app).put('/api/settings').set(AUTH).send({ coverageThreshold: 98 }).expect(200);
        expect(put.body).toEqual({ suppressionThreshold: 300, coverageThreshold: 98 });
        expect(await listed()).toMatchObject({ coverage: s1.coverage, incomplete: true }); // 97.4 % < 98 %
      } finally {
        await request(app).put('/api/settings').set(AUTH).send({ coverageThreshold: 90 }).expect(200);
      }
      expect((await listed()).incomplete).toBe(false);
      // outside 0–100 %: a 400 naming the field, nothing stored
      const bad = await request(app).put('/api/settings').set(AUTH).send({ coverageThreshold: 120 }).expect(400);
      expect(bad.body.error.message).toContain('coverageThreshold');
      await request(app).put('/api/settings').send({ coverageThreshold: 50 }).expect(401);
      expect((await request(app).get('/api/settings').expect(200)).body).toEqual({
        suppressionThreshold: 300,
        coverageThreshold: 90,
      });
    });

    it('index and class values are not aggregated: SI_N on a parent level is a 400 that says so', async () => {
      expect((await valuesOf('indicator=SI_N&level=plr&period=2020-12-31')).n).toBe(531);
      for (const query of ['indicator=SI_N&level=bzr', 'indicator=SI_N&level=bzr&period=2020-12-31']) {
        const res = await request(app).get(`/api/values?${query}`).expect(400);
        expect(res.body.error.message, query).toContain(
          "ist ein Klassenwert und wird nicht auf die Ebene 'bzr' zusammengefasst",
        );
        expect(res.body.error.details, query).toMatchObject({ level: 'bzr', indicator: 'SI_N', kind: 'class' });
      }
    });
  });

  it('hides suppressed values (fewer than 300 residents, and a sibling of each) and counts them in coverage', async () => {
    const v = await request(app).get('/api/values?indicator=S1&level=plr&period=2020-12-31').expect(200);
    expect(v.body.n).toBe(531);
    expect(v.body.values).toHaveLength(542);
    type V = { code: string; value: number | null; suppressed: boolean; suppressionReason: string | null };
    expect(v.body.values.find((x: V) => x.code === '03400831')).toMatchObject({
      value: null,
      suppressed: true,
      suppressionReason: 'population',
    });
    const hidden = (v.body.values as V[]).filter((x) => x.suppressed);
    expect(hidden.every((x) => x.value === null)).toBe(true);
    expect(hidden.filter((x) => x.suppressionReason === 'population').map((x) => x.code)).toEqual([
      '03300515',
      '03400831',
      '04400725',
      '05300838',
      '06200418',
    ]);
    // secondary: in each of the five Bezirksregionen, the sibling with the fewest residents
    const secondary = hidden.filter((x) => x.suppressionReason === 'secondary').map((x) => x.code);
    expect(secondary).toHaveLength(5);
    const smallest = (
      await db.query<{ code: string }>(
        `SELECT DISTINCT ON (a.parent_code) a.code FROM area a JOIN observation e ON e.level = a.level AND e.code = a.code AND e.indicator = 'EW' AND e.period = '2020-12-31'
        WHERE a.level = 'plr' AND a.parent_code IN ('033005', '034008', '044007', '053008', '062004') AND e.value >= 300
        ORDER BY a.parent_code, e.value, a.code`,
      )
    ).rows.map((r) => r.code);
    expect(secondary).toEqual(smallest);
    expect(v.body.sdDefinition).toMatch(/ddof 0/);
    expect(v.body.min).toBeLessThan(v.body.quantiles.p50);
    const c = await request(app).get('/api/coverage?level=plr&indicator=S1').expect(200);
    expect(c.body).toEqual([
      {
        level: 'plr',
        indicator: 'S1',
        period: '2020-12-31',
        areas: 542,
        withValue: 531,
        suppressed: 10,
        suppressedPopulation: 5,
        suppressedSecondary: 5,
        imported: 542,
        aggregated: 0,
        formula: 0,
        minCoverage: null,
        incomplete: 0,
        importedGaps: 0,
        maxImportedGap: null,
        missing: 1,
      },
    ]);
  });

  it('searches by name', async () => {
    const res = await request(app).get('/api/search?q=Stüler').expect(200);
    expect(res.body[0]).toMatchObject({ code: '01100101', name: 'Stülerstraße', level: 'plr' });
  });

  it('exports CSV with codes as text', async () => {
    const res = await request(app).get('/api/export.csv?level=plr&indicators=EW,S4').expect(200);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('code,name,parent,period,EW,S4');
    expect(lines).toHaveLength(543);
    expect(lines.find((l) => l.startsWith('01100101'))).toBe('01100101,Stülerstraße,011001,2020-12-31,3419,19.39799');
  });

  it('answers bad input with 4xx and a message, never a stack trace', async () => {
    const unknownCode = await request(app).get('/api/areas/99999999?level=plr').expect(404);
    expect(unknownCode.body.error.message).toContain('99999999');
    // Unknown names in the query string are bad requests (400); an unknown code in the path is a 404.
    const badLevel = await request(app).get('/api/values?indicator=S1&level=nope').expect(400);
    expect(badLevel.body.error.message).toContain("'nope'");
    const badIndicator = await request(app).get('/api/values?indicator=XX&level=plr').expect(400);
    expect(badIndicator.body.error.message).toContain("'XX'");
    const badPeriod = await request(app).get('/api/values?indicator=S1&level=plr&period=2019-12-31').expect(400);
    expect(badPeriod.body.error.details.known).toEqual(['2020-12-31']);
    const badBbox = await request(app).get('/api/areas?bbox=1,2,3').expect(400);
    expect(badBbox.body.error.code).toBe('bad_request');
    const injection = await request(app).get("/api/values?indicator=S1';DROP TABLE area;--").expect(400);
    expect(JSON.stringify(injection.body)).not.toMatch(/at .*\.ts/);
    await request(app).get('/api/nothing-here').expect(404);
  });

  it('serves an OpenAPI document listing the read endpoints', async () => {
    const res = await request(app).get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/levels', '/api/areas/{code}', '/api/values', '/api/coverage']),
    );
  });
});

describe(`confidentiality threshold (${backend})`, () => {
  it('is configurable: raising it to 5 000 residents suppresses more areas, and their siblings where one alone would be hidden', async () => {
    const db = await openSampleDb();
    try {
      const count = async (reason: string) =>
        (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM indicator_value WHERE level = 'plr' AND indicator = 'S1' AND suppression_reason = $1`,
            [reason],
          )
        ).rows[0].n;
      expect([await count('population'), await count('secondary')]).toEqual([5, 5]);
      const below = (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM observation WHERE level = 'plr' AND indicator = 'EW' AND period = '2020-12-31' AND (value IS NULL OR value < 5000)`,
        )
      ).rows[0].n;
      expect(below).toBe(150);
      await db.query(`UPDATE setting SET value = '5000' WHERE key = 'suppression_threshold'`);
      await refreshValues(db);
      expect(await count('population')).toBe(below);
      expect(await count('secondary')).toBe(50);
      // the rule behind the 50: no Bezirksregion with two or more Planungsräume has exactly one of them
      // hidden, and a Bezirksregion whose only Planungsraum is hidden is hidden itself
      const groups = (
        await db.query<{ parent: string; children: number; hidden: number; parentHidden: boolean }>(
          `SELECT a.parent_code AS parent, count(*)::int AS children, count(x.code)::int AS hidden,
                EXISTS (SELECT 1 FROM area_suppression p WHERE p.level = 'bzr' AND p.code = a.parent_code AND p.period = '2020-12-31') AS "parentHidden"
           FROM area a LEFT JOIN area_suppression x ON x.level = a.level AND x.code = a.code AND x.period = '2020-12-31'
          WHERE a.level = 'plr' GROUP BY a.parent_code`,
        )
      ).rows;
      expect(groups).toHaveLength(143);
      expect(groups.filter((g) => g.children >= 2 && g.hidden === 1)).toEqual([]);
      expect(groups.filter((g) => g.children === 1 && g.hidden === 1).every((g) => g.parentHidden)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
