/**
 * Zensus grid and harmonisation bench (issue 12): importing all 361 478 Zensus 2022 1-km cells from
 * the shared Parquet folder, aggregating them to the 10 997 VG5000 Gemeinden (centroid method,
 * the value engine then recomputes Kreis and Land), and harmonising the 542 Planungsräume of the
 * Berlin sample onto a second geometry (the 1-km squares of the Berlin extract of the grid, made a
 * level of their own), by area and by population; time and peak memory on PGlite and, with
 * DATABASE_URL, on the server. Only with SOZIALATLAS_SHARED_DATA naming the data folder; else skipped
 * with a message.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { measure } from './harness.js';
import type { Db } from '../../geodata/db.js';
import { importGrid } from '../../geodata/import/grid.js';
import { aggregateGrid } from '../../geodata/import/grid-aggregate.js';
import { harmonize } from '../../geodata/values/harmonize.js';
import { loadGermanySample } from '../../geodata/sample/germany.js';
import { loadSample, SAMPLE_PERIOD } from '../../geodata/sample/load.js';
import { openScratchPglite, openScratchServer } from './scratch-db.js';

// The full grid (6 MB Parquet) is not vendored: the bench runs only when SOZIALATLAS_SHARED_DATA names
// the data folder, never from a default path outside the repository.
const DATA = process.env.SOZIALATLAS_SHARED_DATA;

const exists = (f: string) =>
  access(f).then(
    () => true,
    () => false,
  );

export async function benchGrid(): Promise<void> {
  if (!DATA) {
    console.log(
      '| grid | übersprungen: SOZIALATLAS_SHARED_DATA (Datenordner mit dem Zensus-Gitter) ist nicht gesetzt | | | | |',
    );
    return;
  }
  const gridDir = path.join(DATA, 'germany-zensus2022-grid-1km');
  const gisdDir = path.join(DATA, 'germany-kreise-gisd');
  if (!(await exists(path.join(gridDir, 'parquet', '_grid.parquet'))) || !(await exists(gisdDir))) {
    console.log(`| grid | übersprungen: ${gridDir} oder ${gisdDir} fehlt | | | | |`);
    return;
  }
  const backends: { name: string; open: (p: string) => Promise<{ db: Db; drop: () => Promise<void> }> }[] = [];
  if (process.env.DATABASE_URL)
    backends.push({ name: 'server', open: (p) => openScratchServer(process.env.DATABASE_URL!, p) });
  backends.push({ name: 'pglite', open: () => openScratchPglite() });
  for (const b of backends) {
    const s = await b.open('grid');
    try {
      await loadGermanySample(s.db, gisdDir);
      await measure('grid', `import 361 478 Zensus cells from Parquet (${b.name})`, async () => {
        const r = await importGrid(s.db, path.join(gridDir, 'parquet'), { level: 'z1km' });
        return `${r.cells} cells, ${r.populated} populated, ${r.population} residents`;
      });
      await measure('grid', `aggregate grid → 10 997 Gemeinden, centroid, + recompute (${b.name})`, async () => {
        const r = await aggregateGrid(s.db, { toLevel: 'gemeinde' });
        return `${r.areas}/${r.areasTotal} Gemeinden, ${r.population} residents, ${r.cellsOutside} populated cells outside`;
      });
    } finally {
      await s.drop();
    }
    const h = await b.open('harmonize');
    try {
      await loadSample(h.db);
      await importGrid(h.db, path.join(gridDir, 'zensus2022_1km_spitze_werte_berlin_bbox.csv'), { level: 'z1km' });
      // the second geometry: the 1-km squares of the Berlin extract as a level of their own
      await h.db.transaction(async (tx) => {
        await tx.query("INSERT INTO level (key, label) VALUES ('km1', '1-km-Quadrat')");
        await tx.query(
          `INSERT INTO area (level, code, name, geom, area_km2)
           SELECT 'km1', code, code, g, ST_Area(g::geography) / 1e6
             FROM (SELECT code, ST_Multi(ST_Transform(ST_MakeEnvelope(x - 500, y - 500, x + 500, y + 500, 3035), 4326)) AS g
                     FROM grid_cell WHERE level = 'z1km') s`,
        );
      });
      for (const weight of ['area', 'population'] as const) {
        await measure('grid', `harmonize 542 Planungsräume → 1 748 km² squares, ${weight} (${b.name})`, async () => {
          const r = await harmonize(h.db, { fromLevel: 'plr', toLevel: 'km1', period: SAMPLE_PERIOD, weight });
          const n = Object.values(r.written).reduce((a, x) => a + x, 0);
          return `${r.pieces} pieces, ${Object.keys(r.written).length} indicators, ${n} values`;
        });
      }
    } finally {
      await h.drop();
    }
  }
}
