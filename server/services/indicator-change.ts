/**
 * Change of an indicator between two periods on a level, per area (GET /api/change,
 * `sozialatlas change`): absolute (percentage points for rates), relative, direction by polarity,
 * and whether the area is comparable (no registered geometry/code change in between, both values
 * present). The arithmetic is analysis/indicator-change.ts; the values come from level-values.ts.
 * Request names arrive in the query string, so an unknown indicator, level or period is a 400.
 */
import type { Queryable } from '../../geodata/db.js';
import { badRequest } from '../http/errors.js';
import { requireIndicator, requireLevel, requirePeriod } from './catalog.js';
import { levelValues, changedAreas } from './level-values.js';
import { changeOf, absoluteUnit, summarizeChanges, type ChangeValue } from '../../analysis/indicator-change.js';

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
  if (req.from === req.to)
    throw badRequest(`'from' und 'to' sind gleich (${req.from}): eine Veränderung braucht zwei Zeiträume`);
  const meta = await requireIndicator(db, req.indicator, 'query');
  const level = await requireLevel(db, req.level, 'query');
  await requirePeriod(db, req.level, req.from, 'query', { indicator: req.indicator });
  await requirePeriod(db, req.level, req.to, 'query', { indicator: req.indicator });
  const [a, b, areas, changed] = await Promise.all([
    levelValues(db, req.level, req.from, [req.indicator]),
    levelValues(db, req.level, req.to, [req.indicator]),
    db.query<{ code: string; name: string | null }>('SELECT code, name FROM area WHERE level = $1 ORDER BY code', [
      req.level,
    ]),
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
    else if (f?.suppressed || t?.suppressed)
      note = 'Wert unterdrückt (weniger Einwohner als die Geheimhaltungsschwelle)';
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
    definition:
      'absolut = Wert(to) − Wert(from) (bei Quoten in Prozentpunkten); relativ = absolut / |Wert(from)| · 100',
    summary: {
      ...summarizeChanges(members),
      notComparable: members.filter((m) => m.absolute !== null && !m.comparable).length,
    },
    members,
  };
}
