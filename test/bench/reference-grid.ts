/**
 * The seeded 10 000-area grid both sides of the reference benches use (reference-compare.ts):
 * the hotspots bench's 100 × 100 squares (createGrid: ~136 m × 145 m cells near Berlin,
 * EPSG:4326, codes 000000 … 009999 row-major), the typology bench's 12 synthetic indicators
 * I1 … I12 (syntheticInput(10 000, 12, 2024), row i = code i) and the hotspots bench's variable H
 * (gridValues: noise plus a planted hot block).
 *
 * One CSV carries it all — code, I1 … I12, H, the cell as WKT (the same corner arithmetic as
 * createGrid's SQL) — with every number printed as its shortest round-trip decimal, so the database
 * (which imports the values from this file) and the references (which read this file) hold
 * bit-identical values.
 */
import { writeFile } from 'node:fs/promises';
import type { Db } from '../../geodata/db.js';
import { importIndicators } from '../../geodata/import/indicators.js';
import { createGrid, gridValues } from './hotspots.js';
import { syntheticInput } from './typology.js';

/** Grid side: 100 × 100 = 10 000 areas. */
export const REFERENCE_SIDE = 100;
export const REFERENCE_LEVEL = 'bench_ref_100';
export const REFERENCE_PERIOD = '2024-12-31';
export const REFERENCE_INDICATORS = Array.from({ length: 12 }, (_, j) => `I${j + 1}`);

/** createGrid's cell size in degrees. */
const DX = 0.002;
const DY = 0.0013;

/** Writes the grid CSV (code, I1 … I12, H, wkt) to file. */
export async function writeReferenceCsv(file: string): Promise<void> {
  const side = REFERENCE_SIDE;
  const n = side * side;
  const p = REFERENCE_INDICATORS.length;
  const typology = syntheticInput(n, p, 2024);
  const codes = Array.from({ length: n }, (_, i) => String(i).padStart(6, '0'));
  const h = gridValues(codes, side);
  const lines = [['code', ...REFERENCE_INDICATORS, 'H', 'wkt'].join(',')];
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / side);
    const c = i % side;
    const x0 = 13.0 + c * DX;
    const x1 = 13.0 + (c + 1) * DX;
    const y0 = 52.3 + r * DY;
    const y1 = 52.3 + (r + 1) * DY;
    const wkt = `"POLYGON((${x0} ${y0},${x1} ${y0},${x1} ${y1},${x0} ${y1},${x0} ${y0}))"`;
    const values = Array.from(typology.raw.subarray(i * p, (i + 1) * p), String);
    lines.push([codes[i], ...values, String(h[i]), wkt].join(','));
  }
  await writeFile(file, lines.join('\n') + '\n');
}

/** The grid level and its values in db (migrated, without that level), from the CSV. */
export async function loadReferenceGrid(db: Db, csv: string): Promise<void> {
  await createGrid(db, REFERENCE_LEVEL, REFERENCE_SIDE);
  await importIndicators(db, csv, {
    level: REFERENCE_LEVEL,
    codeField: 'code',
    period: REFERENCE_PERIOD,
    columns: [...REFERENCE_INDICATORS, 'H'],
    delimiter: ',',
  });
}
