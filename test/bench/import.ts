/**
 * Import bench (issue 2): time and peak memory of
 * - the Berlin sample (loadSample: meta, 143 Bezirksregionen from a Shapefile, 542 Planungsräume, 24 MSS indicators),
 * - a seeded synthetic grid of 100 000 square 1 km cells (GeoJSON in EPSG:3035, so every cell is
 *   transformed to 4326) and a wide CSV with 12 indicators for them (1.2 M observations),
 * each on PGlite (in memory) and, when DATABASE_URL is set, on the server (a scratch database).
 * BENCH_IMPORT_N overrides the number of cells (default 100 000).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measure } from './harness.js';
import type { Db } from '../../geodata/db.js';
import { Prng } from '../../analysis/prng.js';
import { importAreas, importIndicators } from '../../geodata/import/index.js';
import { loadSample } from '../../geodata/sample/load.js';
import { openScratchPglite, openScratchServer } from './scratch-db.js';

const GRID_CELLS = Number(process.env.BENCH_IMPORT_N ?? 100_000);
const GRID_INDICATORS = 12;
const CELL_M = 1000;

export async function benchImport(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-bench-import-'));
  try {
    const grid = await writeSyntheticGrid(dir, GRID_CELLS, GRID_INDICATORS, 20240601);
    // The server goes first: PGlite's WASM memory never shrinks, so after it the process RSS says nothing about the server.
    const backends: { name: string; open: () => Promise<{ db: Db; drop: () => Promise<void> }> }[] = [];
    if (process.env.DATABASE_URL)
      backends.push({ name: 'server', open: () => openScratchServer(process.env.DATABASE_URL!, 'import') });
    backends.push({ name: 'pglite', open: openScratchPglite });

    for (const b of backends) {
      const sample = await b.open();
      try {
        await measure('import', `Berlin sample (${b.name})`, async () => {
          const reports = await loadSample(sample.db);
          return reports.map((r) => `${r.kind}${r.level ? ` ${r.level}` : ''} ${r.total}`).join(', ');
        });
      } finally {
        await sample.drop();
      }

      const s = await b.open();
      try {
        await measure('import', `grid ${fmt(GRID_CELLS)} areas, EPSG:3035 GeoJSON (${b.name})`, async () => {
          t0 = performance.now();
          const r = await importAreas(s.db, grid.areas, { level: 'grid', codeField: 'id' });
          return `${fmt(Math.round((r.total / (performance.now() - t0)) * 1000))} areas/s`;
        });
        await measure(
          'import',
          `grid ${fmt(GRID_CELLS)} × ${GRID_INDICATORS} indicators, wide CSV (${b.name})`,
          async () => {
            t0 = performance.now();
            const r = await importIndicators(s.db, grid.indicators, {
              level: 'grid',
              codeField: 'id',
              period: '2022-05-15',
              decimal: ',',
            });
            return `${fmt(r.total)} values, ${fmt(Math.round((r.total / (performance.now() - t0)) * 1000))} values/s`;
          },
        );
        await measure('import', `grid re-import indicators, upsert (${b.name})`, async () => {
          const r = await importIndicators(s.db, grid.indicators, {
            level: 'grid',
            codeField: 'id',
            period: '2022-05-15',
            decimal: ',',
          });
          return `${fmt(r.replaced)} replaced`;
        });
      } finally {
        await s.drop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Start mark of the running case, for the throughput in the notes.
let t0 = 0;
const fmt = (n: number) => n.toLocaleString('en-US').replace(/,/g, ' ');

/**
 * n square cells on a grid in ETRS89-LAEA (EPSG:3035, legacy crs member) and a wide CSV
 * (';', decimal comma, 2 % coded -9999) with p indicators. Codes have leading zeros.
 */
async function writeSyntheticGrid(
  dir: string,
  n: number,
  p: number,
  seed: number,
): Promise<{ areas: string; indicators: string }> {
  const rng = new Prng(seed);
  const areas = path.join(dir, 'grid.geojson');
  await writeGridGeoJson(areas, n);

  const lines = [['id', ...Array.from({ length: p }, (_, j) => `I${String(j + 1).padStart(2, '0')}`)].join(';')];
  for (let i = 0; i < n; i++) {
    const cells = [gridCode(i)];
    for (let j = 0; j < p; j++)
      cells.push(rng.next() < 0.02 ? '-9999' : (rng.next() * 100).toFixed(2).replace('.', ','));
    lines.push(cells.join(';'));
  }
  const indicators = path.join(dir, 'grid-indicators.csv');
  await writeFile(indicators, lines.join('\n') + '\n');
  return { areas, indicators };
}

/** The code of synthetic cell i: 7 digits with leading zeros (so codes nest by prefix). */
export const gridCode = (i: number): string => String(i).padStart(7, '0');

/**
 * n square 1 km cells on a grid in ETRS89-LAEA (EPSG:3035, legacy crs member), streamed to a
 * GeoJSON file, each with property id = gridCode(i). Shared by the import and value benches.
 */
export async function writeGridGeoJson(file: string, n: number): Promise<void> {
  const cols = Math.ceil(Math.sqrt(n));
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(
    '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3035"}},"features":[\n',
  );
  for (let i = 0; i < n; i++) {
    // Germany's LAEA extent starts near (4 030 000, 2 680 000).
    const x = 4_030_000 + (i % cols) * CELL_M;
    const y = 2_680_000 + Math.floor(i / cols) * CELL_M;
    const ring = [
      [x, y],
      [x + CELL_M, y],
      [x + CELL_M, y + CELL_M],
      [x, y + CELL_M],
      [x, y],
    ];
    await write(
      `${i ? ',\n' : ''}{"type":"Feature","properties":{"id":"${gridCode(i)}"},"geometry":{"type":"Polygon","coordinates":[${JSON.stringify(ring)}]}}`,
    );
  }
  await write('\n]}\n');
  out.end();
  await once(out, 'finish');
}
