/**
 * Grid cells to areas (`sozialatlas aggregate grid --to-level L [--method centroid|area]`): the
 * Zensus cells of grid_cell become observations (imported values) of an area level, so the value
 * engine aggregates them up the level hierarchy like any imported figure.
 *
 * - Einwohner (count): Σ population of the cells;
 * - shares (% women, under 18, 65+, foreigners, vacancy): Σ(share/100 · population) over
 *   Σ population of the cells that have both, stored as numerator and denominator of a rate;
 * - means (age, household size, living space): Σ(mean · population) / Σ population, kind 'mean'
 *   weighted by Z22_EW on parent levels.
 * Method 'centroid' gives a cell wholly to the area holding its centre (a centre on a border to the
 * lower code); 'area' splits it by the share of its 1 km² square inside each area. Both are
 * computed in EPSG:3035 (metres). Per area and indicator grid_aggregate_note keeps the number of
 * cells and the share of their population whose value is missing. A share or mean resting on less
 * than (1 − GRID_ESTIMATE_MISSING_SHARE) of the area's population is marked as an estimate
 * (estimated_observation, source level = the grid level), so the API says "geschätzt aus Ebene z1km".
 */
import type { Db, Queryable } from '../db.js';
import { ImportError } from './errors.js';
import { isIsoDate } from './numbers.js';
import { bumpDataVersion } from './versions.js';
import { recomputeValues } from '../values/recompute.js';

/**
 * A share or mean whose cells without a value hold more than this share of the area's population
 * (grid_aggregate_note.missing_pop_share) is marked as an estimate.
 */
export const GRID_ESTIMATE_MISSING_SHARE = 0.1;

/** The Zensus 2022 reference date: default period of the aggregated values. */
export const ZENSUS_2022_PERIOD = '2022-05-15';

export type GridMethod = 'centroid' | 'area';

interface GridIndicator {
  key: string;
  column: string;
  kind: 'count' | 'rate' | 'mean';
  label: string;
  unit: string;
  polarity: -1 | 0 | 1;
}

/** The indicators a grid aggregation writes (columns from this fixed list only). */
export const GRID_INDICATORS: readonly GridIndicator[] = [
  {
    key: 'Z22_EW',
    column: 'einwohner',
    kind: 'count',
    label: 'Einwohner (Zensus 2022)',
    unit: 'Personen',
    polarity: 0,
  },
  { key: 'Z22_FRAUEN', column: 'frauen_a', kind: 'rate', label: 'Anteil Frauen (Zensus 2022)', unit: '%', polarity: 0 },
  { key: 'Z22_U18', column: 'unter18_a', kind: 'rate', label: 'Anteil unter 18 (Zensus 2022)', unit: '%', polarity: 0 },
  { key: 'Z22_65', column: 'ab65_a', kind: 'rate', label: 'Anteil 65 und älter (Zensus 2022)', unit: '%', polarity: 0 },
  {
    key: 'Z22_AUSL',
    column: 'auslaender_a',
    kind: 'rate',
    label: 'Anteil Ausländer (Zensus 2022)',
    unit: '%',
    polarity: 0,
  },
  {
    key: 'Z22_LEER',
    column: 'leerstandsquote',
    kind: 'rate',
    label: 'Leerstandsquote (Zensus 2022, bevölkerungsgewichtet)',
    unit: '%',
    polarity: 1,
  },
  {
    key: 'Z22_ALTER',
    column: 'alter_d',
    kind: 'mean',
    label: 'Durchschnittsalter (Zensus 2022)',
    unit: 'Jahre',
    polarity: 0,
  },
  {
    key: 'Z22_HHG',
    column: 'hhgroesse_d',
    kind: 'mean',
    label: 'Durchschnittliche Haushaltsgröße (Zensus 2022)',
    unit: 'Personen',
    polarity: 0,
  },
  {
    key: 'Z22_WFL_EW',
    column: 'wohnfl_bew_d',
    kind: 'mean',
    label: 'Wohnfläche je Einwohner (Zensus 2022)',
    unit: 'm²',
    polarity: -1,
  },
  {
    key: 'Z22_WFL_WHG',
    column: 'wohnfl_whg_d',
    kind: 'mean',
    label: 'Wohnfläche je Wohnung (Zensus 2022)',
    unit: 'm²',
    polarity: 0,
  },
];

export interface GridAggregateOptions {
  toLevel: string;
  method?: GridMethod;
  /** grid_cell.level to read (default: the only one imported) */
  gridLevel?: string;
  period?: string;
}

export interface GridAggregateReport {
  level: string;
  gridLevel: string;
  method: GridMethod;
  period: string;
  /** areas of the level that received at least one cell, and all areas */
  areas: number;
  areasTotal: number;
  /** cells that went into some area / populated cells that fell into no area */
  cells: number;
  cellsOutside: number;
  populationOutside: number;
  /** Σ Z22_EW over the level */
  population: number;
  observations: number;
}

const ATTRIBUTION =
  'Zensus 2022 (1-km-Gitter, Stichtag 15.05.2022): Statistische Ämter des Bundes und der Länder, Datenlizenz Deutschland – Namensnennung – Version 2.0';

export async function aggregateGrid(db: Db, opts: GridAggregateOptions): Promise<GridAggregateReport> {
  const method = opts.method ?? 'centroid';
  const period = opts.period ?? ZENSUS_2022_PERIOD;
  const where = { file: 'aggregate grid' };
  if (method !== 'centroid' && method !== 'area') {
    throw new ImportError('--method muss centroid oder area sein', { ...where, field: 'method', value: method });
  }
  if (!isIsoDate(period))
    throw new ImportError('Stand muss JJJJ-MM-TT sein', { ...where, field: 'period', value: period });
  return db.transaction(async (tx) => {
    const level = await tx.query<{ n: string }>('SELECT count(*) AS n FROM area WHERE level = $1', [opts.toLevel]);
    const areasTotal = Number(level.rows[0].n);
    if (areasTotal === 0) {
      throw new ImportError('die Ebene hat keine Gebiete (erst Gebiete importieren)', {
        ...where,
        field: 'to-level',
        value: opts.toLevel,
      });
    }
    const gridLevel = await resolveGridLevel(tx, opts.gridLevel);
    await tx.query('DROP TABLE IF EXISTS grid_agg_area');
    await tx.query('DROP TABLE IF EXISTS grid_agg_w');
    await tx.query(
      `CREATE TEMP TABLE grid_agg_area ON COMMIT DROP AS
         SELECT code, ST_Transform(geom, 3035) AS g FROM area WHERE level = $1`,
      [opts.toLevel],
    );
    await tx.query('CREATE INDEX ON grid_agg_area USING gist (g)');
    await tx.query('ANALYZE grid_agg_area');
    // one row per cell × area with the cell's weight w in that area (1 for 'centroid')
    const cols = GRID_INDICATORS.map((i) => `c.${i.column}`).join(', ');
    if (method === 'centroid') {
      await tx.query(
        `CREATE TEMP TABLE grid_agg_w ON COMMIT DROP AS
           SELECT DISTINCT ON (c.code) c.code AS cell, a.code, 1::float8 AS w, ${cols}
             FROM grid_cell c
             JOIN grid_agg_area a ON ST_Intersects(a.g, ST_SetSRID(ST_MakePoint(c.x, c.y), 3035))
            WHERE c.level = $1
            ORDER BY c.code, a.code`,
        [gridLevel],
      );
    } else {
      await tx.query(
        `CREATE TEMP TABLE grid_agg_w ON COMMIT DROP AS
           SELECT c.code AS cell, a.code,
                  ST_Area(ST_Intersection(a.g, e.sq)) / (c.size_m::float8 * c.size_m) AS w, ${cols}
             FROM grid_cell c
            CROSS JOIN LATERAL (SELECT ST_MakeEnvelope(c.x - c.size_m / 2.0, c.y - c.size_m / 2.0,
                                                       c.x + c.size_m / 2.0, c.y + c.size_m / 2.0, 3035) AS sq) e
             JOIN grid_agg_area a ON a.g && e.sq AND ST_Intersects(a.g, e.sq)
            WHERE c.level = $1`,
        [gridLevel],
      );
      await tx.query('DELETE FROM grid_agg_w WHERE w <= 0');
    }
    await ensureIndicators(tx);
    const keys = GRID_INDICATORS.map((i) => i.key);
    await tx.query('DELETE FROM observation WHERE level = $1 AND period = $2::date AND indicator = ANY($3)', [
      opts.toLevel,
      period,
      keys,
    ]);
    await tx.query('DELETE FROM grid_aggregate_note WHERE level = $1 AND period = $2::date AND indicator = ANY($3)', [
      opts.toLevel,
      period,
      keys,
    ]);
    let observations = 0;
    for (const ind of GRID_INDICATORS) {
      const col = ind.column; // from the fixed list above
      const value =
        ind.kind === 'count'
          ? 'sum(einwohner * w)'
          : ind.kind === 'rate'
            ? `100 * sum(${col} / 100 * einwohner * w) / NULLIF(sum(einwohner * w) FILTER (WHERE ${col} IS NOT NULL), 0)`
            : `sum(${col} * einwohner * w) / NULLIF(sum(einwohner * w) FILTER (WHERE ${col} IS NOT NULL), 0)`;
      const num =
        ind.kind === 'count'
          ? 'NULL::float8'
          : ind.kind === 'rate'
            ? `sum(${col} / 100 * einwohner * w)`
            : `sum(${col} * einwohner * w)`;
      const den =
        ind.kind === 'count'
          ? 'NULL::float8'
          : `sum(einwohner * w) FILTER (WHERE ${col} IS NOT NULL AND einwohner IS NOT NULL)`;
      const r = await tx.query(
        `INSERT INTO observation (level, code, indicator, period, value, numerator, denominator)
         SELECT $1, code, $2, $3::date, v, n, d
           FROM (SELECT code, ${value} AS v, ${num} AS n, ${den} AS d FROM grid_agg_w GROUP BY code) s
          WHERE v IS NOT NULL`,
        [opts.toLevel, ind.key, period],
      );
      observations += r.rowCount;
      await tx.query(
        `INSERT INTO grid_aggregate_note (level, code, indicator, period, grid_level, method, n_cells, n_missing, missing_pop_share)
         SELECT $1, code, $2, $3::date, $4, $5, count(*), count(*) FILTER (WHERE ${col} IS NULL),
                sum(einwohner * w) FILTER (WHERE ${col} IS NULL) / NULLIF(sum(einwohner * w), 0)
           FROM grid_agg_w GROUP BY code`,
        [opts.toLevel, ind.key, period, gridLevel, method],
      );
    }
    // The deleted observations took their old marks with them (ON DELETE CASCADE).
    await tx.query(
      `INSERT INTO estimated_observation (level, code, indicator, period, source_level, weight, value)
       SELECT o.level, o.code, o.indicator, o.period, n.grid_level, 'population', o.value
         FROM grid_aggregate_note n
         JOIN observation o ON o.level = n.level AND o.code = n.code AND o.indicator = n.indicator AND o.period = n.period
        WHERE n.level = $1 AND n.period = $2::date AND n.indicator = ANY($3) AND n.missing_pop_share > $4
       ON CONFLICT (level, indicator, period, code) DO UPDATE
          SET source_level = EXCLUDED.source_level, weight = EXCLUDED.weight, value = EXCLUDED.value`,
      [opts.toLevel, period, keys, GRID_ESTIMATE_MISSING_SHARE],
    );
    const stats = (
      await tx.query<{ areas: string; cells: string; pop: number | null }>(
        `SELECT count(DISTINCT code) AS areas, count(DISTINCT cell) AS cells, sum(einwohner * w) AS pop FROM grid_agg_w`,
      )
    ).rows[0];
    const outside = (
      await tx.query<{ n: string; pop: number | null }>(
        `SELECT count(*) AS n, sum(einwohner) AS pop FROM grid_cell c
          WHERE c.level = $1 AND c.einwohner IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM grid_agg_w w WHERE w.cell = c.code)`,
        [gridLevel],
      )
    ).rows[0];
    await tx.query(
      `INSERT INTO setting (key, value) VALUES ('attribution.grid', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [ATTRIBUTION],
    );
    await bumpDataVersion(tx);
    await recomputeValues(tx);
    return {
      level: opts.toLevel,
      gridLevel,
      method,
      period,
      areas: Number(stats.areas),
      areasTotal,
      cells: Number(stats.cells),
      cellsOutside: Number(outside.n),
      populationOutside: Number(outside.pop ?? 0),
      population: Number(stats.pop ?? 0),
      observations,
    };
  });
}

async function resolveGridLevel(tx: Queryable, wanted?: string): Promise<string> {
  const levels = (await tx.query<{ level: string }>('SELECT DISTINCT level FROM grid_cell ORDER BY level')).rows.map(
    (r) => r.level,
  );
  if (wanted !== undefined) {
    if (!levels.includes(wanted)) {
      throw new ImportError(
        `Gitterebene nicht importiert (vorhanden: ${levels.length ? levels.join(', ') : 'keine'}; erst sozialatlas import grid)`,
        { file: 'aggregate grid', field: 'grid', value: wanted },
      );
    }
    return wanted;
  }
  if (levels.length === 0) {
    throw new ImportError('keine Gitterzellen importiert (erst sozialatlas import grid ORDNER --level L)', {
      file: 'aggregate grid',
    });
  }
  if (levels.length > 1) {
    throw new ImportError(`mehrere Gitterebenen importiert (${levels.join(', ')}): bitte --grid angeben`, {
      file: 'aggregate grid',
      field: 'grid',
    });
  }
  return levels[0];
}

/** Creates the Zensus indicators once; existing rows (possibly edited) are kept. */
async function ensureIndicators(tx: Queryable): Promise<void> {
  let order = 900;
  for (const i of GRID_INDICATORS) {
    await tx.query(
      `INSERT INTO indicator (key, label, unit, topic, polarity, description, kind, scale, numerator, denominator,
                              sort_order, weight_indicator)
       VALUES ($1, $2, $3, 'Zensus 2022', $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (key) DO NOTHING`,
      [
        i.key,
        i.label,
        i.unit,
        i.polarity,
        `Aus den Zellen des Zensus-2022-1-km-Gitters ${
          i.kind === 'count'
            ? 'summiert'
            : i.kind === 'rate'
              ? 'als Σ(Anteil·Einwohner)/ΣEinwohner der Zellen mit Wert'
              : 'als mit den Einwohnern gewichtetes Mittel der Zellen mit Wert'
        }; geheim gehaltene Zellen (-1/-9) fehlen.`,
        i.kind,
        i.kind === 'rate' ? 100 : 1,
        i.kind === 'count' ? null : `${i.column}·Einwohner`,
        i.kind === 'count' ? null : 'Einwohner der Zellen mit Wert',
        order++,
        i.kind === 'mean' ? 'Z22_EW' : null,
      ],
    );
  }
}
