/**
 * Hotspots bench (issue 3), for the Berlin sample (542 areas) and seeded synthetic grids of
 * square polygons (10 000 and 100 000 areas, ~136 m × 145 m cells near Berlin, EPSG:4326):
 * - the weights build in PostGIS per type (queen, rook, knn:6, distance band), including
 *   storing the lists, on PGlite and — when DATABASE_URL is set — on the server (in a scratch
 *   database that is dropped afterwards);
 * - global Moran's I, local Moran + Gi* with 999 permutations for one indicator (seeded values:
 *   noise plus a planted hot block), and the whole analysis. Target: 10 000 areas < 2 s.
 * Set HOTSPOTS_BENCH_SIZES=542,10000 to leave out the 100 000 grid, HOTSPOTS_BENCH_BACKENDS=server to
 * time the server only.
 */
import { measure } from './harness.js';
import type { Db } from '../../geodata/db.js';
import { openPglite } from '../../server/db/pglite-db.js';
import { migrate } from '../../server/db/migrate.js';
import { loadSample } from '../../geodata/sample/load.js';
import { levelWeights, parseWeightsSpec, type NeighbourLists } from '../../server/services/weights.js';
import { weightsFromLists, rowStandardise, type SpatialWeights } from '../../analysis/spatial-weights.js';
import { globalMoran } from '../../analysis/moran.js';
import { localMoran } from '../../analysis/local-moran.js';
import { giStar } from '../../analysis/gi-star.js';
import { localPermutationTest } from '../../analysis/permutation.js';
import { hotspotAnalysis } from '../../analysis/hotspot-analysis.js';
import { Prng } from '../../analysis/prng.js';
import { openScratchServer } from './scratch-db.js';

const SUITE = 'hotspots';
const PERMUTATIONS = 999;

/** A side × side grid of squares as level `key` (codes zero-padded row-major indices). */
export async function createGrid(db: Db, key: string, side: number): Promise<void> {
  const dx = 0.002; // ≈ 136 m at 52.5° N
  const dy = 0.0013; // ≈ 145 m
  await db.query('INSERT INTO level (key, label) VALUES ($1, $2)', [key, `Raster ${side}×${side}`]);
  await db.query(
    `INSERT INTO area (level, code, name, geom, area_km2)
     SELECT $1, lpad((r * $2::int + c)::text, 6, '0'), NULL,
            ST_Multi(ST_MakeEnvelope(13.0 + c * $3::float8, 52.3 + r * $4::float8, 13.0 + (c + 1) * $3::float8, 52.3 + (r + 1) * $4::float8, 4326)),
            0.0197
       FROM generate_series(0, $2::int - 1) AS r, generate_series(0, $2::int - 1) AS c`,
    [key, side, dx, dy],
  );
}

/** Seeded values: uniform noise plus a planted block of +2 in the middle tenth of the grid. */
export function gridValues(codes: string[], side: number, seed = 1): Float64Array {
  const rng = new Prng(seed);
  return Float64Array.from(codes, (code) => {
    const i = Number(code);
    const r = Math.floor(i / side);
    const c = i % side;
    const inBlock = Math.abs(r - side / 2) < side / 20 && Math.abs(c - side / 2) < side / 20;
    return rng.next() + (inBlock ? 2 : 0);
  });
}

interface Case {
  label: string;
  level: string;
  side: number | null; // null: the Berlin sample
  band: number;
}

async function benchWeights(db: Db, backend: string, c: Case): Promise<NeighbourLists> {
  let queen: NeighbourLists | undefined;
  for (const type of ['queen', 'rook', 'knn:6', `distance:${c.band}`]) {
    await measure(SUITE, `${c.label}: weights ${type} (${backend})`, async () => {
      const w = await levelWeights(db, c.level, parseWeightsSpec(type));
      if (type === 'queen') queen = w;
      return `${w.codes.length} areas, ${w.nLinks} links, ${w.islands.length} islands`;
    });
  }
  return queen!;
}

async function benchStatistics(c: Case, lists: NeighbourLists, sampleValues?: Map<string, number>): Promise<void> {
  let codes = lists.codes;
  let values: Float64Array;
  if (sampleValues) {
    codes = codes.filter((code) => sampleValues.has(code));
    values = Float64Array.from(codes, (code) => sampleValues.get(code)!);
  } else {
    values = gridValues(codes, c.side!);
  }
  const binary: SpatialWeights = weightsFromLists(codes, lists.lists);
  const rowStd = rowStandardise(binary);
  const n = `${codes.length} areas, ${binary.neighbours.length} links`;
  await measure(SUITE, `${c.label}: global Moran ${PERMUTATIONS} perm`, () => {
    const g = globalMoran(values, rowStd, { permutations: PERMUTATIONS, seed: 1 });
    return `${n}; I = ${g.I.toFixed(3)}`;
  });
  const l = localMoran(values, rowStd);
  const gi = giStar(values, binary);
  for (const draws of ['shared', 'per-area'] as const) {
    await measure(SUITE, `${c.label}: LISA + Gi* ${PERMUTATIONS} perm (${draws} draws)`, () => {
      localPermutationTest({
        deviation: l.deviation,
        weights: rowStd,
        m2: l.m2,
        observedIi: l.Ii,
        observedNeighbourSum: gi.neighbourDeviationSum,
        permutations: PERMUTATIONS,
        seed: 1,
        draws,
      });
      return n;
    });
  }
  await measure(SUITE, `${c.label}: all statistics ${PERMUTATIONS} perm (Moran, LISA, Gi*, FDR, classes)`, () => {
    const a = hotspotAnalysis(values, binary, { permutations: PERMUTATIONS, seed: 1 });
    const hot = a.classes.classes.filter((k) => k === 3).length;
    return `${n}; ${hot} areas hot at 99 %`;
  });
}

export async function benchHotspots(): Promise<void> {
  const sizes = (process.env.HOTSPOTS_BENCH_SIZES ?? '542,10000,100000').split(',').map(Number);
  const cases: Case[] = [];
  if (sizes.includes(542)) cases.push({ label: 'sample 542', level: 'plr', side: null, band: 1500 });
  for (const n of sizes.filter((s) => s !== 542)) {
    const side = Math.round(Math.sqrt(n));
    cases.push({ label: `grid ${side * side}`, level: `bench_grid_${side}`, side, band: 400 });
  }

  // HOTSPOTS_BENCH_BACKENDS=server (or pglite) limits the backends; default both when DATABASE_URL is set
  const only = process.env.HOTSPOTS_BENCH_BACKENDS?.split(',');
  const backends: { name: string; open: () => Promise<{ db: Db; drop: () => Promise<void> }> }[] = [];
  if (!only || only.includes('pglite')) {
    backends.push({
      name: 'pglite',
      open: async () => {
        const db = await openPglite();
        await migrate(db);
        return { db, drop: () => db.close() };
      },
    });
  }
  if (process.env.DATABASE_URL && (!only || only.includes('server')))
    backends.push({ name: 'server', open: () => openScratchServer(process.env.DATABASE_URL!, 'hotspots') });

  const statisticsDone = new Set<string>();
  for (const backend of backends) {
    const { db, drop } = await backend.open();
    try {
      for (const c of cases) {
        let sampleValues: Map<string, number> | undefined;
        if (c.side === null) {
          await loadSample(db);
          const r = await db.query<{ code: string; value: number }>(
            `SELECT code, value FROM indicator_value WHERE level = 'plr' AND indicator = 'S1' AND period = '2020-12-31'
               AND value IS NOT NULL AND NOT suppressed AND NOT invalid`,
          );
          sampleValues = new Map(r.rows.map((row) => [row.code, Number(row.value)]));
        } else {
          await createGrid(db, c.level, c.side);
        }
        const queen = await benchWeights(db, backend.name, c);
        if (!statisticsDone.has(c.label)) {
          statisticsDone.add(c.label);
          await benchStatistics(c, queen, sampleValues);
        }
      }
    } finally {
      await drop();
    }
  }
}

// `npx tsx test/bench/hotspots.ts` runs this suite alone
if (import.meta.url === `file://${process.argv[1]}`) {
  const { TABLE_HEADER } = await import('./harness.js');
  console.log(TABLE_HEADER);
  await benchHotspots();
}
