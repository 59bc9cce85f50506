/**
 * `npm run bench [-- topic …]`: prints the performance figures every issue asks for, as a
 * Markdown table (time, peak memory, throughput). Topics: import, typology, hotspots, tiles,
 * monitoring, values, load. Server figures are added when DATABASE_URL is set. Benchmarks never fail on time.
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

const suites: Record<string, () => Promise<void>> = {
  import: benchImport,
  typology: benchTypology,
  hotspots: benchHotspots,
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
