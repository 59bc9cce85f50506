/**
 * The Germany sample's grid step (loadGermanyGrid, `sozialatlas sample germany --grid DIR`) on the
 * trimmed Bremen + Saarland fixture (test/fixtures/grid: the VG5000 Länder, Kreise and 54 Gemeinden
 * of the two and their 2 968 Zensus cells): the cells go to Gemeinde, Kreis and Land, the Kreis
 * and Land values from the cells win, and the value engine's aggregate of the children — Kreis
 * from its Gemeinden, Land from its Kreise — must equal them (the check) and equal the direct
 * computation from the CSV here in JS: Σ Einwohner, Σ(share·Einwohner)/Σ Einwohner and
 * Σ(mean·Einwohner)/Σ Einwohner over the cells with a value. PGlite and, with DATABASE_URL, the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { importAreas } from '../../geodata/import/index.js';
import { formatGermanyGrid, loadGermanyGrid, type GermanyGridReport } from '../../geodata/sample/germany.js';
import {
  GRID_ESTIMATE_MISSING_SHARE,
  GRID_INDICATORS,
  ZENSUS_2022_PERIOD,
} from '../../geodata/import/grid-aggregate.js';
import { levelValues } from '../../server/services/level-values.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/grid/', import.meta.url));
const CSV = path.join(FIXTURE, 'zensus2022-1km-04-10.csv');
const KREISE = ['04011', '04012', '10041', '10042', '10043', '10044', '10045', '10046'];

type Row = Record<string, string>;

async function readRows(): Promise<Row[]> {
  const [head, ...lines] = (await readFile(CSV, 'utf8')).trim().split('\n');
  const h = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [h[i], v])));
}

/** Σ Einwohner (no column) or Σ(column·Einwohner)/Σ Einwohner over cells with both, from the CSV. */
function direct(rows: Row[], column?: string): number {
  let [num, den] = [0, 0];
  for (const r of rows) {
    if (r.Einwohner === '') continue;
    const ew = Number(r.Einwohner);
    if (!column) {
      num += ew;
      continue;
    }
    if (r[column] === '') continue;
    num += Number(r[column]) * ew;
    den += ew;
  }
  return column ? num / den : num;
}

/** The CSV column of each Zensus indicator (GRID_INDICATORS names the grid_cell column). */
const SOURCE_COLUMN: Record<string, string | undefined> = {
  Z22_EW: undefined,
  Z22_FRAUEN: 'Frauen_A',
  Z22_U18: 'unter18_A',
  Z22_65: 'ab65_A',
  Z22_AUSL: 'Auslaender_A',
  Z22_LEER: 'Leerstandsquote',
  Z22_ALTER: 'Alter_D',
  Z22_HHG: 'HHGroesse_D',
  Z22_WFL_EW: 'Wohnfl_Bew_D',
  Z22_WFL_WHG: 'Wohnfl_Whg_D',
};

describe(`Germany sample: Zensus grid to Gemeinde, Kreis and Land (${backend})`, () => {
  let db: Db;
  let rows: Row[];
  let report: GermanyGridReport;
  const stored = async (level: string, code: string, indicator: string) =>
    (
      await db.query<{ value: number; gap: number | null; source: string }>(
        `SELECT value, imported_gap AS gap, source FROM level_value
          WHERE level = $1 AND code = $2 AND indicator = $3 AND period = $4::date`,
        [level, code, indicator, ZENSUS_2022_PERIOD],
      )
    ).rows[0];

  beforeAll(async () => {
    db = await openTestDb();
    rows = await readRows();
    const geo = { codeField: 'AGS', nameField: 'GEN' };
    await importAreas(db, path.join(FIXTURE, 'land-04-10.geojson'), { level: 'land', levelLabel: 'Land', ...geo });
    await importAreas(db, path.join(FIXTURE, 'kreis-04-10.geojson'), {
      level: 'kreis',
      levelLabel: 'Kreis',
      parentLevel: 'land',
      parentCodePrefix: 2,
      ...geo,
    });
    await importAreas(db, path.join(FIXTURE, 'gemeinde-04-10.geojson'), {
      level: 'gemeinde',
      levelLabel: 'Gemeinde',
      parentLevel: 'kreis',
      parentCodePrefix: 5,
      ...geo,
    });
    report = await loadGermanyGrid(db, CSV, true);
  }, 600_000);

  afterAll(async () => {
    await db?.close();
  });

  it('aggregates the cells to all three levels, no populated cell left outside', () => {
    expect(report.imported.cells).toBe(2968);
    expect(report.aggregated.map((a) => [a.level, a.areas, a.areasTotal, a.cellsOutside])).toEqual([
      ['gemeinde', 54, 54, 0],
      ['kreis', 8, 8, 0],
      ['land', 2, 2, 0],
    ]);
    const population = direct(rows);
    for (const a of report.aggregated) expect(a.population).toBeCloseTo(population, 6);
  });

  it('Kreis values aggregated from the Gemeinden equal the Kreis values from the cells and the CSV', async () => {
    for (const code of KREISE) {
      const cells = rows.filter((r) => r.kreis === code);
      for (const ind of GRID_INDICATORS) {
        const v = await stored('kreis', code, ind.key);
        expect(v.source).toBe('imported');
        const fromGemeinden = v.value - v.gap!;
        const expected = direct(cells, SOURCE_COLUMN[ind.key]);
        expect(Math.abs(v.value / expected - 1), `${code} ${ind.key} aus Zellen`).toBeLessThan(1e-9);
        expect(Math.abs(fromGemeinden / expected - 1), `${code} ${ind.key} aus Gemeinden`).toBeLessThan(1e-9);
      }
    }
  });

  it('Land values equal the cells of the Land and the aggregate of its Kreise', async () => {
    for (const land of ['04', '10']) {
      const cells = rows.filter((r) => r.land === land);
      for (const key of ['Z22_EW', 'Z22_65', 'Z22_HHG']) {
        const v = await stored('land', land, key);
        const expected = direct(cells, SOURCE_COLUMN[key]);
        expect(Math.abs(v.value / expected - 1)).toBeLessThan(1e-9);
        expect(Math.abs((v.value - v.gap!) / expected - 1)).toBeLessThan(1e-9);
      }
    }
    // Bremen and the Saarland: 639 819 and 994 370 residents in their cells (grid.test.ts)
    expect((await stored('land', '04', 'Z22_EW')).value).toBe(639819);
  });

  it('marks a Kreis share or mean as estimated where cells without a value hold over 10 % of its population', async () => {
    // from the CSV: Σ Einwohner of the Kreis's cells without the variable / Σ Einwohner
    const expected: string[] = [];
    for (const code of KREISE) {
      const cells = rows.filter((r) => r.kreis === code && r.Einwohner !== '');
      const total = cells.reduce((a, r) => a + Number(r.Einwohner), 0);
      for (const ind of GRID_INDICATORS) {
        const column = SOURCE_COLUMN[ind.key];
        if (!column) continue;
        const missing = cells.filter((r) => r[column] === '').reduce((a, r) => a + Number(r.Einwohner), 0);
        if (missing / total > GRID_ESTIMATE_MISSING_SHARE) expected.push(`${code} ${ind.key}`);
      }
    }
    expect(expected.length).toBeGreaterThan(0); // living space per dwelling is often kept secret
    const api = await levelValues(db, 'kreis', ZENSUS_2022_PERIOD);
    const marked = api
      .filter((v) => v.estimatedFrom !== null)
      .map((v) => `${v.code} ${v.indicator}`)
      .sort();
    expect(marked).toEqual(expected.sort());
    expect(new Set(api.filter((v) => v.estimatedFrom).map((v) => v.estimatedFrom))).toEqual(
      new Set(['geschätzt aus Ebene z1km']),
    );
  });

  it('reports the check per level and indicator: every Kreis and Land compared, none differing', () => {
    expect(report.check).toHaveLength(2 * GRID_INDICATORS.length);
    for (const c of report.check) {
      expect(c.compared, `${c.level} ${c.indicator}`).toBe(c.level === 'kreis' ? 8 : 2);
      expect(c.differing).toBe(0);
      expect(c.maxRelativeGap).toBeLessThan(1e-9);
    }
    const lines = formatGermanyGrid(report);
    expect(lines[0]).toBe('Zensus-Gitter: 2.968 Zellen, 2.152 besiedelt, 1.634.189 Einwohner');
    expect(lines).toContain('  Prüfung kreis Z22_EW: 8 Gebiete, Wert aus den Zellen = Summe der Teilgebiete');
  });
});
