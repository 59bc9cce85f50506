import type { Queryable } from '../../geodata/db.js';
import { badRequest } from '../http/errors.js';
import { requireLevel, defaultPeriod, type IndicatorMeta, type LevelRow } from './catalog.js';
import { changeOf, absoluteUnit, summarizeChanges, type ChangeValue } from '../../analysis/indicator-change.js';

/**
 * Change of an indicator between two periods on a level (GET /api/change, `sozialatlas change`),
 * and the value loaders the other monitoring services share: values of a level in a period
 * (own observations, or for a parent level without its own the Σnum/Σden aggregate of its
 * children), the periods a level has, and the comparability register (sql/005: area_change).
 * Suppressed values (population below the threshold) never leave as numbers.
 */

const INDICATOR_COLUMNS = `key, label, unit, topic, polarity::int AS polarity, description, target, target_direction AS "targetDirection",
  kind, scale, numerator, denominator`;

/** The indicator, or a 400 naming it: an unknown indicator in a query is bad input (issue 6). */
export async function indicatorOr400(db: Queryable, key: string): Promise<IndicatorMeta> {
  const r = await db.query<IndicatorMeta>(`SELECT ${INDICATOR_COLUMNS} FROM indicator WHERE key = $1`, [key]);
  if (!r.rows[0]) throw badRequest(`Unbekannter Indikator '${key}'`, { indicator: key });
  return r.rows[0];
}

export async function indicatorsOr400(db: Queryable, keys: string[]): Promise<IndicatorMeta[]> {
  const r = await db.query<IndicatorMeta>(`SELECT ${INDICATOR_COLUMNS} FROM indicator WHERE key = ANY($1)`, [keys]);
  const byKey = new Map(r.rows.map((x) => [x.key, x]));
  const unknown = keys.filter((k) => !byKey.has(k));
  if (unknown.length) throw badRequest(`Unbekannte Indikatoren: ${unknown.join(', ')}`, { unknown });
  return keys.map((k) => byKey.get(k)!);
}

/** Levels whose observations feed this level: itself and its direct child levels (aggregates). */
async function sourceLevels(db: Queryable, level: string): Promise<string[]> {
  const r = await db.query<{ key: string }>('SELECT key FROM level WHERE parent_level = $1', [level]);
  return [level, ...r.rows.map((x) => x.key)];
}

/** The default period of a level (catalog.defaultPeriod), its own or aggregated from a child level. */
export async function levelDefaultPeriod(db: Queryable, level: string): Promise<string | null> {
  return defaultPeriod(db, await sourceLevels(db, level));
}

/**
 * Each indicator's "Stand" for a requested period: its latest period up to that one on the level
 * (own or child observations). Indicators are not all updated at the same dates, so a profile
 * shows each at its Stand, the way printed monitoring reports do.
 */
export async function indicatorStand(db: Queryable, level: string, period: string): Promise<Map<string, string>> {
  const r = await db.query<{ indicator: string; period: string }>(
    'SELECT indicator, max(period)::text AS period FROM observation WHERE level = ANY($1) AND period <= $2 GROUP BY indicator',
    [await sourceLevels(db, level), period],
  );
  return new Map(r.rows.map((x) => [x.indicator, x.period]));
}

/** Periods with values on a level, its own or aggregated from a child level (ascending). */
export async function levelPeriods(db: Queryable, level: string, indicator?: string): Promise<string[]> {
  const levels = await sourceLevels(db, level);
  const r = await db.query<{ period: string }>(
    `SELECT DISTINCT period::text AS period FROM observation
      WHERE level = ANY($1) AND ($2::text IS NULL OR indicator = $2) ORDER BY 1`,
    [levels, indicator ?? null],
  );
  return r.rows.map((x) => x.period);
}

/** 400 unless the period is one the level (and indicator) has values for. */
export async function periodOr400(db: Queryable, level: string, period: string, indicator?: string): Promise<void> {
  const known = await levelPeriods(db, level, indicator);
  if (!known.includes(period)) {
    throw badRequest(
      `Unbekannter Zeitraum '${period}'${indicator ? ` für Indikator '${indicator}'` : ''} auf Ebene '${level}'`,
      { level, period, indicator: indicator ?? null, known },
    );
  }
}

export interface LevelValue {
  code: string;
  indicator: string;
  value: number | null;
  suppressed: boolean;
  /** true when the value is the aggregate of the child level (the level has no own observation). */
  aggregated: boolean;
}

/**
 * Values of a level in a period: own observations (suppressed → null) and, where the level has
 * no own observation of an indicator, the aggregate of its children (rates Σnum/Σden, counts Σ;
 * index and class indicators are not aggregated, so they stay missing).
 */
export async function levelValues(db: Queryable, level: string, period: string, indicators?: string[], codes?: string[]): Promise<LevelValue[]> {
  const r = await db.query<LevelValue>(
    `SELECT v.code, v.indicator, CASE WHEN v.suppressed THEN NULL ELSE v.value END AS value, v.suppressed, false AS aggregated
       FROM indicator_value v
      WHERE v.level = $1 AND v.period = $2 AND ($3::text[] IS NULL OR v.indicator = ANY($3)) AND ($4::text[] IS NULL OR v.code = ANY($4))
     UNION ALL
     SELECT a.code, a.indicator, a.value, false, true
       FROM aggregated_value a
      WHERE a.level = $1 AND a.period = $2 AND ($3::text[] IS NULL OR a.indicator = ANY($3)) AND ($4::text[] IS NULL OR a.code = ANY($4))
        AND NOT EXISTS (SELECT 1 FROM observation o
                         WHERE o.level = a.level AND o.code = a.code AND o.indicator = a.indicator AND o.period = a.period)`,
    [level, period, indicators ?? null, codes ?? null],
  );
  return r.rows;
}

/** Whole-region values of a level (or, for a level without own observations, of its child level). */
export async function regionValues(db: Queryable, level: string, period: string): Promise<Map<string, number | null>> {
  const levels = await sourceLevels(db, level);
  const r = await db.query<{ level: string; indicator: string; value: number | null }>(
    'SELECT level, indicator, value FROM region_value WHERE level = ANY($1) AND period = $2',
    [levels, period],
  );
  const out = new Map<string, number | null>();
  // Own level first: the same total either way for rates and counts, but own values are the source of truth.
  for (const row of r.rows.filter((x) => x.level === level)) out.set(row.indicator, row.value);
  for (const row of r.rows) if (!out.has(row.indicator)) out.set(row.indicator, row.value);
  return out;
}

export interface AreaChangeNote {
  changedOn: string;
  kind: string;
  note: string | null;
}

/** Areas with a registered geometry/code change in (from, to] (sql/005_monitoring.sql, area_change). */
export async function changedAreas(db: Queryable, level: string, from: string, to: string): Promise<Map<string, AreaChangeNote[]>> {
  const [lo, hi] = from < to ? [from, to] : [to, from];
  const r = await db.query<{ code: string; changedOn: string; kind: string; note: string | null }>(
    `SELECT code, changed_on::text AS "changedOn", kind, note FROM area_change
      WHERE level = $1 AND changed_on > $2::date AND changed_on <= $3::date ORDER BY code, changed_on`,
    [level, lo, hi],
  );
  const out = new Map<string, AreaChangeNote[]>();
  for (const { code, ...rest } of r.rows) out.set(code, [...(out.get(code) ?? []), rest]);
  return out;
}

export interface ChangeRequest {
  indicator: string;
  level: string;
  from: string;
  to: string;
}

export interface ChangeMember extends ChangeValue {
  code: string;
  name: string | null;
  /** false when the area's geometry or code changed between the periods, or a value is missing. */
  comparable: boolean;
  note: string | null;
}

/** Per area: absolute change (percentage points for rates), relative change, direction, comparability. */
export async function computeChange(db: Queryable, req: ChangeRequest) {
  if (req.from === req.to) throw badRequest(`'from' und 'to' sind gleich (${req.from}): eine Veränderung braucht zwei Zeiträume`);
  const meta = await indicatorOr400(db, req.indicator);
  const level: LevelRow = await requireLevel(db, req.level);
  await periodOr400(db, req.level, req.from, req.indicator);
  await periodOr400(db, req.level, req.to, req.indicator);
  const [a, b, areas, changed] = await Promise.all([
    levelValues(db, req.level, req.from, [req.indicator]),
    levelValues(db, req.level, req.to, [req.indicator]),
    db.query<{ code: string; name: string | null }>('SELECT code, name FROM area WHERE level = $1 ORDER BY code', [req.level]),
    changedAreas(db, req.level, req.from, req.to),
  ]);
  const fromBy = new Map(a.map((x) => [x.code, x]));
  const toBy = new Map(b.map((x) => [x.code, x]));
  const members: ChangeMember[] = areas.rows.map(({ code, name }) => {
    const f = fromBy.get(code);
    const t = toBy.get(code);
    const c = changeOf(f?.value ?? null, t?.value ?? null, meta.polarity);
    const notes = changed.get(code);
    let note: string | null = null;
    if (notes) note = notes.map((n) => `${n.kind} am ${n.changedOn}${n.note ? `: ${n.note}` : ''}`).join('; ');
    else if (f?.suppressed || t?.suppressed) note = 'Wert unterdrückt (weniger Einwohner als die Geheimhaltungsschwelle)';
    else if (c.absolute === null) note = 'Wert fehlt in einem der Zeiträume';
    return { code, name, ...c, comparable: !notes && c.absolute !== null, note };
  });
  return {
    indicator: meta.key,
    label: meta.label,
    kind: meta.kind,
    unit: meta.unit,
    polarity: meta.polarity,
    level: req.level,
    levelLabel: level.label,
    from: req.from,
    to: req.to,
    absoluteUnit: absoluteUnit(meta.kind, meta.unit),
    relativeUnit: '%',
    definition: 'absolut = Wert(to) − Wert(from) (bei Quoten in Prozentpunkten); relativ = absolut / |Wert(from)| · 100',
    summary: { ...summarizeChanges(members), notComparable: members.filter((m) => m.absolute !== null && !m.comparable).length },
    members,
  };
}
