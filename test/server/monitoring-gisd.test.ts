/**
 * A real time series: the RKI GISD per Kreis 1998–2021 loaded as 24 periods (Länder and Kreise
 * of the VG5000; Gemeinden are left out here to save a minute, the CLI loads them), the change
 * between two years through the API, and a typology per year with the type transition table.
 *
 * The typology service (server/services/typology.ts) was not in the tree when this was written,
 * so the per-year typology uses the pure pipeline analysis/typology.ts: k-means with k = 4 on the
 * GISD score, types ordered by need (Typ 1 = least deprived), so type numbers compare across years.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import type { Db } from '../../server/db/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { loadGermanySample } from '../../server/services/germany-sample.js';
import { levelValues } from '../../server/services/change.js';
import { runTypology } from '../../analysis/typology.js';

const DIR = fileURLToPath(new URL('../../../shared/data/germany-kreise-gisd/', import.meta.url));
const have = existsSync(`${DIR}indicators/GISD_Bund_Kreis.csv`) && existsSync(`${DIR}geometry/VG5000_KRS.shp`);
if (!have) console.warn(`GISD-Daten fehlen unter ${DIR}: Zeitreihen-Test übersprungen`);

const log = { info() {}, error() {} };
let db: Db;
let app: Express;

/** Types of one year: k-means (k = 4, seed 1) on the GISD score of the Kreise with a value. */
async function typologyOf(year: number): Promise<Map<string, number>> {
  const vals = (await levelValues(db, 'kreis', `${year}-12-31`, ['gisd_score'])).filter((v) => v.value !== null);
  const r = runTypology(
    { codes: vals.map((v) => v.code), indicators: [{ key: 'gisd_score', label: 'GISD', polarity: 1 }], raw: Float64Array.from(vals, (v) => v.value as number) },
    { k: 4, seed: 1, restarts: 20, bootstrap: 0 },
  );
  return new Map(r.members.map((m) => [m.code, m.type]));
}

describe.skipIf(!have)(`GISD Kreise 1998–2021 as a time series (${backend})`, () => {
  beforeAll(async () => {
    db = await openTestDb();
    await loadGermanySample(db, DIR, { gemeinden: false });
    app = createApp({ db, config: { ...configFromEnv(), apiToken: 'test-token' }, log });
  }, 600_000);
  afterAll(async () => {
    await db?.close();
  });

  it('loads 16 Länder, 401 Kreise and 24 periods of 400 Kreise', async () => {
    const lv = await request(app).get('/api/levels').expect(200);
    const kreis = lv.body.find((l: { key: string }) => l.key === 'kreis');
    expect(kreis.count).toBe(401);
    expect(kreis.periods).toHaveLength(24);
    expect(kreis.periods[0]).toBe('1998-12-31');
    expect(kreis.periods[23]).toBe('2021-12-31');
    expect(lv.body.find((l: { key: string }) => l.key === 'land').count).toBe(16);
    const n = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE level = 'kreis' AND indicator = 'gisd_score'`);
    expect(n.rows[0].n).toBe(9600);
  });

  it('computes the change of the GISD score between 2011 and 2021', async () => {
    const res = await request(app).get('/api/change').query({ indicator: 'gisd_score', level: 'kreis', from: '2011-12-31', to: '2021-12-31' }).expect(200);
    expect(res.body.members).toHaveLength(401);
    expect(res.body.summary.n).toBe(400); // Eisenach 16056 has a polygon but no GISD row
    const flensburg = res.body.members.find((m: { code: string }) => m.code === '01001');
    const raw = await db.query<{ a: number; b: number }>(
      `SELECT (SELECT value FROM observation WHERE level='kreis' AND code='01001' AND indicator='gisd_score' AND period='2011-12-31') AS a,
              (SELECT value FROM observation WHERE level='kreis' AND code='01001' AND indicator='gisd_score' AND period='2021-12-31') AS b`,
    );
    expect(flensburg.absolute).toBeCloseTo(raw.rows[0].b - raw.rows[0].a, 12);
    expect(res.body.absoluteUnit).toBe('Index 0–1'); // an index, not a rate: no percentage points
    const s = res.body.summary;
    expect(s.improved + s.worsened + s.unchanged).toBe(400);
    // GISD release 2025: deprivation fell in most Kreise over the decade
    expect([s.worsened, s.improved, s.unchanged]).toEqual([63, 336, 1]);
    expect(s.meanAbsolute).toBeCloseTo(-0.0555, 4);
    console.log(`GISD 2011 → 2021: ${s.worsened} Kreise verschlechtert, ${s.improved} verbessert, mittlere Veränderung ${s.meanAbsolute.toFixed(4)} (min ${s.minAbsolute.toFixed(4)}, max ${s.maxAbsolute.toFixed(4)})`);
  });

  it('a typology per year and the type transition table 1998 → 2021', async () => {
    const t1998 = await typologyOf(1998);
    const t2021 = await typologyOf(2021);
    expect(t1998.size).toBe(400);
    expect(t2021.size).toBe(400);
    const table = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    for (const [code, a] of t1998) table[a - 1][t2021.get(code)! - 1]++;
    const total = table.flat().reduce((x, y) => x + y, 0);
    const stayed = table.reduce((s, row, i) => s + row[i], 0);
    console.log('Typ-Übergänge 1998 (Zeilen) → 2021 (Spalten):\n' + table.map((r, i) => `Typ ${i + 1}: ${r.join('\t')}`).join('\n') + `\nblieben im Typ: ${stayed} von ${total}`);
    expect(total).toBe(400);
    // GISD is relative within a year and deprivation is persistent: most Kreise keep their type,
    // and no Kreis jumps from the least to the most deprived type or back.
    expect(stayed).toBeGreaterThan(200);
    expect(table[0][3]).toBe(0);
    expect(table[3][0]).toBe(0);
  });

  it('profiles a Kreis with its Land and change since 1998', async () => {
    const res = await request(app).get('/profile/kreis/01001').query({ format: 'json', since: '1998-12-31' }).expect(200);
    expect(res.body.parent).toMatchObject({ code: '01', level: 'land' });
    const g = res.body.indicators.find((i: { key: string }) => i.key === 'gisd_score');
    expect(g.n).toBe(400);
    expect(g.change.absolute).not.toBeNull();
    const html = await request(app).get('/profile/kreis/01001').expect(200);
    expect(html.text).toContain('© GeoBasis-DE / BKG (2021)');
  });
});
