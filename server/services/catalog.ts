import type { Queryable } from '../../geodata/db.js';
import type { IndicatorMeta, LevelRow } from '../api-types.js';
import { notFound, badRequest } from '../http/errors.js';

export type { IndicatorMeta, LevelRow } from '../api-types.js';

/** Lookups that every route uses to turn an unknown level, indicator or period into a 4xx naming it. */

/**
 * The default reference date ("Stichtag") when a request names none (`defaultPeriod`): the latest period that
 * carries the most indicators. A partial update, such as new population counts only, does not
 * move it away from the last complete reference date; a complete new year does. Where every
 * period has the same indicators (a plain time series) it is simply the latest period.
 */
const PERIODS_OF = (levels: string) => `(SELECT o.period::text AS p, count(DISTINCT o.indicator) AS n
   FROM observation o WHERE o.level = ${levels} GROUP BY o.period)`;
/** From one grouped scan: the ascending period list and the default period. */
const PERIOD_COLUMNS = `COALESCE(array_agg(g.p ORDER BY g.p), '{}') AS periods, (array_agg(g.p ORDER BY g.n DESC, g.p DESC))[1] AS "defaultPeriod"`;

export async function listLevels(db: Queryable): Promise<LevelRow[]> {
  const r = await db.query<LevelRow>(
    `SELECT l.key, l.label, l.parent_level AS "parentLevel", l.geometry_version AS "geometryVersion",
            (SELECT count(*)::int FROM area a WHERE a.level = l.key) AS count,
            pp.periods, pp."defaultPeriod"
       FROM level l
       CROSS JOIN LATERAL (SELECT ${PERIOD_COLUMNS} FROM ${PERIODS_OF('l.key')} g) pp
      ORDER BY count DESC, l.key`,
  );
  return r.rows;
}

export async function requireLevel(db: Queryable, level: string): Promise<LevelRow> {
  const all = await listLevels(db);
  const found = all.find((l) => l.key === level);
  if (!found) throw notFound(`Unbekannte Ebene '${level}'`, { level, known: all.map((l) => l.key) });
  return found;
}

const INDICATOR_COLUMNS = `key, label, unit, topic, polarity::int AS polarity, description, target, target_direction AS "targetDirection",
  kind, scale, numerator, denominator`;

export async function listIndicators(db: Queryable, level?: string): Promise<(IndicatorMeta & { periods: string[] })[]> {
  const r = await db.query<IndicatorMeta & { periods: string[] }>(
    `SELECT ${INDICATOR_COLUMNS},
            COALESCE((SELECT array_agg(DISTINCT o.period::text ORDER BY o.period::text) FROM observation o
                       WHERE o.indicator = i.key AND ($1::text IS NULL OR o.level = $1)), '{}') AS periods
       FROM indicator i ORDER BY sort_order, key`,
    [level ?? null],
  );
  return r.rows;
}

export async function requireIndicator(db: Queryable, key: string): Promise<IndicatorMeta> {
  const r = await db.query<IndicatorMeta>(`SELECT ${INDICATOR_COLUMNS} FROM indicator WHERE key = $1`, [key]);
  if (!r.rows[0]) throw notFound(`Unbekannter Indikator '${key}'`, { indicator: key });
  return r.rows[0];
}

/** 400 when the indicator has no value at all for this level and period. */
export async function requirePeriod(db: Queryable, level: string, indicator: string, period: string): Promise<void> {
  const r = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM observation WHERE level = $1 AND indicator = $2 AND period = $3',
    [level, indicator, period],
  );
  if (r.rows[0].n === 0) {
    const p = await db.query<{ period: string }>(
      'SELECT DISTINCT period::text AS period FROM observation WHERE level = $1 AND indicator = $2 ORDER BY 1',
      [level, indicator],
    );
    throw badRequest(`Für Indikator '${indicator}' gibt es auf Ebene '${level}' keinen Zeitraum '${period}'`, {
      indicator,
      level,
      period,
      known: p.rows.map((x) => x.period),
    });
  }
}

/**
 * The default period of a level (see DEFAULT_PERIOD_SQL) from the observations of `levels`:
 * the level itself, plus its child levels where it is filled by aggregation.
 */
export async function defaultPeriod(db: Queryable, levels: string | string[]): Promise<string | null> {
  const r = await db.query<{ defaultPeriod: string | null }>(`SELECT ${PERIOD_COLUMNS} FROM ${PERIODS_OF('ANY($1)')} g`, [Array.isArray(levels) ? levels : [levels]]);
  return r.rows[0]?.defaultPeriod ?? null;
}

export async function dataVersion(db: Queryable): Promise<number> {
  const r = await db.query<{ version: number }>('SELECT version FROM data_version WHERE id = 1');
  return Number(r.rows[0]?.version ?? 0);
}
