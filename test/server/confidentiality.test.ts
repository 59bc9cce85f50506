/**
 * Confidentiality against subtraction, played by an attacker who sees public API responses only:
 * for every parent it tries parent − Σ visible children (and the level totals), for the residents
 * (EW) and for numerators rebuilt from a published rate × published population, one round and
 * repeated to a fixpoint (analysis/secondary-suppression.ts: recoverBySubtraction). It must recover
 * no hidden value — on the Berlin sample (plr → bzr → pgr → bez) and on a synthetic hierarchy with
 * planted small areas. Runs on PGlite and, with DATABASE_URL, on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../geodata/db.js';
import { openSampleDb, openTestDb, backend } from '../helpers/test-db.js';
import { recoverBySubtraction, type PublishedLevel } from '../../analysis/secondary-suppression.js';
import { importAreas, importIndicators, importMeta } from '../../geodata/import/index.js';
import { deriveLevel } from '../../geodata/import/derive-level.js';

const silent = { info: () => undefined, error: () => undefined, warn: () => undefined };

interface ValuesBody {
  values: { code: string; value: number | null; suppressed: boolean; suppressionReason?: string | null }[];
}
interface AreasBody {
  features: { properties: { code: string; parent: string | null } }[];
}

/** What the public API publishes of one indicator on one level and period: code → value (null = hidden). */
async function published(
  app: Express,
  indicator: string,
  level: string,
  period: string,
): Promise<Map<string, number | null>> {
  const res = await request(app).get(`/api/values?indicator=${indicator}&level=${level}&period=${period}`).expect(200);
  return new Map((res.body as ValuesBody).values.map((v) => [v.code, v.suppressed ? null : v.value]));
}

/** child codes per parent code, from the public areas GeoJSON of each level. */
async function childrenOf(app: Express, level: string): Promise<Map<string, string[]>> {
  const res = await request(app).get(`/api/areas?level=${level}`).expect(200);
  const children = new Map<string, string[]>();
  for (const f of (res.body as AreasBody).features) {
    if (f.properties.parent === null) continue;
    const list = children.get(f.properties.parent) ?? [];
    list.push(f.properties.code);
    children.set(f.properties.parent, list);
  }
  return children;
}

/**
 * Runs the attacker on EW and on the numerator of `rate` (rate × EW / 100) for one period and
 * returns everything it recovered; also returns how many values were hidden (so the test knows it
 * attacked something).
 */
async function attack(app: Express, levels: string[], rate: string, period: string) {
  const structure = await Promise.all(
    levels.map(async (l, i) => (i === levels.length - 1 ? new Map<string, string[]>() : childrenOf(app, l))),
  );
  // children of level i are listed per parent code on level i + 1: PublishedLevel.children is per parent.
  const hierarchy = async (
    quantity: (level: string) => Promise<Map<string, number | null>>,
  ): Promise<PublishedLevel[]> =>
    Promise.all(levels.map(async (key, i) => ({ key, values: await quantity(key), children: structure[i] })));
  const ew = await hierarchy((l) => published(app, 'EW', l, period));
  const numerator = await hierarchy(async (l) => {
    const pop = await published(app, 'EW', l, period);
    const share = await published(app, rate, l, period);
    return new Map(
      [...pop].map(([code, p]) => {
        const r = share.get(code);
        return [code, p === null || r === null || r === undefined ? null : Math.round((r * p) / 100)];
      }),
    );
  });
  const hidden = ew.reduce((n, l) => n + [...l.values.values()].filter((v) => v === null).length, 0);
  const recovered = [
    ...recoverBySubtraction({ levels: ew }),
    ...recoverBySubtraction({ levels: ew }, { untilFixpoint: true }),
    ...recoverBySubtraction({ levels: numerator }, { untilFixpoint: true }),
  ];
  return { hidden, recovered };
}

describe(`confidentiality against subtraction, public API only (${backend})`, () => {
  describe('Berlin sample: Planungsraum → Bezirksregion → Prognoseraum → Bezirk', () => {
    let db: Db;
    let app: Express;
    beforeAll(async () => {
      db = await openSampleDb();
      app = createApp({ db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent });
    });
    afterAll(async () => db?.close());

    for (const period of ['2021-12-31', '2024-12-31']) {
      it(`recovers no hidden value on ${period} (EW and the EW_65 numerator)`, async () => {
        const { hidden, recovered } = await attack(app, ['plr', 'bzr', 'pgr', 'bez'], 'EW_65', period);
        expect(hidden).toBeGreaterThanOrEqual(10); // 5–6 small Planungsräume and their protecting siblings
        expect(recovered).toEqual([]);
      });
    }

    it('names the reason of every hidden Planungsraum: population or protection of a sibling', async () => {
      const res = await request(app).get('/api/values?indicator=EW&level=plr&period=2021-12-31').expect(200);
      const reasons = (res.body as ValuesBody).values.filter((v) => v.suppressed).map((v) => v.suppressionReason);
      expect(reasons.filter((r) => r === 'population')).toHaveLength(5);
      expect(reasons.filter((r) => r === 'secondary')).toHaveLength(5);
    });

    it('the subtraction that worked before (033005: 38 residents) no longer does', async () => {
      const [plr, bzr] = await Promise.all([
        published(app, 'EW', 'plr', '2021-12-31'),
        published(app, 'EW', 'bzr', '2021-12-31'),
      ]);
      const siblings = [...plr].filter(([code]) => code.startsWith('033005'));
      const hiddenSiblings = siblings.filter(([, v]) => v === null);
      expect(hiddenSiblings.length === 0 || hiddenSiblings.length >= 2).toBe(true);
      expect(bzr.get('033005')).not.toBeNull(); // the parent total stays published
    });
  });

  describe('synthetic hierarchy with planted small areas', () => {
    let db: Db;
    let app: Express;
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-attack-'));
      db = await openTestDb();
      // 6 × 6 cells of 500 m; code = 2-digit district + 2-digit block + 2-digit cell.
      const features: string[] = [];
      const counts = ['id;EW;E_65'];
      let i = 0;
      for (let d = 1; d <= 2; d++) {
        for (let b = 1; b <= 3; b++) {
          for (let c = 1; c <= 6; c++, i++) {
            const x = 13.3 + (i % 6) * 0.007;
            const y = 52.5 + Math.floor(i / 6) * 0.0045;
            const code = `${String(d).padStart(2, '0')}${String(b).padStart(2, '0')}${String(c).padStart(2, '0')}`;
            features.push(
              JSON.stringify({
                type: 'Feature',
                properties: { id: code },
                geometry: {
                  type: 'Polygon',
                  coordinates: [
                    [
                      [x, y],
                      [x + 0.007, y],
                      [x + 0.007, y + 0.0045],
                      [x, y + 0.0045],
                      [x, y],
                    ],
                  ],
                },
              }),
            );
            // Planted: exactly one small cell in blocks 0101, 0102 and 0201; two in 0202; none elsewhere.
            const small =
              code === '010103' || code === '010205' || code === '020101' || code === '020202' || code === '020206';
            const ew = small ? 40 + i : 900 + 37 * i;
            counts.push(`${code};${ew};${Math.floor(ew / 5)}`);
          }
        }
      }
      await writeFile(
        path.join(dir, 'cells.geojson'),
        JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => JSON.parse(f)) }),
      );
      await writeFile(path.join(dir, 'counts.csv'), counts.join('\n') + '\n');
      await writeFile(
        path.join(dir, 'meta.csv'),
        [
          'key;label;kind;scale;formula;visibility',
          'EW;Einwohner;count;1;;public',
          'E_65;ab 65;count;1;;grunddaten',
          'EW_65;Anteil ab 65;rate;100;100 * E_65 / EW;public',
        ].join('\n') + '\n',
      );
      await importMeta(db, path.join(dir, 'meta.csv'));
      await importAreas(db, path.join(dir, 'cells.geojson'), { level: 'cell', codeField: 'id' });
      await deriveLevel(db, { from: 'cell', level: 'block', codeLength: 4 });
      await deriveLevel(db, { from: 'block', level: 'district', codeLength: 2 });
      await importIndicators(db, path.join(dir, 'counts.csv'), {
        level: 'cell',
        codeField: 'id',
        period: '2024-12-31',
      });
      app = createApp({ db, config: { ...configFromEnv({}), apiToken: 'test-token' }, log: silent });
    });
    afterAll(async () => {
      await db?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('hides one sibling next to each lone small cell and recovers nothing', async () => {
      const { hidden, recovered } = await attack(app, ['cell', 'block', 'district'], 'EW_65', '2024-12-31');
      // 5 planted + 3 protecting siblings (block 0202 already has two hidden cells)
      expect(hidden).toBe(8);
      expect(recovered).toEqual([]);
    });

    it('control: with only the primary rule the same attacker recovers every lone planted cell exactly', async () => {
      const res = await request(app).get('/api/values?indicator=EW&level=cell&period=2024-12-31').expect(200);
      // What primary suppression alone would publish: the secondary cells' true values (read from the database).
      const truth = await db.query<{ code: string; value: number }>(
        "SELECT code, value FROM level_value WHERE level = 'cell' AND indicator = 'EW' AND period = '2024-12-31'",
      );
      const trueValue = new Map(truth.rows.map((r) => [r.code, r.value]));
      const primaryOnly = new Map(
        (res.body as ValuesBody).values.map((v) => [
          v.code,
          v.suppressionReason === 'population' ? null : trueValue.get(v.code)!,
        ]),
      );
      const levels: PublishedLevel[] = [
        { key: 'cell', values: primaryOnly, children: await childrenOf(app, 'cell') },
        {
          key: 'block',
          values: await published(app, 'EW', 'block', '2024-12-31'),
          children: await childrenOf(app, 'block'),
        },
        { key: 'district', values: await published(app, 'EW', 'district', '2024-12-31'), children: new Map() },
      ];
      const recovered = recoverBySubtraction({ levels }).filter((r) => r.level === 'cell');
      expect(recovered.map((r) => r.code).sort()).toEqual(['010103', '010205', '020101']);
      for (const r of recovered) expect(r.value).toBe(trueValue.get(r.code));
    });
  });
});
