/**
 * The grid import (`sozialatlas import grid DIR --level L`): the Zensus 2022 1-km cells ("Spitze
 * Werte") into grid_cell (sql/013), from either
 *  - a Parquet folder as published by z22data: `_grid.parquet` (x, y) and one
 *    `continuous_<Variable>.parquet` per variable (columns <Variable>, x, y, same row order), or
 *  - a CSV in the official layout (`GITTER_ID_1km, x_mp_1km, y_mp_1km, Einwohner, …`), e.g. the
 *    trimmed test fixture or the Berlin extract of the shared data folder.
 * Centres are EPSG:3035 metres; the missing codes -1 and -9 (and empty CSV cells) become NULL.
 * Parquet is read one row group at a time and written in batches, so memory stays at a row group;
 * everything runs in one transaction that replaces the grid level, any error rolls it back.
 * Errors name the file, the row (1-based) and the field.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Db, Queryable } from '../db.js';
import { ImportError } from './errors.js';
import { readCsvFile } from './read-csv.js';
import { bumpDataVersion } from './versions.js';
import { recomputeValues } from '../values/recompute.js';
import type { ProgressFn } from './types.js';

/** The ten Zensus 2022 grid variables: source name → column of grid_cell. */
export const GRID_VARIABLES = [
  ['Einwohner', 'einwohner'],
  ['Frauen_A', 'frauen_a'],
  ['Alter_D', 'alter_d'],
  ['unter18_A', 'unter18_a'],
  ['ab65_A', 'ab65_a'],
  ['Auslaender_A', 'auslaender_a'],
  ['HHGroesse_D', 'hhgroesse_d'],
  ['Leerstandsquote', 'leerstandsquote'],
  ['Wohnfl_Bew_D', 'wohnfl_bew_d'],
  ['Wohnfl_Whg_D', 'wohnfl_whg_d'],
] as const;
export type GridVariable = (typeof GRID_VARIABLES)[number][0];

/** A grid level key: letters, digits, underscore. */
export const GRID_LEVEL_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** EPSG:3035 bounds of Germany's grid with a margin: a centre outside is an error. */
const LAEA_X: [number, number] = [3_900_000, 4_800_000];
const LAEA_Y: [number, number] = [2_600_000, 3_600_000];

const BATCH_ROWS = 5000;

export interface GridImportReport {
  file: string;
  kind: 'grid';
  level: string;
  cells: number;
  /** cells with a population figure, and its sum */
  populated: number;
  population: number;
  /** per variable: cells with a value */
  valid: Record<GridVariable, number>;
  /** cells of this grid level stored before (replaced) */
  replaced: number;
}

interface Chunk {
  /** 0-based row number of the first row in the source (for messages) */
  first: number;
  x: Int32Array;
  y: Int32Array;
  vars: (number | null)[][];
}

export async function importGrid(
  db: Db,
  source: string,
  opts: { level: string },
  onProgress?: ProgressFn,
): Promise<GridImportReport> {
  if (!opts.level || !GRID_LEVEL_KEY.test(opts.level)) {
    throw new ImportError('die Gitterebene (--level) darf nur Buchstaben, Ziffern und _ enthalten', {
      file: source,
      field: 'level',
      value: opts.level,
    });
  }
  const isDir = await stat(source).then(
    (s) => s.isDirectory(),
    () => {
      throw new ImportError('Datei oder Ordner nicht gefunden', { file: source });
    },
  );
  const reader = isDir ? await parquetChunks(source) : await csvChunks(source);
  const valid = Object.fromEntries(GRID_VARIABLES.map(([v]) => [v, 0])) as Record<GridVariable, number>;
  let cells = 0;
  let populated = 0;
  let population = 0;
  return db.transaction(async (tx) => {
    const replaced = Number(
      (await tx.query<{ n: string }>('SELECT count(*) AS n FROM grid_cell WHERE level = $1', [opts.level])).rows[0].n,
    );
    await tx.query('DELETE FROM grid_cell WHERE level = $1', [opts.level]);
    for await (const chunk of reader.chunks()) {
      for (let i = 0; i < chunk.x.length; i++) {
        const [x, y] = [chunk.x[i], chunk.y[i]];
        if (x < LAEA_X[0] || x > LAEA_X[1] || y < LAEA_Y[0] || y > LAEA_Y[1]) {
          throw new ImportError('Zellmittelpunkt liegt nicht in Deutschland (EPSG:3035, Meter)', {
            file: reader.file('x'),
            row: chunk.first + i + 1,
            field: 'x/y',
            value: [x, y],
          });
        }
        for (let v = 0; v < GRID_VARIABLES.length; v++) if (chunk.vars[v][i] !== null) valid[GRID_VARIABLES[v][0]]++;
        const ew = chunk.vars[0][i];
        if (ew !== null) {
          populated++;
          population += ew;
        }
      }
      for (let s = 0; s < chunk.x.length; s += BATCH_ROWS) {
        const e = Math.min(chunk.x.length, s + BATCH_ROWS);
        await insertBatch(tx, opts.level, chunk, s, e);
      }
      cells += chunk.x.length;
      onProgress?.(cells, reader.total);
    }
    if (cells === 0) throw new ImportError('die Quelle enthält keine Gitterzelle', { file: source });
    await bumpDataVersion(tx);
    // distance(KEY) starts at the population-weighted centre of an area's cells (values/point-inputs.ts):
    // new cells move it, so formulas with a distance are computed again at once.
    const distances = await tx.query("SELECT 1 FROM indicator WHERE formula ~ 'distance\\s*\\(' LIMIT 1");
    if (distances.rows.length > 0) await recomputeValues(tx);
    return { file: source, kind: 'grid', level: opts.level, cells, populated, population, valid, replaced };
  });
}

async function insertBatch(tx: Queryable, level: string, c: Chunk, s: number, e: number): Promise<void> {
  const cols = GRID_VARIABLES.map(([, col]) => col);
  const params: unknown[] = [level, Array.from(c.x.subarray(s, e)), Array.from(c.y.subarray(s, e))];
  for (let v = 0; v < cols.length; v++) params.push(c.vars[v].slice(s, e));
  const unnest = cols.map((_, v) => `$${v + 4}::float8[]`).join(', ');
  await tx.query(
    `INSERT INTO grid_cell (level, code, x, y, size_m, geom, ${cols.join(', ')})
     SELECT $1, format('CRS3035RES1000mN%sE%s', u.y - 500, u.x - 500), u.x, u.y, 1000,
            ST_Transform(ST_SetSRID(ST_MakePoint(u.x, u.y), 3035), 4326), ${cols.map((c) => `u.${c}`).join(', ')}
       FROM unnest($2::int[], $3::int[], ${unnest}) AS u(x, y, ${cols.join(', ')})`,
    params,
  );
}

/** A value of the source as stored: negative codes (-1, -9) and empty cells are missing. */
function cellValue(raw: unknown, file: string, row: number, field: string): number | null {
  if (raw === null || raw === undefined || raw === '') return null;
  const n = typeof raw === 'bigint' ? Number(raw) : typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isFinite(n)) throw new ImportError('keine Zahl', { file, row, field, value: raw });
  return n < 0 ? null : n;
}

interface ChunkReader {
  total: number;
  file(field: string): string;
  chunks(): AsyncGenerator<Chunk>;
}

async function parquetChunks(dir: string): Promise<ChunkReader> {
  const gridFile = path.join(dir, '_grid.parquet');
  const varFile = (v: string) => path.join(dir, `continuous_${v}.parquet`);
  const open = async (f: string) => {
    try {
      const file = await asyncBufferFromFile(f);
      return { file, metadata: await parquetMetadataAsync(file) };
    } catch (e) {
      throw new ImportError(`Parquet-Datei fehlt oder ist nicht lesbar (${(e as Error).message})`, { file: f });
    }
  };
  const grid = await open(gridFile);
  const vars = await Promise.all(GRID_VARIABLES.map(([v]) => open(varFile(v))));
  const total = Number(grid.metadata.num_rows);
  GRID_VARIABLES.forEach(([v], i) => {
    if (Number(vars[i].metadata.num_rows) !== total) {
      throw new ImportError(`${Number(vars[i].metadata.num_rows)} Zeilen, _grid.parquet hat ${total}`, {
        file: varFile(v),
        field: v,
      });
    }
  });
  const groups = rowGroupStarts(grid.metadata);
  return {
    total,
    file: (field) => (field === 'x/y' || field === 'x' ? gridFile : varFile(field)),
    async *chunks() {
      for (const [rowStart, rowEnd] of groups) {
        const xy = (await parquetReadObjects({ ...grid, rowStart, rowEnd, columns: ['x', 'y'], compressors })) as {
          x: number;
          y: number;
        }[];
        const n = xy.length;
        const x = new Int32Array(n);
        const y = new Int32Array(n);
        for (let i = 0; i < n; i++) [x[i], y[i]] = [xy[i].x, xy[i].y];
        const values: (number | null)[][] = [];
        for (let v = 0; v < GRID_VARIABLES.length; v++) {
          const name = GRID_VARIABLES[v][0];
          const f = varFile(name);
          const rows = (await parquetReadObjects({ ...vars[v], rowStart, rowEnd, compressors })) as Record<
            string,
            unknown
          >[];
          if (rows.length > 0 && !(name in rows[0])) {
            throw new ImportError(`Spalte "${name}" fehlt`, { file: f, field: name });
          }
          const col: (number | null)[] = new Array<number | null>(n);
          for (let i = 0; i < n; i++) {
            const r = rows[i];
            if (Number(r.x) !== x[i] || Number(r.y) !== y[i]) {
              throw new ImportError(`Zeile gehört zu einer anderen Zelle als in _grid.parquet (${x[i]}, ${y[i]})`, {
                file: f,
                row: rowStart + i + 1,
                field: 'x/y',
                value: [r.x, r.y],
              });
            }
            col[i] = cellValue(r[name], f, rowStart + i + 1, name);
          }
          values.push(col);
        }
        yield { first: rowStart, x, y, vars: values };
      }
    },
  };
}

/** [start, end) of every row group: the unit hyparquet decodes at once. */
function rowGroupStarts(md: FileMetaData): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (const g of md.row_groups) {
    const end = start + Number(g.num_rows);
    out.push([start, end]);
    start = end;
  }
  return out;
}

async function csvChunks(file: string): Promise<ChunkReader> {
  const table = await readCsvFile(file);
  const col = (names: string[]) => {
    const i = table.header.findIndex((h) => names.includes(h.trim()));
    if (i < 0) throw new ImportError(`Spalte "${names[0]}" fehlt`, { file, field: names[0] });
    return i;
  };
  const xi = col(['x_mp_1km', 'x']);
  const yi = col(['y_mp_1km', 'y']);
  const vi = GRID_VARIABLES.map(([v]) => col([v]));
  return {
    total: table.rows.length,
    file: () => file,
    async *chunks() {
      const n = table.rows.length;
      const x = new Int32Array(n);
      const y = new Int32Array(n);
      const vars = vi.map(() => new Array<number | null>(n));
      for (let r = 0; r < n; r++) {
        const row = table.rows[r];
        for (const [k, target, name] of [
          [xi, x, 'x_mp_1km'],
          [yi, y, 'y_mp_1km'],
        ] as const) {
          const v = Number(row[k]);
          if (row[k] === undefined || row[k].trim() === '' || !Number.isInteger(v)) {
            throw new ImportError('Koordinate fehlt oder ist keine ganze Zahl', {
              file,
              row: r + 1,
              field: name,
              value: row[k],
            });
          }
          target[r] = v;
        }
        vi.forEach((k, v) => (vars[v][r] = cellValue(row[k], file, r + 1, GRID_VARIABLES[v][0])));
      }
      yield { first: 0, x, y, vars };
    },
  };
}
