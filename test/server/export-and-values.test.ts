/**
 * Read API numbers against independent SQL on the Berlin sample:
 * - GET /api/export.geojson and /api/export.csv: one feature/row per area, the values of the
 *   requested period, suppressed values hidden, codes as text;
 * - GET /api/areas/{code}: regionValue (Σ numerator / Σ denominator · scale) and rank of S4;
 * - GET /api/values: max, mean, population sd and median of S1 recomputed from `observation`.
 * Suppression is recomputed from the raw EW observations (not the indicator_value view), so
 * the view and the services are checked, not echoed: primary (fewer than 300 residents or none
 * known) and secondary (where a Bezirksregion has exactly one small Planungsraum, its sibling with
 * the fewest residents is hidden too, so that the small one cannot be recovered by subtraction).
 * Formula Kennzahlen are recomputed from their counts (Grunddaten) in `observation`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import { parseCsv } from '../../geodata/import/read-csv.js';
import { openSampleDb, backend } from '../helpers/test-db.js';

const silent = { info: () => undefined, error: () => undefined };

interface Feature {
  type: string;
  id: string;
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown[] };
}

describe(`export, area profile and values against SQL (${backend})`, () => {
  let db: Db;
  let app: Express;

  /** Register shares that are formulas over a count: 100 · count / EW (indicators.csv). */
  const SHARE_OF_EW: Record<string, string> = { KI_16: 'E_AUSL', KI_05: 'E_MIG', EW_65: 'E_65' };

  /**
   * The Planungsräume hidden at a period, by reason: 'population' where EW < threshold or no EW,
   * 'secondary' for the sibling with the fewest residents (ties: lower code) in a Bezirksregion
   * with exactly one such small Planungsraum. In the sample no Bezirksregion is small and no
   * group has a second round, so this one pass is the whole rule here.
   */
  async function hiddenAreas(period: string): Promise<Map<string, 'population' | 'secondary'>> {
    const threshold = Number(
      (await db.query<{ value: string }>(`SELECT value FROM setting WHERE key = 'suppression_threshold'`)).rows[0]
        .value,
    );
    const r = await db.query<{ code: string; parent: string; ew: number | null }>(
      `SELECT a.code, a.parent_code AS parent, e.value AS ew FROM area a
         LEFT JOIN observation e ON e.level = a.level AND e.code = a.code AND e.period = $1::date AND e.indicator = 'EW'
        WHERE a.level = 'plr'`,
      [period],
    );
    const hidden = new Map<string, 'population' | 'secondary'>();
    const byParent = new Map<string, { code: string; ew: number | null }[]>();
    for (const row of r.rows) {
      if (row.ew === null || Number(row.ew) < threshold) hidden.set(row.code, 'population');
      byParent.set(row.parent, [
        ...(byParent.get(row.parent) ?? []),
        { code: row.code, ew: row.ew === null ? null : Number(row.ew) },
      ]);
    }
    for (const children of byParent.values()) {
      if (children.length < 2 || children.filter((c) => hidden.has(c.code)).length !== 1) continue;
      const sibling = children
        .filter((c) => !hidden.has(c.code))
        .sort((a, b) => a.ew! - b.ew! || (a.code < b.code ? -1 : 1))[0];
      hidden.set(sibling.code, 'secondary');
    }
    return hidden;
  }

  /** code → indicator → value as the API must show it: null where the area is hidden (hiddenAreas) or has no value. */
  async function expectedValues(period: string, keys: string[]): Promise<Map<string, Record<string, number | null>>> {
    const hidden = await hiddenAreas(period);
    const counts = keys.map((k) => SHARE_OF_EW[k] ?? k);
    const r = await db.query<{ code: string; indicator: string; value: number | null; ew: number | null }>(
      `SELECT o.code, o.indicator, o.value, e.value AS ew
         FROM observation o
         LEFT JOIN observation e ON e.level = o.level AND e.code = o.code AND e.period = o.period AND e.indicator = 'EW'
        WHERE o.level = 'plr' AND o.period = $1::date AND o.indicator = ANY($2::text[])`,
      [period, counts],
    );
    const out = new Map<string, Record<string, number | null>>();
    for (const row of r.rows) {
      const rec = out.get(row.code) ?? {};
      for (const key of keys.filter((k) => (SHARE_OF_EW[k] ?? k) === row.indicator)) {
        const value = SHARE_OF_EW[key]
          ? row.value === null || !row.ew
            ? null
            : (100 * Number(row.value)) / Number(row.ew)
          : row.value === null
            ? null
            : Number(row.value);
        rec[key] = hidden.has(row.code) ? null : value;
      }
      out.set(row.code, rec);
    }
    return out;
  }

  beforeAll(async () => {
    db = await openSampleDb();
    app = createApp({ db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent });
  });
  afterAll(async () => db?.close());

  it('GET /api/export.geojson: 542 features with the 2020-12-31 values, suppressed areas null, codes with leading zeros', async () => {
    const keys = ['EW', 'S1', 'S4'];
    const res = await request(app)
      .get(`/api/export.geojson?level=plr&period=2020-12-31&indicators=${keys.join(',')}`)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(res.headers['content-disposition']).toContain('sozialatlas_plr_2020-12-31.geojson');
    const body = JSON.parse(res.text) as { type: string; columns: string[]; features: Feature[] };
    expect(body.type).toBe('FeatureCollection');
    expect(body.columns).toEqual(['code', 'name', 'parent', 'period', 'EW', 'S1', 'S4']);
    expect(body.features).toHaveLength(542);
    const codes = (
      await db.query<{ code: string }>(`SELECT code FROM area WHERE level = 'plr' ORDER BY code`)
    ).rows.map((r) => r.code);
    expect(body.features.map((f) => f.id)).toEqual(codes);

    const stueler = body.features.find((f) => f.id === '01100101')!;
    expect(stueler.properties).toEqual({
      code: '01100101',
      name: 'Stülerstraße',
      parent: '011001',
      period: '2020-12-31',
      EW: 3419,
      S1: expect.any(Number),
      S4: 19.39799,
    });
    expect(stueler.geometry.type).toBe('MultiPolygon');
    // 424 of the 542 codes start with 0: none lost its leading zero (as an id or a property)
    const zeroLed = body.features.filter((f) => typeof f.id === 'string' && f.id.startsWith('0'));
    expect(zeroLed).toHaveLength(424);
    expect(zeroLed.every((f) => f.properties.code === f.id && /^\d{8}$/.test(f.id))).toBe(true);

    // suppressed: Pankower Tor (no EW) and 05300838 (21 residents), and to protect them the
    // smallest sibling in each of their Bezirksregionen (03400828, 05300840)
    for (const code of ['03400831', '05300838', '03400828', '05300840']) {
      expect(body.features.find((f) => f.id === code)!.properties).toMatchObject({ EW: null, S1: null, S4: null });
    }
    const hidden = await hiddenAreas('2020-12-31');
    expect([...hidden].sort()).toEqual([
      ['03300515', 'population'],
      ['03300517', 'secondary'],
      ['03400828', 'secondary'],
      ['03400831', 'population'],
      ['04400725', 'population'],
      ['04400729', 'secondary'],
      ['05300838', 'population'],
      ['05300840', 'secondary'],
      ['06200418', 'population'],
      ['06200419', 'secondary'],
    ]);
    const expected = await expectedValues('2020-12-31', keys);
    let compared = 0;
    for (const f of body.features) {
      for (const k of keys) {
        const want = expected.get(f.id)?.[k] ?? null;
        expect(f.properties[k], `${f.id} ${k}`).toBe(want);
        if (want !== null) compared++;
      }
    }
    // 537 areas with EW ≥ 300, 5 of them hidden as siblings; S1 and S4 have 536 values each
    // (10100205 is flagged and has none), less the same 5
    expect(compared).toBe(532 + 531 + 531);
  });

  it('GET /api/export.geojson for a register period: the values of that period, the small area hidden although it has a value', async () => {
    const keys = ['EW', 'KI_16'];
    const res = await request(app)
      .get(`/api/export.geojson?level=plr&period=2021-12-31&indicators=${keys.join(',')}`)
      .expect(200);
    const body = JSON.parse(res.text) as { features: Feature[] };
    expect(body.features).toHaveLength(542);
    const by = new Map(body.features.map((f) => [f.id, f.properties]));
    expect(by.get('01100101')).toMatchObject({
      period: '2021-12-31',
      EW: 3406,
      KI_16: expect.closeTo((100 * 1418) / 3406, 9),
    });
    // 05300838 has 33 residents, 15 of them foreigners: a KI_16 of 45.45 % in 2021, both hidden
    const raw = await db.query<{ value: number; numerator: number; denominator: number; suppression_reason: string }>(
      `SELECT value, numerator, denominator, suppression_reason FROM indicator_value WHERE level = 'plr' AND code = '05300838' AND indicator = 'KI_16' AND period = '2021-12-31'`,
    );
    expect(raw.rows[0]).toMatchObject({ numerator: 15, denominator: 33, suppression_reason: 'population' });
    expect(raw.rows[0].value).toBeCloseTo((100 * 15) / 33, 12);
    expect(by.get('05300838')).toMatchObject({ EW: null, KI_16: null });
    expect(by.get('03400831')).toMatchObject({ EW: null, KI_16: null });
    const expected = await expectedValues('2021-12-31', keys);
    let shown = 0;
    for (const [code, props] of by) {
      for (const k of keys) {
        const want = expected.get(code)?.[k] ?? null;
        if (want === null || k === 'EW') expect(props[k], `${code} ${k}`).toBe(want);
        else expect(props[k], `${code} ${k}`).toBeCloseTo(want, 12);
        if (want !== null) shown++;
      }
    }
    // 2021: the same 5 small areas and 5 siblings hidden; Pankower Tor (0 residents) is one of the small ones
    expect(shown).toBe(532 + 532);
    // 2024: the area has 3 580 residents
    const y2024 = JSON.parse(
      (await request(app).get('/api/export.geojson?level=plr&period=2024-12-31&indicators=EW').expect(200)).text,
    ) as { features: Feature[] };
    expect(y2024.features.find((f) => f.id === '01100101')!.properties).toMatchObject({
      period: '2024-12-31',
      EW: 3580,
    });
  });

  it('GET /api/export.csv hides suppressed values and keeps every value of the others', async () => {
    const keys = ['EW', 'S1', 'S4'];
    const res = await request(app)
      .get(`/api/export.csv?level=plr&period=2020-12-31&indicators=${keys.join(',')}`)
      .expect(200);
    const lines = res.text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('code,name,parent,period,EW,S1,S4');
    expect(lines).toHaveLength(543);
    // Read back with the importer's own CSV reader (quoted fields, ',' delimiter).
    const table = parseCsv(res.text, 'export.csv', { delimiter: ',' });
    expect(table.header).toEqual(['code', 'name', 'parent', 'period', 'EW', 'S1', 'S4']);
    const rows = new Map(table.rows.map((f) => [f[0], f]));
    expect(rows.size).toBe(542);
    // the suppressed rows (5 small areas, 5 siblings) carry their code, name and parent, and empty value cells
    for (const code of [
      '03400831',
      '05300838',
      '03300515',
      '04400725',
      '06200418',
      '03400828',
      '05300840',
      '03300517',
      '04400729',
      '06200419',
    ]) {
      const f = rows.get(code)!;
      expect(f, code).toHaveLength(7);
      expect(f[0]).toBe(code);
      expect(f[2]).toBe(code.slice(0, 6));
      expect(f.slice(4), code).toEqual(['', '', '']);
    }
    const expected = await expectedValues('2020-12-31', keys);
    for (const [code, f] of rows) {
      keys.forEach((k, j) => {
        const want = expected.get(code)?.[k] ?? null;
        if (want === null) expect(f[4 + j], `${code} ${k}`).toBe('');
        else expect(Number(f[4 + j]), `${code} ${k}`).toBe(want);
      });
    }
  });

  it('GET /api/areas/01100101: S4 regionValue and rank equal SQL over table observation', async () => {
    const res = await request(app).get('/api/areas/01100101?level=plr&period=2020-12-31').expect(200);
    const s4 = res.body.indicators.find((i: { key: string }) => i.key === 'S4');
    expect(s4).toMatchObject({ period: '2020-12-31', value: 19.39799, suppressed: false, n: 531 });

    const region = (
      await db.query<{ num: number; den: number; scale: number }>(
        `SELECT sum(o.numerator) AS num, sum(o.denominator) AS den, max(i.scale) AS scale
         FROM observation o JOIN indicator i ON i.key = o.indicator
        WHERE o.level = 'plr' AND o.indicator = 'S4' AND o.period = '2020-12-31'
          AND o.numerator IS NOT NULL AND o.denominator IS NOT NULL`,
      )
    ).rows[0];
    expect(Number(region.scale)).toBe(100);
    expect(s4.regionValue).toBeCloseTo((Number(region.scale) * Number(region.num)) / Number(region.den), 9);

    // rank: 1 + the valid (KOM = 0 or absent), shown (hiddenAreas) areas with a higher S4 (polarity +1)
    const hidden = await hiddenAreas('2020-12-31');
    const ranked = (
      await db.query<{ code: string; value: number }>(
        `SELECT s.code, s.value
         FROM observation s
         LEFT JOIN observation k ON k.level = s.level AND k.code = s.code AND k.period = s.period AND k.indicator = 'KOM'
        WHERE s.level = 'plr' AND s.indicator = 'S4' AND s.period = '2020-12-31' AND s.value IS NOT NULL AND COALESCE(k.value, 0) = 0`,
      )
    ).rows.filter((r) => !hidden.has(r.code));
    expect(ranked).toHaveLength(531);
    expect(s4.rank).toBe(1 + ranked.filter((r) => Number(r.value) > s4.value).length);
    expect(s4.rank).toBeGreaterThan(1);
    expect(s4.rank).toBeLessThan(531);
  });

  it('GET /api/areas/03400831 (no residents): S4 value null, suppressed true, no rank', async () => {
    const res = await request(app).get('/api/areas/03400831?level=plr&period=2020-12-31').expect(200);
    expect(res.body.code).toBe('03400831');
    const s4 = res.body.indicators.find((i: { key: string }) => i.key === 'S4');
    expect(s4).toMatchObject({ value: null, suppressed: true, rank: null });
    // the region value is the city's, the same as for any other area
    const other = (
      await request(app).get('/api/areas/01100101?level=plr&period=2020-12-31').expect(200)
    ).body.indicators.find((i: { key: string }) => i.key === 'S4');
    expect(s4.regionValue).toBe(other.regionValue);
    // a small area with a register value: 05300838 (33 residents) hides its 2021 KI_16 of 45.45 %
    const small = await request(app).get('/api/areas/05300838?level=plr&period=2021-12-31').expect(200);
    const ki16 = small.body.indicators.find((i: { key: string }) => i.key === 'KI_16');
    expect(ki16).toMatchObject({ period: '2021-12-31', value: null, suppressed: true, rank: null });
    expect(small.body.population).toBeNull();
  });

  it('GET /api/areas/03400831: n (areas ranked) is the count of ranked areas, 531, as for every other area and in the profile', async () => {
    // area-values.ts says "counts of valued areas per indicator (n) also for indicators where this
    // area has no value"; /profile/{level}/{code} (services/area-profile.ts) gives 536 for every area.
    const res = await request(app).get('/api/areas/03400831?level=plr&period=2020-12-31').expect(200);
    const s4 = res.body.indicators.find((i: { key: string }) => i.key === 'S4');
    const profile = await request(app).get('/profile/plr/03400831?format=json&period=2020-12-31').expect(200);
    const ps4 = (profile.body.indicators as { key: string; n: number; rank: number | null }[]).find(
      (i) => i.key === 'S4',
    )!;
    expect(ps4).toMatchObject({ rank: null, n: 531 });
    expect(s4.n).toBe(531);
  });

  it('GET /api/values S1 2020-12-31: max, mean, sd (ddof 0) and p50 equal SQL on the unsuppressed values', async () => {
    const res = await request(app).get('/api/values?indicator=S1&level=plr&period=2020-12-31').expect(200);
    const hidden = [...(await hiddenAreas('2020-12-31')).keys()];
    const sql = (
      await db.query<{ n: number; max: number; mean: number; sd: number; p50: number; min: number }>(
        `SELECT count(*)::int AS n, max(s.value) AS max, min(s.value) AS min, avg(s.value) AS mean, stddev_pop(s.value) AS sd,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY s.value) AS p50
         FROM observation s
        WHERE s.level = 'plr' AND s.indicator = 'S1' AND s.period = '2020-12-31' AND s.value IS NOT NULL AND s.code <> ALL($1::text[])`,
        [hidden],
      )
    ).rows[0];
    expect(sql.n).toBe(531);
    expect(res.body.n).toBe(531);
    expect(res.body.max).toBe(Number(sql.max));
    expect(res.body.min).toBe(Number(sql.min));
    expect(res.body.mean).toBeCloseTo(Number(sql.mean), 10);
    expect(res.body.sd).toBeCloseTo(Number(sql.sd), 10);
    expect(res.body.quantiles.p50).toBeCloseTo(Number(sql.p50), 10);
    // the same from the listed values by hand: population sd, not the sample sd
    const vals = (res.body.values as { value: number | null }[])
      .map((v) => v.value)
      .filter((v): v is number => v !== null);
    expect(vals).toHaveLength(531);
    const mean = vals.reduce((a, v) => a + v, 0) / vals.length;
    const ss = vals.reduce((a, v) => a + (v - mean) ** 2, 0);
    expect(res.body.sd).toBeCloseTo(Math.sqrt(ss / vals.length), 10);
    expect(Math.abs(res.body.sd - Math.sqrt(ss / (vals.length - 1)))).toBeGreaterThan(1e-4);
    const sorted = [...vals].sort((a, b) => a - b);
    expect(res.body.quantiles.p50).toBeCloseTo(sorted[265], 10); // the middle one of 531
    expect(res.body.suppressedCount).toBe(10);
    expect(res.body.missing).toBe(1);
  });
});
