/**
 * The Zensus grid to areas on a trimmed real subset (test/fixtures/grid, built by build-fixture.ts
 * from the shared data): the 2 968 Zensus 2022 1-km cells whose centre lies in Bremen or the
 * Saarland, with the VG5000 Länder and Kreise of the two. The fixture names each cell's Land and
 * Kreis, so the known answers are sums over the CSV computed here in JS: the population of every
 * Land (aggregated by the value engine from the Kreise) and of every Kreis equals the sum of its
 * cells, and the Kreis shares equal Σ(share·population)/Σpopulation of the cells with a value.
 * Runs on PGlite and, with DATABASE_URL, on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { importAreas, ImportError } from '../../geodata/import/index.js';
import { importGrid, type GridImportReport } from '../../geodata/import/grid.js';
import { aggregateGrid, type GridAggregateReport } from '../../geodata/import/grid-aggregate.js';
import { registerImportCli } from '../../server/cli/import.js';
import { registerGridCli } from '../../server/cli/grid.js';
import { configFromEnv } from '../../server/config.js';
import { runCli } from '../helpers/run-cli.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/grid/', import.meta.url));
const CSV = path.join(FIXTURE, 'zensus2022-1km-04-10.csv');
const PERIOD = '2022-05-15';

interface Cell {
  land: string;
  kreis: string;
  v: Record<string, number | null>;
}

async function readCells(): Promise<Cell[]> {
  const [head, ...lines] = (await readFile(CSV, 'utf8')).trim().split('\n');
  const h = head.split(',');
  return lines.map((l) => {
    const f = l.split(',');
    const v: Record<string, number | null> = {};
    h.forEach((k, i) => (v[k] = f[i] === '' ? null : Number(f[i])));
    return { land: f[h.indexOf('land')], kreis: f[h.indexOf('kreis')], v };
  });
}

/** Σ Einwohner and Σ(share·Einwohner)/Σ Einwohner over cells with both, straight from the CSV. */
function direct(cells: Cell[], share?: string): number {
  let num = 0;
  let den = 0;
  for (const c of cells) {
    const ew = c.v.Einwohner;
    if (ew === null) continue;
    if (!share) {
      num += ew;
      continue;
    }
    const s = c.v[share];
    if (s === null) continue;
    num += s * ew;
    den += ew;
  }
  return share ? num / den : num;
}

describe(`Zensus grid to areas (${backend})`, () => {
  let db: Db;
  let cells: Cell[];
  let imported: GridImportReport;
  let agg: GridAggregateReport;
  const value = async (level: string, indicator: string, code: string) =>
    (
      await db.query<{ value: number; source: string }>(
        'SELECT value, source FROM level_value WHERE level = $1 AND indicator = $2 AND code = $3 AND period = $4',
        [level, indicator, code, PERIOD],
      )
    ).rows[0];

  beforeAll(async () => {
    db = await openTestDb();
    cells = await readCells();
    await importAreas(db, path.join(FIXTURE, 'land-04-10.geojson'), {
      level: 'land',
      levelLabel: 'Land',
      codeField: 'AGS',
      nameField: 'GEN',
    });
    await importAreas(db, path.join(FIXTURE, 'kreis-04-10.geojson'), {
      level: 'kreis',
      levelLabel: 'Kreis',
      codeField: 'AGS',
      nameField: 'GEN',
      parentLevel: 'land',
      parentCodePrefix: 2,
    });
    imported = await importGrid(db, CSV, { level: 'z1km' });
    agg = await aggregateGrid(db, { toLevel: 'kreis' });
  }, 600_000);

  afterAll(async () => {
    await db?.close();
  });

  it('imports every cell with missing codes as NULL and the centre in EPSG:3035', async () => {
    expect(imported.cells).toBe(cells.length);
    expect(imported.cells).toBe(2968);
    expect(imported.populated).toBe(cells.filter((c) => c.v.Einwohner !== null).length);
    expect(imported.population).toBe(direct(cells));
    expect(imported.valid.Alter_D).toBe(cells.filter((c) => c.v.Alter_D !== null).length);
    const r = await db.query<{ code: string; x: number; y: number; einwohner: number | null; d: number }>(
      `SELECT code, x, y, einwohner,
              ST_Distance(ST_Transform(geom, 3035), ST_SetSRID(ST_MakePoint(x, y), 3035)) AS d
         FROM grid_cell WHERE code = 'CRS3035RES1000mN2893000E4116000'`,
    );
    expect(r.rows[0]).toMatchObject({ x: 4116500, y: 2893500, einwohner: null });
    // the round trip 3035 → 4326 → 3035 (PROJ of the backend) stays within a millimetre
    expect(r.rows[0].d).toBeLessThan(1e-3);
  });

  it('gives every Land and Kreis the population of its cells (Land aggregated by the value engine)', async () => {
    expect(agg.cellsOutside).toBe(0);
    const lands = [...new Set(cells.map((c) => c.land))].sort();
    expect(lands).toEqual(['04', '10']);
    for (const land of lands) {
      const v = await value('land', 'Z22_EW', land);
      expect(v.source).toBe('aggregated');
      expect(v.value).toBe(direct(cells.filter((c) => c.land === land)));
    }
    // Bremen 639 819 + Saarland 994 370 in populated, published cells (stated in the report)
    expect(direct(cells.filter((c) => c.land === '04'))).toBe(639819);
    expect(direct(cells.filter((c) => c.land === '10'))).toBe(994370);
    const kreise = [...new Set(cells.map((c) => c.kreis))].sort();
    expect(kreise).toHaveLength(8);
    for (const k of kreise) {
      const v = await value('kreis', 'Z22_EW', k);
      expect(v.source).toBe('imported');
      expect(v.value).toBe(direct(cells.filter((c) => c.kreis === k)));
    }
  });

  it('rebuilds Kreis shares and means from the cells with a value, weighted by population', async () => {
    const pairs: [string, string][] = [
      ['Z22_U18', 'unter18_A'],
      ['Z22_65', 'ab65_A'],
      ['Z22_AUSL', 'Auslaender_A'],
      ['Z22_LEER', 'Leerstandsquote'],
      ['Z22_ALTER', 'Alter_D'],
      ['Z22_HHG', 'HHGroesse_D'],
      ['Z22_WFL_EW', 'Wohnfl_Bew_D'],
    ];
    for (const k of ['04011', '04012', '10041', '10046']) {
      const mine = cells.filter((c) => c.kreis === k);
      for (const [ind, col] of pairs) {
        const v = await value('kreis', ind, k);
        expect(v.value, `${k} ${ind}`).toBeCloseTo(direct(mine, col), 9);
      }
    }
    // the Land's share is Σnumerator/Σdenominator of its Kreise = the share over all its cells
    const saar = cells.filter((c) => c.land === '10');
    expect((await value('land', 'Z22_U18', '10')).value).toBeCloseTo(direct(saar, 'unter18_A'), 9);
  });

  it('notes the cells per area and the share of their population without a value', async () => {
    const mine = cells.filter((c) => c.kreis === '04011' && c.v.Einwohner !== null);
    const missing = mine.filter((c) => c.v.Auslaender_A === null).reduce((s, c) => s + c.v.Einwohner!, 0);
    const r = await db.query<{ n_cells: number; n_missing: number; missing_pop_share: number }>(
      `SELECT n_cells, n_missing, missing_pop_share FROM grid_aggregate_note
        WHERE level = 'kreis' AND code = '04011' AND indicator = 'Z22_AUSL'`,
    );
    expect(r.rows[0].n_cells).toBe(cells.filter((c) => c.kreis === '04011').length);
    expect(r.rows[0].missing_pop_share).toBeCloseTo(missing / direct(mine), 12);
  });

  it('splits cells by their area share with --method area: Bremen keeps (almost) all, the border Kreise differ', async () => {
    const byArea = await aggregateGrid(db, { toLevel: 'land', method: 'area' });
    expect(byArea.method).toBe('area');
    // the population in each Land is Σ population · (part of the cell's square inside the Land)
    const check = await db.query<{ code: string; v: number; direct: number }>(
      `SELECT o.code, o.value AS v,
              (SELECT sum(c.einwohner * ST_Area(ST_Intersection(ST_Transform(a.geom, 3035),
                        ST_MakeEnvelope(c.x - 500, c.y - 500, c.x + 500, c.y + 500, 3035))) / 1e6)
                 FROM grid_cell c WHERE ST_Intersects(ST_Transform(a.geom, 3035),
                        ST_MakeEnvelope(c.x - 500, c.y - 500, c.x + 500, c.y + 500, 3035))) AS direct
         FROM observation o JOIN area a ON a.level = o.level AND a.code = o.code
        WHERE o.level = 'land' AND o.indicator = 'Z22_EW' ORDER BY o.code`,
    );
    expect(check.rows.map((r) => r.code)).toEqual(['04', '10']);
    for (const r of check.rows) expect(r.v).toBeCloseTo(r.direct, 6);
    // area weighting loses the parts of border cells outside the Land; the centroid method does not
    for (const r of check.rows) {
      const centroid = direct(cells.filter((c) => c.land === r.code));
      expect(r.v).toBeLessThan(centroid);
      expect(r.v).toBeGreaterThan(centroid * 0.95);
    }
  });

  it('names file, row and field of a bad value, and an aggregation without cells or areas', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-grid-'));
    try {
      const bad = path.join(dir, 'bad.csv');
      const [head, l1, l2] = (await readFile(CSV, 'utf8')).split('\n');
      const f = l2.split(',');
      f[3] = 'viel'; // Einwohner
      await writeFile(bad, [head, l1, f.join(',')].join('\n'));
      const e = await importGrid(db, bad, { level: 'z1km' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ImportError);
      expect((e as ImportError).message).toContain('bad.csv');
      expect((e as ImportError).message).toContain('Zeile 2');
      expect((e as ImportError).message).toContain('Einwohner');
      // nothing was written: the earlier import is intact
      const n = await db.query<{ n: string }>("SELECT count(*) AS n FROM grid_cell WHERE level = 'z1km'");
      expect(Number(n.rows[0].n)).toBe(2968);
      await expect(aggregateGrid(db, { toLevel: 'gemeinde' })).rejects.toThrow(/keine Gebiete/);
      await expect(aggregateGrid(db, { toLevel: 'kreis', gridLevel: 'z100m' })).rejects.toThrow(
        /Gitterebene nicht importiert/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs as sozialatlas import grid / aggregate grid with a German report', async () => {
    const ctx = () => ({
      db,
      config: configFromEnv({}),
      log: { info: () => undefined, error: () => undefined },
    });
    const reg = [registerImportCli, registerGridCli];
    const imp = await runCli(reg, ctx, 'import', 'grid', CSV, '--level', 'z1km');
    expect(imp.exitCode).toBe(0);
    expect(imp.out).toContain('2.968 Zellen (Gitterebene z1km), 2.968 bisherige ersetzt');
    const a = await runCli(reg, ctx, 'aggregate', 'grid', '--to-level', 'kreis');
    expect(a.exitCode).toBe(0);
    expect(a.out).toContain('8 von 8 Gebieten');
    const bad = await runCli(reg, ctx, 'aggregate', 'grid', '--to-level', 'kreis', '--method', 'zufall');
    expect(bad.exitCode).toBe(1);
    expect(bad.err).toContain('--method muss centroid oder area sein');
  });
});
