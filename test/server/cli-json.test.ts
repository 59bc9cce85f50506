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
  const cli = (...args: string[]) =>
    runCli([registerCoreCli, registerMonitoringCli, registerHotspotsCli], () => ctx, ...args);

  beforeAll(async () => {
    db = await openSampleDb();
    ctx = { db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent };
    app = createApp(ctx);
  });
  afterAll(async () => db?.close());

  it('coverage --level plr --json: one row per indicator × period with the documented keys, counts equal SQL and /api/coverage', async () => {
    const r = await cli('coverage', '--level', 'plr', '--json');
    expect(r.exitCode).toBe(0);
    type Row = {
      level: string;
      indicator: string;
      period: string;
      areas: number;
      withValue: number;
      suppressed: number;
      suppressedPopulation: number;
      suppressedSecondary: number;
      imported: number;
      aggregated: number;
      formula: number;
      missing: number;
    };
    const rows = JSON.parse(r.out) as Row[];
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual([
        'aggregated',
        'areas',
        'formula',
        'imported',
        'importedGaps',
        'incomplete',
        'indicator',
        'level',
        'maxImportedGap',
        'minCoverage',
        'missing',
        'period',
        'suppressed',
        'suppressedPopulation',
        'suppressedSecondary',
        'withValue',
      ]);
    }
    // one row per public indicator × period (Grunddaten counts feed the formulas but are not listed)
    const combos = (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT DISTINCT v.indicator, v.period FROM level_value v JOIN indicator i ON i.key = v.indicator AND i.visibility = 'public' WHERE v.level = 'plr') c`,
      )
    ).rows[0].n;
    expect(rows).toHaveLength(combos);
    expect(rows.filter((x) => /^E_/.test(x.indicator))).toEqual([]);
    for (const x of rows) {
      expect(x, `${x.indicator} ${x.period}`).toMatchObject({
        level: 'plr',
        areas: 542,
        aggregated: 0,
        suppressed: x.suppressedPopulation + x.suppressedSecondary,
      });
      expect(x.withValue + x.suppressed + x.missing, `${x.indicator} ${x.period}`).toBe(542);
    }
    const find = (indicator: string, period: string) =>
      rows.find((x) => x.indicator === indicator && x.period === period);
    expect(find('S1', '2020-12-31')).toEqual({
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
    });
    // EW 2024: 6 areas under 300 residents (SQL on the raw observations), and one sibling of each hidden to protect it
    const small = (
      await db.query<{ n: number; valued: number }>(
        `SELECT count(*) FILTER (WHERE value IS NULL OR value < 300)::int AS n, count(*) FILTER (WHERE value >= 300)::int AS valued
         FROM observation WHERE level = 'plr' AND indicator = 'EW' AND period = '2024-12-31'`,
      )
    ).rows[0];
    expect(small.n).toBe(6);
    expect(find('EW', '2024-12-31')).toMatchObject({
      suppressedPopulation: small.n,
      suppressedSecondary: 6,
      suppressed: 12,
      withValue: small.valued - 6,
      imported: 542,
      formula: 0,
    });
    // EW_65 2024 is a formula over the counts E_65 and EW wherever both were delivered
    const counted = (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM observation a JOIN observation e ON e.level = a.level AND e.code = a.code AND e.period = a.period AND e.indicator = 'EW'
        WHERE a.level = 'plr' AND a.indicator = 'E_65' AND a.period = '2024-12-31'`,
      )
    ).rows[0].n;
    expect(find('EW_65', '2024-12-31')).toMatchObject({
      formula: counted,
      imported: 0,
      suppressedPopulation: 6,
      suppressedSecondary: 6,
    });
    // the register: no EW_U18 on the MSS date; 2022 without KI_05
    expect(find('EW_U18', '2020-12-31')).toBeUndefined();
    expect(find('KI_05', '2022-06-30')).toBeUndefined();
    expect(find('EW_U18', '2022-06-30')).toBeDefined();
    const api = await request(app).get('/api/coverage?level=plr').expect(200);
    expect(rows).toEqual(api.body);
    // the period filter
    const only = JSON.parse((await cli('coverage', '--level', 'plr', '--period', '2024-12-31', '--json')).out) as {
      indicator: string;
    }[];
    expect(only.map((x) => x.indicator).sort()).toEqual(['EW', 'EW_65', 'EW_U18', 'KI_05', 'KI_16']);
  });

  it('change --indicator EW --level plr --from 2021-12-31 --to 2024-12-31 --json: keys, values from the database, equal to /api/change', async () => {
    const r = await cli(
      'change',
      '--indicator',
      'EW',
      '--level',
      'plr',
      '--from',
      '2021-12-31',
      '--to',
      '2024-12-31',
      '--json',
    );
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual([
      'indicator',
      'label',
      'kind',
      'unit',
      'polarity',
      'level',
      'levelLabel',
      'from',
      'to',
      'absoluteUnit',
      'relativeUnit',
      'definition',
      'summary',
      'members',
    ]);
    expect(out).toMatchObject({
      indicator: 'EW',
      kind: 'count',
      level: 'plr',
      from: '2021-12-31',
      to: '2024-12-31',
      relativeUnit: '%',
    });
    expect(out.members).toHaveLength(542);
    for (const m of out.members.slice(0, 3))
      expect(Object.keys(m).sort()).toEqual([
        'absolute',
        'code',
        'comparable',
        'direction',
        'from',
        'name',
        'note',
        'relative',
        'to',
      ]);
    const stueler = out.members.find((m: { code: string }) => m.code === '01100101');
    expect(stueler).toMatchObject({ from: 3406, to: 3580, absolute: 174, comparable: true });
    expect(stueler.relative).toBeCloseTo((174 / 3406) * 100, 10);
    // 05300838: 33 → 16 residents, both under the threshold: no numbers
    expect(out.members.find((m: { code: string }) => m.code === '05300838')).toMatchObject({
      from: null,
      to: null,
      absolute: null,
      comparable: false,
      note: expect.stringMatching(/unterdrückt/),
    });
    // every area against SQL on the EW values shown in both periods (not hidden: ≥ 300 residents and
    // not the sibling protecting a small area)
    const sql = await db.query<{ code: string; a: number | null; b: number | null; shown: boolean }>(
      `SELECT a.code, a.value AS a, b.value AS b, NOT a.suppressed AND NOT b.suppressed AS shown
         FROM indicator_value a JOIN indicator_value b ON b.level = a.level AND b.code = a.code AND b.indicator = a.indicator
        WHERE a.level = 'plr' AND a.indicator = 'EW' AND a.period = '2021-12-31' AND b.period = '2024-12-31'`,
    );
    expect(sql.rows).toHaveLength(542);
    const byCode = new Map(out.members.map((m: { code: string }) => [m.code, m]));
    let both = 0;
    let sum = 0;
    for (const row of sql.rows) {
      const m = byCode.get(row.code) as { absolute: number | null };
      const ok = row.shown && row.a !== null && row.b !== null;
      if (ok) expect(Math.min(Number(row.a), Number(row.b)), row.code).toBeGreaterThanOrEqual(300);
      if (!ok) {
        expect(m.absolute, row.code).toBeNull();
        continue;
      }
      both++;
      sum += Number(row.b) - Number(row.a);
      expect(m.absolute, row.code).toBe(Number(row.b) - Number(row.a));
    }
    expect(out.summary.n).toBe(both);
    // the 536 areas with ≥ 300 residents in both periods, less the siblings hidden to protect a small
    // area in 2021 or 2024: 03300517, 03400828, 04400729, 05300840, 06200419 and (2024) 12200414
    expect(both).toBe(536 - 6);
    expect(byCode.get('03300517')).toMatchObject({ from: null, to: null, absolute: null, comparable: false });
    expect(out.summary.meanAbsolute).toBeCloseTo(sum / both, 9);
    const api = await request(app).get('/api/change?indicator=EW&level=plr&from=2021-12-31&to=2024-12-31').expect(200);
    expect(out).toEqual(api.body);
  });

  it('index --level plr --period 2020-12-31 --json: members {code, statusZ, statusClass, dynamicsZ, dynamicsClass}, 536 valid, equal to /api/index', async () => {
    const r = await cli('index', '--level', 'plr', '--period', '2020-12-31', '--json');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['level', 'period', 'method', 'status', 'dynamics', 'counts', 'members']),
    );
    expect(out.status).toMatchObject({ indicators: ['S1', 'S3', 'S4'], validCount: 536 });
    expect(out.dynamics).toMatchObject({ indicators: ['D1', 'D3', 'D4'], validCount: 536 });
    expect(out.members).toHaveLength(542);
    type Member = {
      code: string;
      valid: boolean;
      reason: string | null;
      statusZ: number | null;
      statusClass: string | null;
      dynamicsZ: number | null;
      dynamicsClass: string | null;
    };
    // the 5 areas hidden to protect a small sibling take part in the index, but publish no z-values or classes
    const secondary = new Set(
      (
        await db.query<{ code: string }>(
          `SELECT code FROM area_suppression WHERE level = 'plr' AND period = '2020-12-31' AND reason = 'secondary'`,
        )
      ).rows.map((x) => x.code),
    );
    expect(secondary.size).toBe(5);
    for (const m of out.members as Member[]) {
      const shown = m.valid && !secondary.has(m.code);
      expect(m).toEqual(
        expect.objectContaining({
          code: expect.any(String),
          statusZ: shown ? expect.any(Number) : null,
          dynamicsZ: shown ? expect.any(Number) : null,
        }),
      );
      expect(m).toHaveProperty('statusClass');
      expect(m).toHaveProperty('dynamicsClass');
      expect(m).toHaveProperty('combinedClass'); // documented in the --json help of `index`
    }
    const valid = (out.members as Member[]).filter((m) => m.valid);
    expect(valid).toHaveLength(536);
    expect(out.counts.invalid).toBe(6);
    const shown = valid.filter((m) => !secondary.has(m.code));
    expect(shown).toHaveLength(531);
    expect(shown.every((m) => typeof m.statusClass === 'string' && typeof m.dynamicsClass === 'string')).toBe(true);
    expect(valid.filter((m) => secondary.has(m.code)).map((m) => [m.reason, m.statusClass, m.dynamicsClass])).toEqual(
      Array(5).fill(['geheim (Schutz vor Rückrechnung)', null, null]),
    );
    // the invalid ones are the 5 small areas and the flagged 10100205 (KOM ≠ 0 in the database)
    const kom = (
      await db.query<{ code: string }>(
        `SELECT code FROM observation WHERE level = 'plr' AND indicator = 'KOM' AND period = '2020-12-31' AND value <> 0 ORDER BY code`,
      )
    ).rows.map((x) => x.code);
    expect(
      (out.members as Member[])
        .filter((m) => !m.valid)
        .map((m) => m.code)
        .sort(),
    ).toEqual(kom);
    // the status index recomputed from the raw S1, S3, S4 of the 536 valid areas (KOM = 0): z per
    // indicator (population sd), polarity-adjusted sum, re-standardised to mean 0 and population sd 1
    const raw = (
      await db.query<{ code: string; indicator: string; value: number; polarity: number }>(
        `SELECT s.code, s.indicator, s.value, i.polarity::int AS polarity FROM observation s
         JOIN indicator i ON i.key = s.indicator
         JOIN observation k ON k.level = s.level AND k.code = s.code AND k.period = s.period AND k.indicator = 'KOM'
        WHERE s.level = 'plr' AND s.indicator IN ('S1', 'S3', 'S4') AND s.period = '2020-12-31' AND k.value = 0`,
      )
    ).rows;
    const standardise = (xs: number[]) => {
      const m = xs.reduce((a, v) => a + v, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, v) => a + (v - m) ** 2, 0) / xs.length);
      return xs.map((v) => (v - m) / sd);
    };
    const codes = [...new Set(raw.map((x) => x.code))].sort();
    expect(codes).toHaveLength(536);
    const sums = new Array<number>(codes.length).fill(0);
    for (const key of ['S1', 'S3', 'S4']) {
      const rows = new Map(raw.filter((x) => x.indicator === key).map((x) => [x.code, x]));
      standardise(codes.map((c) => Number(rows.get(c)!.value))).forEach(
        (z, i) => (sums[i] += rows.get(codes[i])!.polarity * z),
      );
    }
    const statusZ = new Map(standardise(sums).map((z, i) => [codes[i], z]));
    for (const m of shown) expect(m.statusZ, m.code).toBeCloseTo(statusZ.get(m.code)!, 10);
    // the class counts add up to the valid areas
    expect(Object.values(out.counts.status as Record<string, number>).reduce((a, v) => a + v, 0)).toBe(536);
    // S1 mean used by the index equals SQL over the valid areas
    const s1 = (
      await db.query<{ mean: number }>(
        `SELECT avg(s.value) AS mean FROM observation s JOIN observation k ON k.level = s.level AND k.code = s.code AND k.period = s.period AND k.indicator = 'KOM'
        WHERE s.level = 'plr' AND s.indicator = 'S1' AND s.period = '2020-12-31' AND k.value = 0`,
      )
    ).rows[0];
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
    const r = await cli(
      'hotspots',
      '--level',
      args.level,
      '--period',
      args.period,
      '--indicator',
      args.indicator,
      '--weights',
      args.weights,
      '--permutations',
      String(args.permutations),
      '--seed',
      String(args.seed),
      '--json',
    );
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(['runId', 'params', 'dropped', 'islands', 'global', 'members', 'classThresholds']);
    expect(out.params).toMatchObject({ weights: 'queen', permutations: 99, seed: 3, correction: 'fdr' });
    expect(Object.keys(out.global).sort()).toEqual(['I', 'expectedI', 'p', 'pPermutation', 'variance', 'z']);
    expect(out.global.expectedI).toBeCloseTo(-1 / 535, 12);
    expect(out.dropped.sort()).toEqual(['03300515', '03400831', '04400725', '05300838', '06200418', '10100205']);
    // 536 areas analysed (n − 1 = 535 above); the 5 hidden to protect a small sibling take part but
    // are never published: 531 members
    const analysed = (
      await db.query<{ n: number }>('SELECT count(*)::int AS n FROM hotspot_member WHERE run_id = $1', [out.runId])
    ).rows[0].n;
    expect(analysed).toBe(536);
    const secondary = (
      await db.query<{ code: string }>(
        `SELECT code FROM area_suppression WHERE level = 'plr' AND period = '2020-12-31' AND reason = 'secondary' ORDER BY code`,
      )
    ).rows.map((x) => x.code);
    expect(secondary).toEqual(['03300517', '03400828', '04400729', '05300840', '06200419']);
    // the run analysed 536 areas (stored internally); its answer (as POST /api/hotspots gives it) publishes
    // every analysed area except the secondary-hidden ones ...
    const analysedCodes = (
      await db.query<{ code: string }>('SELECT code FROM hotspot_member WHERE run_id = $1 ORDER BY code', [out.runId])
    ).rows.map((x) => x.code);
    expect(analysedCodes).toHaveLength(536);
    expect(out.members).toHaveLength(531);
    expect((out.members as { code: string }[]).map((m) => m.code).sort()).toEqual(
      analysedCodes.filter((c) => !secondary.includes(c)),
    );
    expect(Object.keys(out.members[0]).slice(0, 10)).toEqual([
      'code',
      'neighbours',
      'lisaI',
      'lisaZ',
      'lisaP',
      'lisaPPermutation',
      'quadrant',
      'giZ',
      'giP',
      'class',
    ]);
    // ... and the published members under its run id are exactly those
    const stored = await request(app).get(`/api/hotspots/${out.runId}/members`).expect(200);
    expect(stored.body).toHaveLength(531);
    expect(stored.body).toEqual(out.members);
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
    const codes = (
      await db.query<{ code: string }>(`SELECT code FROM area WHERE level = 'plr' ORDER BY code`)
    ).rows.map((x) => x.code);
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
