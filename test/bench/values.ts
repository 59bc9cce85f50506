/**
 * Value engine bench: a full recompute of the read model (aggregation over every level, formula
 * Kennzahlen, primary and secondary suppression; geodata/values/recompute.ts) for
 * - the Berlin sample (542 Planungsräume → 143 Bezirksregionen → 58 Prognoseräume → 12 Bezirke,
 *   4 formula indicators over 7 register counts, 5 periods),
 * - a seeded synthetic hierarchy of 100 000 grid cells → 1 000 blocks → 100 districts (derived by
 *   code prefix and dissolved in PostGIS), with 3 counts and 2 formula indicators per cell,
 * on PGlite (in memory) and, with DATABASE_URL, on the server. BENCH_VALUES_N overrides the cell count.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measure } from './harness.js';
import type { Db } from '../../geodata/db.js';
import { Prng } from '../../analysis/prng.js';
import { importAreas, importIndicators, importMeta } from '../../geodata/import/index.js';
import { deriveLevel } from '../../geodata/import/derive-level.js';
import { loadSample } from '../../geodata/sample/load.js';
import { recomputeValues } from '../../geodata/values/recompute.js';
import { openScratchPglite, openScratchServer } from './scratch-db.js';
import { gridCode, writeGridGeoJson } from './import.js';

const CELLS = Number(process.env.BENCH_VALUES_N ?? 100_000);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');

export async function benchValues(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-bench-values-'));
  try {
    const files = await writeHierarchy(dir, CELLS, 20261202);
    const backends: { name: string; open: () => Promise<{ db: Db; drop: () => Promise<void> }> }[] = [];
    if (process.env.DATABASE_URL)
      backends.push({ name: 'server', open: () => openScratchServer(process.env.DATABASE_URL!, 'values') });
    backends.push({ name: 'pglite', open: openScratchPglite });
    for (const b of backends) {
      const sample = await b.open();
      try {
        await loadSample(sample.db);
        await measure('values', `recompute Berlin sample, 4 levels (${b.name})`, async () => {
          const r = await sample.db.transaction((tx) => recomputeValues(tx));
          return `${fmt(r.imported)} imported, ${fmt(r.aggregated)} aggregated, ${fmt(r.formula)} formula values; hidden ${r.hiddenPopulation} + ${r.hiddenSecondary} secondary`;
        });
      } finally {
        await sample.drop();
      }
      const s = await b.open();
      try {
        await importMeta(s.db, files.meta);
        await importAreas(s.db, files.areas, { level: 'cell', codeField: 'id' });
        await measure('values', `derive 2 levels from ${fmt(CELLS)} cells, ST_Union (${b.name})`, async () => {
          await deriveLevel(s.db, { from: 'cell', level: 'block', codeLength: 5 });
          await deriveLevel(s.db, { from: 'block', level: 'district', codeLength: 3 });
        });
        await measure('values', `import ${fmt(CELLS)} × 3 counts + recompute (${b.name})`, async () => {
          const r = await importIndicators(s.db, files.counts, {
            level: 'cell',
            codeField: 'id',
            period: '2024-12-31',
          });
          return `${fmt(r.total)} values`;
        });
        await measure('values', `recompute ${fmt(CELLS)} cells, 3 levels (${b.name})`, async () => {
          const steps = new Map<string, number>();
          const r = await s.db.transaction((tx) =>
            recomputeValues(tx, (step, ms) => {
              const kind = step.split(' ')[0]; // imported, formulas, aggregate, suppression
              steps.set(kind, (steps.get(kind) ?? 0) + ms);
            }),
          );
          const rows = r.imported + r.aggregated + r.formula;
          const split = [...steps].map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ');
          return `${fmt(rows)} values (${fmt(r.formula)} formula), ${fmt((rows / r.ms) * 1000)} values/s (${split}); hidden ${fmt(r.hiddenPopulation)} + ${fmt(r.hiddenSecondary)} secondary`;
        });
      } finally {
        await s.drop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * n square cells (EPSG:3035) with 7-digit codes, so that the first 5 digits make 100-cell blocks
 * and the first 3 digits 100 districts; counts EW (about 6 % below 300), E_65 and E_U18; the
 * formulas EW_65 and EW_U18 over them.
 */
async function writeHierarchy(
  dir: string,
  n: number,
  seed: number,
): Promise<{ areas: string; counts: string; meta: string }> {
  const rng = new Prng(seed);
  const counts = ['id;EW;E_65;E_U18'];
  for (let i = 0; i < n; i++) {
    const ew = Math.floor(rng.next() * 5000);
    counts.push(`${gridCode(i)};${ew};${Math.floor(ew * rng.next() * 0.3)};${Math.floor(ew * rng.next() * 0.25)}`);
  }
  const areas = path.join(dir, 'cells.geojson');
  await writeGridGeoJson(areas, n);
  const countsFile = path.join(dir, 'counts.csv');
  await writeFile(countsFile, counts.join('\n') + '\n');
  const meta = path.join(dir, 'meta.csv');
  await writeFile(
    meta,
    [
      'key;label;kind;scale;formula;visibility',
      'EW;Einwohner;count;1;;public',
      'E_65;Einwohner ab 65;count;1;;grunddaten',
      'E_U18;Einwohner unter 18;count;1;;grunddaten',
      'EW_65;Anteil ab 65;rate;100;100 * E_65 / EW;public',
      'EW_U18;Anteil unter 18;rate;100;E_U18 / EW * 100;public',
    ].join('\n') + '\n',
  );
  return { areas, counts: countsFile, meta };
}
