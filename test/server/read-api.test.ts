import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import { migrate } from '../../server/db/migrate.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };

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

  it('lists the two sample levels with their counts, periods and default period', async () => {
    const res = await request(app).get('/api/levels').expect(200);
    expect(res.body.map((l: { key: string; count: number }) => [l.key, l.count])).toEqual([['plr', 542], ['bzr', 143]]);
    expect(res.body[0].parentLevel).toBe('bzr');
    expect(res.body[0].periods).toEqual(['2020-12-31', '2021-12-31', '2022-06-30', '2024-12-31']);
    // 2024 has the 5 register indicators only; the MSS date with 29 indicators stays the default
    expect(res.body[0].defaultPeriod).toBe('2020-12-31');
  });

  it('has the Einwohnerregister series with its counts: EW, under-18s, 65 and over, foreigners', async () => {
    const res = await request(app).get('/api/indicators?level=plr').expect(200);
    const periodsOf = (k: string) => res.body.find((i: { key: string }) => i.key === k).periods;
    expect(periodsOf('EW')).toEqual(['2020-12-31', '2021-12-31', '2022-06-30', '2024-12-31']);
    expect(periodsOf('KI_16')).toEqual(['2020-12-31', '2021-12-31', '2022-06-30', '2024-12-31']);
    expect(periodsOf('KI_05')).toEqual(['2020-12-31', '2021-12-31', '2024-12-31']); // not in the 2022 extract
    expect(periodsOf('EW_U18')).toEqual(['2021-12-31', '2022-06-30', '2024-12-31']);
    // Stülerstraße 31.12.2021 (open-lifeworlds t2): 3 406 residents, 161 + 176 + 28 under 18, 715 aged 65+
    const o = await db.query<{ indicator: string; value: number; numerator: number | null; denominator: number | null }>(
      `SELECT indicator, value, numerator, denominator FROM observation WHERE level = 'plr' AND code = '01100101' AND period = '2021-12-31' ORDER BY indicator`,
    );
    const by = Object.fromEntries(o.rows.map((r) => [r.indicator, r]));
    expect(by.EW).toMatchObject({ value: 3406, numerator: null, denominator: null });
    expect(by.EW_U18).toMatchObject({ numerator: 365, denominator: 3406 });
    expect(by.EW_U18.value).toBeCloseTo((100 * 365) / 3406, 12);
    expect(by.EW_65).toMatchObject({ numerator: 715, denominator: 3406 });
    expect(by.KI_16).toMatchObject({ numerator: 1418, denominator: 3406 });
    // Pankower Tor has no residents: no shares, and the 2022 extract does not publish it at all
    const pt = await db.query<{ period: string; indicator: string; value: number | null }>(
      `SELECT period::text AS period, indicator, value FROM observation WHERE level = 'plr' AND code = '03400831' AND indicator IN ('EW', 'EW_U18') AND period > '2020-12-31' ORDER BY 1, 2`,
    );
    expect(pt.rows.map((r) => [r.period, r.indicator, r.value])).toEqual([
      ['2021-12-31', 'EW', 0], ['2021-12-31', 'EW_U18', null],
      ['2022-06-30', 'EW', null], ['2022-06-30', 'EW_U18', null],
      ['2024-12-31', 'EW', 0], ['2024-12-31', 'EW_U18', null],
    ]);
  });

  it('aggregates the register shares of a Bezirksregion as Σ numerator / Σ denominator', async () => {
    const agg = await db.query<{ value: number }>(`SELECT value FROM aggregated_value WHERE level = 'bzr' AND code = '011001' AND indicator = 'EW_65' AND period = '2024-12-31'`);
    const sums = await db.query<{ n: number; d: number }>(
      `SELECT sum(numerator) AS n, sum(denominator) AS d FROM observation WHERE level = 'plr' AND indicator = 'EW_65' AND period = '2024-12-31' AND code LIKE '011001%'`,
    );
    expect(agg.rows[0].value).toBeCloseTo((100 * sums.rows[0].n) / sums.rows[0].d, 10);
  });

  it('lists indicators with German labels and polarity', async () => {
    const res = await request(app).get('/api/indicators').expect(200);
    const s4 = res.body.find((i: { key: string }) => i.key === 'S4');
    expect(s4).toMatchObject({ label: 'Kinderarmut', unit: '%', topic: 'Familie', polarity: 1, kind: 'rate', periods: ['2020-12-31'] });
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
    expect(res.body).toMatchObject({ code: '01100101', name: 'Stülerstraße', level: 'plr', period: '2020-12-31', population: 3419 });
    expect(res.body.parent).toMatchObject({ code: '011001', level: 'bzr' });
    const s4 = res.body.indicators.find((i: { key: string }) => i.key === 'S4');
    expect(s4.value).toBeCloseTo(19.39799, 5);
    expect(s4.n).toBe(536);
    expect(s4.rank).toBeGreaterThanOrEqual(1);
    expect(s4.rank).toBeLessThanOrEqual(536);
    // parent = Σnum/Σden over the Bezirksregion's Planungsräume (numerator = rate·EW/100, denominator = EW)
    const rows = (await db.query<{ v: number; ew: number }>(
      `SELECT s.value AS v, e.value AS ew FROM observation s JOIN observation e ON e.code = s.code AND e.level = s.level AND e.period = s.period AND e.indicator = 'EW'
        WHERE s.indicator = 'S4' AND s.level = 'plr' AND s.code LIKE '011001%' AND s.value IS NOT NULL`)).rows;
    const expected = (100 * rows.reduce((a, r) => a + (r.v * r.ew) / 100, 0)) / rows.reduce((a, r) => a + r.ew, 0);
    expect(s4.parentValue).toBeCloseTo(expected, 9);
    const mean = rows.reduce((a, r) => a + r.v, 0) / rows.length;
    expect(Math.abs(s4.parentValue - mean)).toBeGreaterThan(1e-6); // not the mean of rates
    expect(s4.regionValue).toBeGreaterThan(0);
  });

  it('shows each indicator at its latest period up to the requested one ("Stand"), with rank and values of that period', async () => {
    type Row = { key: string; period: string; value: number | null; rank: number | null; n: number; regionValue: number | null };
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
    expect(y2024.get('S4')).toMatchObject({ period: '2020-12-31', value: y2020.get('S4')!.value, rank: y2020.get('S4')!.rank, n: 536 });
    // the region value belongs to the indicator's own period: Σ numerator / Σ denominator of the
    // whole city in 2024 (small areas count towards the city, they are only not shown on their own)
    const sums = (await db.query<{ n: number; d: number }>(
      `SELECT sum(numerator) AS n, sum(denominator) AS d FROM observation WHERE level = 'plr' AND indicator = 'EW_65' AND period = '2024-12-31'`,
    )).rows[0];
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
      const agg = await db.query<{ value: number }>(`SELECT value FROM aggregated_value WHERE level = 'bzr' AND code = '011001' AND indicator = 'EW' AND period = $1`, [period]);
      const sum = await db.query<{ s: number }>(`SELECT sum(value) AS s FROM observation WHERE level = 'plr' AND indicator = 'EW' AND code LIKE '011001%' AND period = $1`, [period]);
      expect(agg.rows[0].value).toBe(sum.rows[0].s);
    }
  });

  it('hides suppressed values (fewer than 300 residents) and counts them in coverage', async () => {
    const v = await request(app).get('/api/values?indicator=S1&level=plr&period=2020-12-31').expect(200);
    expect(v.body.n).toBe(536);
    expect(v.body.values).toHaveLength(542);
    expect(v.body.values.find((x: { code: string }) => x.code === '03400831')).toMatchObject({ value: null, suppressed: true });
    expect(v.body.sdDefinition).toMatch(/ddof 0/);
    expect(v.body.min).toBeLessThan(v.body.quantiles.p50);
    const c = await request(app).get('/api/coverage?level=plr&indicator=S1').expect(200);
    expect(c.body).toEqual([{ level: 'plr', indicator: 'S1', period: '2020-12-31', areas: 542, withValue: 536, suppressed: 5, missing: 1 }]);
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
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/levels', '/api/areas/{code}', '/api/values', '/api/coverage']));
  });
});

describe(`confidentiality threshold (${backend})`, () => {
  it('is configurable: raising it to 5 000 residents suppresses more areas', async () => {
    const db = await openSampleDb();
    try {
      const count = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM indicator_value WHERE level = 'plr' AND indicator = 'S1' AND suppressed`)).rows[0].n;
      expect(await count()).toBe(5);
      const below = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE level = 'plr' AND indicator = 'EW' AND period = '2020-12-31' AND (value IS NULL OR value < 5000)`)).rows[0].n;
      await db.query(`UPDATE setting SET value = '5000' WHERE key = 'suppression_threshold'`);
      expect(await count()).toBe(below);
      expect(below).toBeGreaterThan(100);
    } finally {
      await db.close();
    }
  });
});
