/**
 * The catalog of levels, indicators and periods, and the one lookup module every service and
 * route uses for them. A name that matches nothing gets its status from where the request carried
 * it (errors.unknownName): in the URL path 404, in the query string or body 400. Callers say which
 * with a NameSource, so the same unknown indicator answers the same way on every route.
 */
import type { Queryable } from '../../geodata/db.js';
import type { IndicatorMeta, LevelRow } from '../api-types.js';
import { unknownName, type NameSource } from '../http/errors.js';
import { perVersion } from './version-memo.js';

export type { IndicatorMeta, LevelRow } from '../api-types.js';

export type { NameSource };

/**
 * The default reference date ("Stichtag") when a request names none (`defaultPeriod`): the latest period that
 * carries the most indicators. A partial update, such as new population counts only, does not
 * move it away from the last complete reference date; a complete new year does. Where every
 * period has the same indicators (a plain time series) it is simply the latest period.
 */
const PERIODS_OF = (levels: string) => `(SELECT o.period::text AS p, count(DISTINCT o.indicator) AS n
   FROM level_value o JOIN indicator i ON i.key = o.indicator AND i.visibility = 'public'
  WHERE o.level = ${levels} GROUP BY o.period)`;
/** From one grouped scan: the ascending period list and the default period. */
const PERIOD_COLUMNS = `COALESCE(array_agg(g.p ORDER BY g.p), '{}') AS periods, (array_agg(g.p ORDER BY g.n DESC, g.p DESC))[1] AS "defaultPeriod"`;

/** Copies of memoised rows, so a caller that changes its answer cannot change the next caller's. */
const copies = <T extends object>(rows: T[]): T[] => rows.map((r) => ({ ...r }));

/** Every level with its area count, periods and default period; kept per data version (version-memo.ts). */
export async function listLevels(db: Queryable): Promise<LevelRow[]> {
  return copies(await perVersion(db, 'levels', () => queryLevels(db)));
}

async function queryLevels(db: Queryable): Promise<LevelRow[]> {
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

/** The level, or a 404/400 (by `source`) naming it and the known levels. */
export async function requireLevel(db: Queryable, level: string, source: NameSource): Promise<LevelRow> {
  const all = await listLevels(db);
  const found = all.find((l) => l.key === level);
  if (!found) throw unknownName(source, `Unbekannte Ebene '${level}'`, { level, known: all.map((l) => l.key) });
  return found;
}

const INDICATOR_COLUMNS = `key, label, unit, topic, polarity::int AS polarity, description, target, target_direction AS "targetDirection",
  kind, scale, numerator, denominator, formula, weight_indicator AS "weightIndicator", source, attribution`;
/** Grunddaten (visibility 'grunddaten') feed formulas but are not part of the public catalogue: unknown to every reader. */
const PUBLIC = "visibility = 'public'";

/**
 * The public indicators in catalogue order with the periods they have values in (on `level`, or on
 * any level). One grouped scan of the read model, not a subquery per indicator (a catalogue of
 * 100 000 indicators took minutes that way); kept per data version.
 */
export async function listIndicators(
  db: Queryable,
  level?: string,
): Promise<(IndicatorMeta & { periods: string[] })[]> {
  return copies(await perVersion(db, `indicators:${level ?? ''}`, () => queryIndicators(db, level)));
}

async function queryIndicators(db: Queryable, level?: string): Promise<(IndicatorMeta & { periods: string[] })[]> {
  const r = await db.query<IndicatorMeta & { periods: string[] }>(
    `WITH p AS (
       SELECT indicator, array_agg(period::text ORDER BY period) AS periods
         FROM (SELECT DISTINCT indicator, period FROM level_value WHERE $1::text IS NULL OR level = $1) d
        GROUP BY indicator)
     SELECT ${INDICATOR_COLUMNS}, COALESCE(p.periods, '{}') AS periods
       FROM indicator i LEFT JOIN p ON p.indicator = i.key
      WHERE ${PUBLIC} ORDER BY sort_order, key`,
    [level ?? null],
  );
  return r.rows;
}

/** Every indicator's metadata in catalogue order (sort_order, key), without the period lists of listIndicators. */
export async function listIndicatorMeta(db: Queryable): Promise<IndicatorMeta[]> {
  return copies(
    await perVersion(
      db,
      'indicatorMeta',
      async () =>
        (
          await db.query<IndicatorMeta>(
            `SELECT ${INDICATOR_COLUMNS} FROM indicator WHERE ${PUBLIC} ORDER BY sort_order, key`,
          )
        ).rows,
    ),
  );
}

/** The indicator, or a 404/400 (by `source`) naming it. */
export async function requireIndicator(db: Queryable, key: string, source: NameSource): Promise<IndicatorMeta> {
  const r = await db.query<IndicatorMeta>(`SELECT ${INDICATOR_COLUMNS} FROM indicator WHERE key = $1 AND ${PUBLIC}`, [
    key,
  ]);
  if (!r.rows[0]) throw unknownName(source, `Unbekannter Indikator '${key}'`, { indicator: key });
  return r.rows[0];
}

/** Several indicators in the order asked for (one query), or a 404/400 (by `source`) naming every unknown one. */
export async function requireIndicators(db: Queryable, keys: string[], source: NameSource): Promise<IndicatorMeta[]> {
  const r = await db.query<IndicatorMeta>(
    `SELECT ${INDICATOR_COLUMNS} FROM indicator WHERE key = ANY($1) AND ${PUBLIC}`,
    [keys],
  );
  const byKey = new Map(r.rows.map((x) => [x.key, x]));
  const unknown = [...new Set(keys.filter((k) => !byKey.has(k)))];
  if (unknown.length === 1)
    throw unknownName(source, `Unbekannter Indikator '${unknown[0]}'`, { indicator: unknown[0], unknown });
  if (unknown.length) throw unknownName(source, `Unbekannte Indikatoren: ${unknown.join(', ')}`, { unknown });
  return keys.map((k) => byKey.get(k)!);
}

export interface PeriodScope {
  /** Only periods with values of this indicator (default: of any public indicator). */
  indicator?: string;
}

/**
 * Periods with values on a level, ascending: from the read model (sql/007), which holds every
 * level's values however they were made (imported, aggregated from the child level, formula).
 */
export async function levelPeriods(db: Queryable, level: string, scope: PeriodScope = {}): Promise<string[]> {
  return [...(await perVersion(db, `periods:${level}:${scope.indicator ?? ''}`, () => queryPeriods(db, level, scope)))];
}

async function queryPeriods(db: Queryable, level: string, scope: PeriodScope): Promise<string[]> {
  const r = await db.query<{ period: string }>(
    `SELECT DISTINCT v.period::text AS period FROM level_value v
       JOIN indicator i ON i.key = v.indicator AND i.visibility = 'public'
      WHERE v.level = $1 AND ($2::text IS NULL OR v.indicator = $2) ORDER BY 1`,
    [level, scope.indicator ?? null],
  );
  return r.rows.map((x) => x.period);
}

/**
 * Nothing unless the level (and indicator) has values in the period; else a 404/400 (by `source`)
 * naming it and the known periods. `param` names the query parameter in the message where it is
 * not simply `period` (e.g. 'since').
 */
export async function requirePeriod(
  db: Queryable,
  level: string,
  period: string,
  source: NameSource,
  scope: PeriodScope & { param?: string } = {},
): Promise<void> {
  const known = await levelPeriods(db, level, scope);
  if (known.includes(period)) return;
  const { indicator } = scope;
  if (indicator && known.length === 0) {
    // Index and class indicators are not summed into parent levels: say so instead of "no period".
    const k = await db.query<{ kind: string; label: string; own: boolean }>(
      `SELECT i.kind, i.label, EXISTS (SELECT 1 FROM level_value v WHERE v.indicator = i.key AND v.level = $2) AS own
         FROM indicator i WHERE i.key = $1`,
      [indicator, level],
    );
    const row = k.rows[0];
    if (row && (row.kind === 'index' || row.kind === 'class') && !row.own) {
      throw unknownName(
        source,
        `Indikator '${indicator}' (${row.label}) ist ein ${row.kind === 'index' ? 'Index' : 'Klassenwert'} und wird nicht auf die Ebene '${level}' zusammengefasst; er liegt nur auf der Ebene vor, für die er geliefert wurde`,
        { level, indicator, kind: row.kind, known },
      );
    }
  }
  throw unknownName(
    source,
    `Unbekannter Zeitraum ${scope.param ? `${scope.param}=` : ''}'${period}'${indicator ? ` für Indikator '${indicator}'` : ''} auf Ebene '${level}'`,
    { level, period, indicator: indicator ?? null, known },
  );
}

/** The default period of a level (the rule above PERIODS_OF), from its values in the read model. */
export async function levelDefaultPeriod(db: Queryable, level: string): Promise<string | null> {
  return perVersion(db, `defaultPeriod:${level}`, () => queryDefaultPeriod(db, level));
}

async function queryDefaultPeriod(db: Queryable, level: string): Promise<string | null> {
  const r = await db.query<{ defaultPeriod: string | null }>(`SELECT ${PERIOD_COLUMNS} FROM ${PERIODS_OF('$1')} g`, [
    level,
  ]);
  return r.rows[0]?.defaultPeriod ?? null;
}

/** The data version (sql/001: data_version), bumped by every import. */
export async function dataVersion(db: Queryable): Promise<number> {
  const r = await db.query<{ version: number }>('SELECT version FROM data_version WHERE id = 1');
  return Number(r.rows[0]?.version ?? 0);
}
