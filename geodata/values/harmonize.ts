/**
 * Values across boundary changes (`sozialatlas harmonize --from-level A --to-level B --period P
 * [--indicators a,b] --weight area|population`): areal interpolation in PostGIS. Every source area
 * is cut with every target area (ST_Intersection in EPSG:3035, an equal-area metric CRS) and its
 * counts are split by the share of the source area lying in the target area ('area') or by the
 * share of its population living there ('population': Zensus grid cells of grid_cell, a cell
 * counting where its centre lies). Rates are rebuilt from the split numerators and denominators
 * (scale·Σnum/Σden), means as population-weighted means with their weight indicator split alike.
 * The results are observations of level B (so they aggregate up), marked in estimated_observation
 * with their source level and weight; an existing observation that was not estimated is never
 * overwritten. Index and class values are not interpolated (reported).
 */
import type { Db, Queryable } from '../db.js';
import { ImportError } from '../import/errors.js';
import { isIsoDate } from '../import/numbers.js';
import { bumpDataVersion } from '../import/versions.js';
import { recomputeValues } from './recompute.js';

export type HarmonizeWeight = 'area' | 'population';

export interface HarmonizeOptions {
  fromLevel: string;
  toLevel: string;
  period: string;
  indicators?: string[];
  weight: HarmonizeWeight;
  /** grid_cell.level giving the population (default: the only one imported) */
  gridLevel?: string;
}

export interface HarmonizeReport {
  fromLevel: string;
  toLevel: string;
  period: string;
  weight: HarmonizeWeight;
  /** source × target pieces with a positive share */
  pieces: number;
  /** per indicator: target values written, and existing (not estimated) values kept */
  written: Record<string, number>;
  kept: Record<string, number>;
  /** source areas without population in the grid: split by area instead (codes, at most 20) */
  areaFallback: string[];
  warnings: string[];
}

const WHERE = { file: 'harmonize' };

export async function harmonize(db: Db, opts: HarmonizeOptions): Promise<HarmonizeReport> {
  if (opts.weight !== 'area' && opts.weight !== 'population') {
    throw new ImportError('--weight muss area oder population sein', { ...WHERE, field: 'weight', value: opts.weight });
  }
  if (!isIsoDate(opts.period)) {
    throw new ImportError('Stand (--period) muss JJJJ-MM-TT sein', { ...WHERE, field: 'period', value: opts.period });
  }
  if (opts.fromLevel === opts.toLevel) {
    throw new ImportError('Quell- und Zielebene sind dieselbe', { ...WHERE, field: 'to-level', value: opts.toLevel });
  }
  return db.transaction(async (tx) => {
    for (const [field, level] of [
      ['from-level', opts.fromLevel],
      ['to-level', opts.toLevel],
    ] as const) {
      const n = (await tx.query<{ n: string }>('SELECT count(*) AS n FROM area WHERE level = $1', [level])).rows[0].n;
      if (Number(n) === 0) {
        throw new ImportError('die Ebene hat keine Gebiete', { ...WHERE, field, value: level });
      }
    }
    const gridLevel = opts.weight === 'population' ? await populationLayer(tx, opts.gridLevel) : null;
    const warnings: string[] = [];
    const inds = await sourceIndicators(tx, opts, warnings);

    await tx.query('DROP TABLE IF EXISTS harm_src');
    await tx.query('DROP TABLE IF EXISTS harm_piece');
    await tx.query(
      `CREATE TEMP TABLE harm_src ON COMMIT DROP AS
         SELECT code, ST_Transform(geom, 3035) AS g FROM area WHERE level = $1`,
      [opts.fromLevel],
    );
    await tx.query('CREATE INDEX ON harm_src USING gist (g)');
    await tx.query(
      `CREATE TEMP TABLE harm_piece ON COMMIT DROP AS
         WITH t AS MATERIALIZED (SELECT code, ST_Transform(geom, 3035) AS g FROM area WHERE level = $1)
         SELECT s.code AS src, t.code AS tgt, s.g AS sg, ST_Intersection(s.g, t.g) AS piece,
                ST_Area(ST_Intersection(s.g, t.g)) / NULLIF(ST_Area(s.g), 0) AS share
           FROM harm_src s JOIN t ON s.g && t.g AND ST_Intersects(s.g, t.g)`,
      [opts.toLevel],
    );
    await tx.query('DELETE FROM harm_piece WHERE share IS NULL OR share <= 0');
    const pieces = Number((await tx.query<{ n: string }>('SELECT count(*) AS n FROM harm_piece')).rows[0].n);
    if (pieces === 0) {
      throw new ImportError(
        `die Ebenen "${opts.fromLevel}" und "${opts.toLevel}" überschneiden sich nicht: kein Gebiet der Zielebene liegt auf einem Gebiet der Quellebene`,
        { ...WHERE, field: 'to-level', value: opts.toLevel },
      );
    }
    let areaFallback: string[] = [];
    if (gridLevel !== null) {
      // population share: Σ population of the cells whose centre lies in the piece / in the source area
      await tx.query(`ALTER TABLE harm_piece ADD COLUMN pop double precision, ADD COLUMN src_pop double precision`);
      await tx.query(
        `UPDATE harm_piece p SET pop = COALESCE((
           SELECT sum(c.einwohner) FROM grid_cell c
            WHERE c.level = $1 AND c.einwohner IS NOT NULL
              AND ST_Intersects(ST_Transform(p.piece, 4326), c.geom)
              AND ST_Intersects(p.piece, ST_SetSRID(ST_MakePoint(c.x, c.y), 3035))), 0)`,
        [gridLevel],
      );
      await tx.query(
        `UPDATE harm_piece p SET src_pop = s.total FROM (SELECT src, sum(pop) AS total FROM harm_piece GROUP BY src) s
          WHERE s.src = p.src`,
      );
      areaFallback = (
        await tx.query<{ src: string }>('SELECT DISTINCT src FROM harm_piece WHERE src_pop = 0 ORDER BY src')
      ).rows.map((r) => r.src);
      await tx.query('UPDATE harm_piece SET share = pop / src_pop WHERE src_pop > 0');
      if (areaFallback.length > 0) {
        warnings.push(
          `${areaFallback.length} Gebiete der Quellebene ohne Einwohner im Gitter, nach Fläche aufgeteilt: ${areaFallback.slice(0, 20).join(', ')}${areaFallback.length > 20 ? ' …' : ''}`,
        );
      }
    }

    const written: Record<string, number> = {};
    const kept: Record<string, number> = {};
    for (const ind of inds) {
      // a mark whose observation no longer holds the estimate was overwritten by an import: no estimate
      await tx.query(
        `DELETE FROM estimated_observation e USING observation o
          WHERE e.level = o.level AND e.indicator = o.indicator AND e.period = o.period AND e.code = o.code
            AND o.level = $1 AND o.indicator = $2 AND o.period = $3::date AND o.value IS DISTINCT FROM e.value`,
        [opts.toLevel, ind.key, opts.period],
      );
      // values of the target level estimated earlier from this or another run are replaced
      await tx.query(
        `DELETE FROM observation o USING estimated_observation e
          WHERE e.level = o.level AND e.indicator = o.indicator AND e.period = o.period AND e.code = o.code
            AND o.level = $1 AND o.indicator = $2 AND o.period = $3::date`,
        [opts.toLevel, ind.key, opts.period],
      );
      const sums =
        ind.kind === 'count'
          ? `sum(v.value * p.share) AS v, NULL::float8 AS n, NULL::float8 AS d`
          : ind.kind === 'rate'
            ? `$5::float8 * sum(v.numerator * p.share) / NULLIF(sum(v.denominator * p.share), 0) AS v,
               sum(v.numerator * p.share) AS n, sum(v.denominator * p.share) AS d`
            : `sum(v.value * w.value * p.share) / NULLIF(sum(w.value * p.share), 0) AS v,
               sum(v.value * w.value * p.share) AS n, sum(w.value * p.share) AS d`;
      const r = await tx.query<{ code: string; value: number }>(
        `INSERT INTO observation (level, code, indicator, period, value, numerator, denominator)
         SELECT $1, tgt, $2, $3::date, v, n, d FROM (
           SELECT p.tgt, ${sums}
             FROM harm_piece p
             JOIN level_value v ON v.level = $4 AND v.indicator = $2 AND v.period = $3::date AND v.code = p.src
             ${ind.kind === 'mean' ? 'JOIN level_value w ON w.level = v.level AND w.indicator = $5 AND w.period = v.period AND w.code = v.code' : ''}
            WHERE v.value IS NOT NULL ${ind.kind === 'rate' ? 'AND v.numerator IS NOT NULL AND v.denominator IS NOT NULL' : ''}
            GROUP BY p.tgt) s
          WHERE v IS NOT NULL
         ON CONFLICT (level, indicator, period, code) DO NOTHING
         RETURNING code, value`,
        [
          opts.toLevel,
          ind.key,
          opts.period,
          opts.fromLevel,
          ...(ind.kind === 'rate' ? [ind.scale] : ind.kind === 'mean' ? [ind.weight] : []),
        ],
      );
      written[ind.key] = r.rowCount;
      if (r.rowCount > 0) {
        await tx.query(
          `INSERT INTO estimated_observation (level, code, indicator, period, source_level, weight, value)
           SELECT $1, u.code, $2, $3::date, $4, $5, u.value FROM unnest($6::text[], $7::float8[]) AS u(code, value)`,
          [
            opts.toLevel,
            ind.key,
            opts.period,
            opts.fromLevel,
            opts.weight,
            r.rows.map((x) => x.code),
            r.rows.map((x) => x.value),
          ],
        );
      }
      const targets = Number(
        (
          await tx.query<{ n: string }>(
            `SELECT count(DISTINCT p.tgt) AS n FROM harm_piece p
               JOIN level_value v ON v.level = $1 AND v.indicator = $2 AND v.period = $3::date AND v.code = p.src`,
            [opts.fromLevel, ind.key, opts.period],
          )
        ).rows[0].n,
      );
      kept[ind.key] = Math.max(0, targets - r.rowCount);
      if (kept[ind.key] > 0) {
        warnings.push(
          `${ind.key}: ${kept[ind.key]} vorhandene Werte der Ebene "${opts.toLevel}" behalten (nicht geschätzt, nicht überschrieben)`,
        );
      }
    }
    await bumpDataVersion(tx);
    await recomputeValues(tx);
    return {
      fromLevel: opts.fromLevel,
      toLevel: opts.toLevel,
      period: opts.period,
      weight: opts.weight,
      pieces,
      written,
      kept,
      areaFallback,
      warnings,
    };
  });
}

interface SourceIndicator {
  key: string;
  kind: 'count' | 'rate' | 'mean';
  scale: number;
  weight: string | null;
}

async function sourceIndicators(tx: Queryable, opts: HarmonizeOptions, warnings: string[]): Promise<SourceIndicator[]> {
  const rows = (
    await tx.query<{ key: string; kind: string; scale: number; weight: string | null; n: string }>(
      `SELECT i.key, i.kind, i.scale, i.weight_indicator AS weight,
              (SELECT count(*) FROM level_value v WHERE v.level = $1 AND v.period = $2::date AND v.indicator = i.key) AS n
         FROM indicator i
        WHERE ($3::text[] IS NULL OR i.key = ANY($3)) AND i.formula IS NULL
        ORDER BY i.sort_order, i.key`,
      [opts.fromLevel, opts.period, opts.indicators ?? null],
    )
  ).rows;
  if (opts.indicators) {
    const known = new Set(rows.map((r) => r.key));
    const unknown = opts.indicators.filter((k) => !known.has(k));
    if (unknown.length > 0) {
      throw new ImportError(`unbekannte oder berechnete Indikatoren: ${unknown.join(', ')}`, {
        ...WHERE,
        field: 'indicators',
        value: unknown.join(','),
      });
    }
  }
  const out: SourceIndicator[] = [];
  for (const r of rows) {
    if (Number(r.n) === 0) {
      if (opts.indicators) {
        throw new ImportError(`${r.key} hat auf der Ebene "${opts.fromLevel}" keine Werte zum Stand ${opts.period}`, {
          ...WHERE,
          field: 'indicators',
          value: r.key,
        });
      }
      continue;
    }
    if (r.kind === 'count' || r.kind === 'rate' || (r.kind === 'mean' && r.weight)) {
      out.push({ key: r.key, kind: r.kind as SourceIndicator['kind'], scale: r.scale, weight: r.weight });
    } else {
      warnings.push(
        `${r.key}: ${r.kind === 'mean' ? 'Mittelwert ohne Gewicht' : `Art ${r.kind}`} wird nicht übertragen`,
      );
    }
  }
  if (out.length === 0) {
    throw new ImportError(`die Ebene "${opts.fromLevel}" hat zum Stand ${opts.period} keine übertragbaren Werte`, {
      ...WHERE,
      field: 'period',
      value: opts.period,
    });
  }
  return out;
}

async function populationLayer(tx: Queryable, wanted?: string): Promise<string> {
  const levels = (
    await tx.query<{ level: string }>(
      'SELECT DISTINCT level FROM grid_cell WHERE einwohner IS NOT NULL AND ($1::text IS NULL OR level = $1) ORDER BY level',
      [wanted ?? null],
    )
  ).rows.map((r) => r.level);
  if (levels.length === 0) {
    throw new ImportError(
      wanted
        ? `Gewicht population braucht eine Bevölkerungsschicht: die Gitterebene "${wanted}" hat keine Einwohnerzahlen`
        : 'Gewicht population braucht eine Bevölkerungsschicht: keine Gitterzellen mit Einwohnern importiert (sozialatlas import grid ORDNER --level L) – oder --weight area',
      { ...WHERE, field: 'weight', value: 'population' },
    );
  }
  if (levels.length > 1) {
    throw new ImportError(`mehrere Gitterebenen mit Einwohnern (${levels.join(', ')}): bitte --grid angeben`, {
      ...WHERE,
      field: 'grid',
    });
  }
  return levels[0];
}
