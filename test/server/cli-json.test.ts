/**
 * `sozialatlas … --json` on the Berlin sample, run in-process through the registered commander
 * commands (as typology.test.ts and import-cli.test.ts do): coverage, change, index, hotspots and
 * weights print the documented keys, and their numbers equal the database and the API answer
 * for the same request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { AppContext } from '../../server/context.js';
import type { Db } from '../../geodata/db.js';
import { registerCoreCli } from '../../server/cli/core.js';
import { registerMonitoringCli } from '../../server/cli/monitoring.js';
import { registerHotspotsCli } from '../../server/cli/hotspots.js';
import { openSampleDb, backend } from '../helpers/test-db.js';
import { runCli } from '../helpers/run-cli.js';

const silent = { info: () => undefined, error: () => undefined };
const AUTH = { Authorization: 'Bearer test-token' };

describe(`CLI --json output on the Berlin sample (${backend})`, () => {
  let db: Db;
  let app: Express;
  let ctx: AppContext;

  /** Runs `sozialatlas <args>` against the test database; stdout, stderr and the exit code. */
  const cli = (...args: string[]) => runCli([registerCoreCli, registerMonitoringCli, registerHotspotsCli], () => ctx, ...args);

  beforeAll(async () => {
    db = await openSampleDb();
    ctx = { db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent };
    app = createApp(ctx);
  });
  afterAll(async () => db?.close());

  it('coverage --level plr --json: one row per indicator × period with the documented keys, counts equal SQL and /api/coverage', async () => {
    const r = await cli('coverage', '--level', 'plr', '--json');
    expect(r.exitCode).toBe(0);
    const rows = JSON.parse(r.out) as { level: string; indicator: string; period: string; areas: number; withValue: number; suppressed: number; missing: number }[];
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['areas', 'indicator', 'level', 'missing', 'period', 'suppressed', 'withValue']);
    const combos = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT DISTINCT indicator, period FROM observation WHERE level = 'plr') c`)).rows[0].n;
    expect(rows).toHaveLength(combos);
    expect(rows.every((x) => x.level === 'plr' && x.areas === 542 && x.withValue + x.suppressed + x.missing === 542)).toBe(true);
    const find = (indicator: string, period: string) => rows.find((x) => x.indicator === indicator && x.period === period);
    expect(find('S1', '2020-12-31')).toEqual({ level: 'plr', indicator: 'S1', period: '2020-12-31', areas: 542, withValue: 536, suppressed: 5, missing: 1 });
    // EW 2024: 6 areas under 300 residents (SQL on the raw observations)
    const small = (await db.query<{ n: number; valued: number }>(
      `SELECT count(*) FILTER (WHERE value IS NULL OR value < 300)::int AS n, count(*) FILTER (WHERE value >= 300)::int AS valued
         FROM observation WHERE level = 'plr' AND indicator = 'EW' AND period = '2024-12-31'`,
    )).rows[0];
    expect(small.n).toBe(6);
    expect(find('EW', '2024-12-31')).toMatchObject({ suppressed: small.n, withValue: small.valued });
    // the register: no EW_U18 on the MSS date; 2022 without KI_05
    expect(find('EW_U18', '2020-12-31')).toBeUndefined();
    expect(find('KI_05', '2022-06-30')).toBeUndefined();
    expect(find('EW_U18', '2022-06-30')).toBeDefined();
    const api = await request(app).get('/api/coverage?level=plr').expect(200);
    expect(rows).toEqual(api.body);
    // the period filter
    const only = JSON.parse((await cli('coverage', '--level', 'plr', '--period', '2024-12-31', '--json')).out) as { indicator: string }[];
    expect(only.map((x) => x.indicator).sort()).toEqual(['EW', 'EW_65', 'EW_U18', 'KI_05', 'KI_16']);
  });

  it('change --indicator EW --level plr --from 2021-12-31 --to 2024-12-31 --json: keys, values from the database, equal to /api/change', async () => {
    const r = await cli('change', '--indicator', 'EW', '--level', 'plr', '--from', '2021-12-31', '--to', '2024-12-31', '--json');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(['indicator', 'label', 'kind', 'unit', 'polarity', 'level', 'levelLabel', 'from', 'to', 'absoluteUnit', 'relativeUnit', 'definition', 'summary', 'members']);
    expect(out).toMatchObject({ indicator: 'EW', kind: 'count', level: 'plr', from: '2021-12-31', to: '2024-12-31', relativeUnit: '%' });
    expect(out.members).toHaveLength(542);
    for (const m of out.members.slice(0, 3)) expect(Object.keys(m).sort()).toEqual(['absolute', 'code', 'comparable', 'direction', 'from', 'name', 'note', 'relative', 'to']);
    const stueler = out.members.find((m: { code: string }) => m.code === '01100101');
    expect(stueler).toMatchObject({ from: 3406, to: 3580, absolute: 174, comparable: true });
    expect(stueler.relative).toBeCloseTo((174 / 3406) * 100, 10);
    // 05300838: 33 → 16 residents, both under the threshold: no numbers
    expect(out.members.find((m: { code: string }) => m.code === '05300838')).toMatchObject({ from: null, to: null, absolute: null, comparable: false, note: expect.stringMatching(/unterdrückt/) });
    // every area against SQL on the raw EW values (≥ 300 in both periods)
    const sql = await db.query<{ code: string; a: number | null; b: number | null }>(
      `SELECT a.code, a.value AS a, b.value AS b FROM observation a JOIN observation b ON b.level = a.level AND b.code = a.code AND b.indicator = a.indicator
        WHERE a.level = 'plr' AND a.indicator = 'EW' AND a.period = '2021-12-31' AND b.period = '2024-12-31'`,
    );
    const byCode = new Map(out.members.map((m: { code: string }) => [m.code, m]));
    let both = 0;
    let sum = 0;
    for (const row of sql.rows) {
      const m = byCode.get(row.code) as { absolute: number | null };
      const ok = row.a !== null && row.b !== null && Number(row.a) >= 300 && Number(row.b) >= 300;
      if (!ok) {
        expect(m.absolute, row.code).toBeNull();
        continue;
      }
      both++;
      sum += Number(row.b) - Number(row.a);
      expect(m.absolute, row.code).toBe(Number(row.b) - Number(row.a));
    }
    expect(out.summary.n).toBe(both);
    expect(both).toBe(536);
    expect(out.summary.meanAbsolute).toBeCloseTo(sum / both, 9);
    const api = await request(app).get('/api/change?indicator=EW&level=plr&from=2021-12-31&to=2024-12-31').expect(200);
    expect(out).toEqual(api.body);
  });

  it('index --level plr --period 2020-12-31 --json: members {code, statusZ, statusClass, dynamicsZ, dynamicsClass}, 536 valid, equal to /api/index', async () => {
    const r = await cli('index', '--level', 'plr', '--period', '2020-12-31', '--json');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['level', 'period', 'method', 'status', 'dynamics', 'counts', 'members']));
    expect(out.status).toMatchObject({ indicators: ['S1', 'S3', 'S4'], validCount: 536 });
    expect(out.dynamics).toMatchObject({ indicators: ['D1', 'D3', 'D4'], validCount: 536 });
    expect(out.members).toHaveLength(542);
    type Member = { code: string; valid: boolean; statusZ: number | null; statusClass: string | null; dynamicsZ: number | null; dynamicsClass: string | null };
    for (const m of out.members as Member[]) {
      expect(m).toEqual(expect.objectContaining({ code: expect.any(String), statusZ: m.valid ? expect.any(Number) : null, dynamicsZ: m.valid ? expect.any(Number) : null }));
      expect(m).toHaveProperty('statusClass');
      expect(m).toHaveProperty('dynamicsClass');
      expect(m).toHaveProperty('combinedClass'); // documented in the --json help of `index`
    }
    const valid = (out.members as Member[]).filter((m) => m.valid);
    expect(valid).toHaveLength(536);
    expect(out.counts.invalid).toBe(6);
    expect(valid.every((m) => typeof m.statusClass === 'string' && typeof m.dynamicsClass === 'string')).toBe(true);
    // the invalid ones are the 5 small areas and the flagged 10100205 (KOM ≠ 0 in the database)
    const kom = (await db.query<{ code: string }>(`SELECT code FROM observation WHERE level = 'plr' AND indicator = 'KOM' AND period = '2020-12-31' AND value <> 0 ORDER BY code`)).rows.map((x) => x.code);
    expect((out.members as Member[]).filter((m) => !m.valid).map((m) => m.code).sort()).toEqual(kom);
    // the status index is re-standardised: mean 0, population sd 1 over the valid areas
    const z = valid.map((m) => m.statusZ!);
    const mean = z.reduce((a, v) => a + v, 0) / z.length;
    expect(mean).toBeCloseTo(0, 10);
    expect(Math.sqrt(z.reduce((a, v) => a + (v - mean) ** 2, 0) / z.length)).toBeCloseTo(1, 10);
    // the class counts add up to the valid areas
    expect(Object.values(out.counts.status as Record<string, number>).reduce((a, v) => a + v, 0)).toBe(536);
    // S1 mean used by the index equals SQL over the valid areas
    const s1 = (await db.query<{ mean: number }>(
      `SELECT avg(s.value) AS mean FROM observation s JOIN observation k ON k.level = s.level AND k.code = s.code AND k.period = s.period AND k.indicator = 'KOM'
        WHERE s.level = 'plr' AND s.indicator = 'S1' AND s.period = '2020-12-31' AND k.value = 0`,
    )).rows[0];
    expect(out.status.means[0]).toBeCloseTo(Number(s1.mean), 10);
    const api = await request(app).get('/api/index?level=plr&period=2020-12-31').expect(200);
    expect(out).toEqual(api.body);
  });

  it('index with an unknown level: the API message, exit code 2, nothing on stdout', async () => {
    const r = await cli('index', '--level', 'mars', '--period', '2020-12-31', '--json');
    expect(r.exitCode).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Fehler: .*'mars'/);
  });

  it('hotspots --json: the documented keys, and the same numbers as POST /api/hotspots with the same parameters', async () => {
    const args = { level: 'plr', period: '2020-12-31', indicator: 'S4', weights: 'queen', permutations: 99, seed: 3 };
    const r = await cli('hotspots', '--level', args.level, '--period', args.period, '--indicator', args.indicator, '--weights', args.weights,
      '--permutations', String(args.permutations), '--seed', String(args.seed), '--json');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(['runId', 'params', 'dropped', 'islands', 'global', 'members', 'classThresholds']);
    expect(out.params).toMatchObject({ weights: 'queen', permutations: 99, seed: 3, correction: 'fdr' });
    expect(Object.keys(out.global).sort()).toEqual(['I', 'expectedI', 'p', 'pPermutation', 'variance', 'z']);
    expect(out.global.expectedI).toBeCloseTo(-1 / 535, 12);
    expect(out.dropped.sort()).toEqual(['03300515', '03400831', '04400725', '05300838', '06200418', '10100205']);
    expect(out.members).toHaveLength(536);
    expect(Object.keys(out.members[0]).slice(0, 10)).toEqual(['code', 'neighbours', 'lisaI', 'lisaZ', 'lisaP', 'lisaPPermutation', 'quadrant', 'giZ', 'giP', 'class']);
    // stored under its run id
    const stored = await request(app).get(`/api/hotspots/${out.runId}/members`).expect(200);
    expect(stored.body).toHaveLength(536);
    const api = (await request(app).post('/api/hotspots').set(AUTH).send(args).expect(201)).body;
    expect(api.runId).not.toBe(out.runId);
    expect(out.global).toEqual(api.global);
    expect(out.members).toEqual(api.members);
    expect(out.classThresholds).toEqual(api.classThresholds);
    // Moran's I from the definition on the CLI's own members would need the weights; at least the
    // sign: child poverty clusters strongly in Berlin
    expect(out.global.I).toBeGreaterThan(0.5);
    expect(out.global.pPermutation).toBe(0.01); // 1 / (99 + 1): no permutation reaches the observed I
  });

  it('weights --type queen --level plr --json: 542 sorted ids, 3 238 links, sorted and symmetric lists, equal to /api/weights', async () => {
    const r = await cli('weights', '--type', 'queen', '--level', 'plr', '--json');
    expect(r.exitCode).toBe(0);
    // keys in the order printed (JSON.parse would move integer-like codes such as 10100205 first)
    const printedKeys = [...r.out.matchAll(/"(\d+)":\[/g)].map((m) => m[1]);
    expect(printedKeys).toHaveLength(542);
    expect(printedKeys).toEqual([...printedKeys].sort());
    expect(printedKeys[0]).toBe('01100101');
    const lists = JSON.parse(r.out) as Record<string, string[]>;
    expect(Object.keys(lists)).toHaveLength(542);
    const codes = (await db.query<{ code: string }>(`SELECT code FROM area WHERE level = 'plr' ORDER BY code`)).rows.map((x) => x.code);
    expect([...printedKeys]).toEqual(codes);
    let links = 0;
    for (const [c, l] of Object.entries(lists)) {
      links += l.length;
      expect(l, c).toEqual([...l].sort());
      expect(new Set(l).size, c).toBe(l.length);
      expect(l, c).not.toContain(c);
      for (const n of l) expect(lists[n], `${n} → ${c}`).toContain(c);
    }
    expect(links).toBe(3238);
    const api = await request(app).get('/api/weights?level=plr&type=queen').expect(200);
    expect(api.body.nLinks).toBe(3238);
    expect(lists).toEqual(api.body.lists);
  });
});
