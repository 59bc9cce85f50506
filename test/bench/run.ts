/**
 * `npm run bench [-- topic …]`: prints the performance figures every issue asks for, as a
 * Markdown table (time, peak memory, throughput). Topics: import, typology, hotspots, tiles,
 * monitoring, values, load, points, grid. Server figures are added when DATABASE_URL is set.
 * typology and hotspots end with the runs through the HTTP API against scikit-learn and R spdep
 * (reference-compare.ts; skipped with a row saying why where those are not installed).
 * Benchmarks never fail on time.
 */
import os from 'node:os';
import { TABLE_HEADER } from './harness.js';
import { benchImport } from './import.js';
import { benchTypology } from './typology.js';
import { benchHotspots } from './hotspots.js';
import { benchTiles } from './tiles.js';
import { benchMonitoring } from './monitoring.js';
import { benchValues } from './values.js';
import { benchPoints } from './points.js';
import { benchLoad } from './load.js';
import { benchGrid } from './grid.js';
import { benchColdCli, benchHotspotsReference, benchTypologyReference } from './reference-compare.js';

const suites: Record<string, () => Promise<void>> = {
  import: benchImport,
  // in process, then through the API against scikit-learn, then the cold CLI's start-up
  typology: async () => {
    await benchTypology();
    await benchTypologyReference();
    await benchColdCli();
  },
  // in process, then through the API against R spdep
  hotspots: async () => {
    await benchHotspots();
    await benchHotspotsReference();
  },
  tiles: benchTiles,
  monitoring: benchMonitoring,
  values: benchValues,
  points: benchPoints,
  load: benchLoad,
  grid: benchGrid,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in suites));
if (unknown.length) {
  console.error(`Unbekannte Bench-Themen: ${unknown.join(', ')} (bekannt: ${Object.keys(suites).join(', ')})`);
  process.exit(2);
}
console.log(
  `Sozialatlas bench — ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.env.DATABASE_URL ? 'PGlite + server' : 'PGlite only (set DATABASE_URL for server figures)'}\n`,
);
console.log(TABLE_HEADER);
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  await run();
}
process.exit(0);
