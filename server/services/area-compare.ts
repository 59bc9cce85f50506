/**
 * Side-by-side comparison of 2–4 areas of one level (GET /api/compare): indicators as rows,
 * areas as columns, plus the whole region's value. Suppressed values are null. Codes, level and
 * period arrive in the query string, so unknown ones are a 400.
 */
import type { Queryable } from '../../geodata/db.js';
import { badRequest, unknownName } from '../http/errors.js';
import { listIndicatorMeta, listLevels, levelDefaultPeriod, requireLevel, requirePeriod } from './catalog.js';
import { levelValues, regionValues } from './level-values.js';

export interface CompareRequest {
  codes: string[];
  /** Default: the finest level on which all codes exist. */
  level?: string;
  /** Default: the level's default period (the latest with the most indicators). */
  period?: string;
}

export async function compareAreas(db: Queryable, req: CompareRequest) {
  const codes = [...new Set(req.codes)];
  if (codes.length < 2 || codes.length > 4)
    throw badRequest(`Vergleich braucht 2 bis 4 verschiedene Gebiete (erhalten: ${codes.length})`);
  if (req.level) await requireLevel(db, req.level, 'query');
  const found = await db.query<{ level: string; code: string; name: string | null }>(
    'SELECT level, code, name FROM area WHERE code = ANY($1) AND ($2::text IS NULL OR level = $2)',
    [codes, req.level ?? null],
  );
  // Levels are listed finest first (most areas), so the first level holding every code wins.
  const levels = await listLevels(db);
  const level = levels
    .map((l) => l.key)
    .find((k) => codes.every((c) => found.rows.some((r) => r.level === k && r.code === c)));
  if (!level) {
    const missing = codes.filter((c) => !found.rows.some((r) => r.code === c));
    throw missing.length
      ? unknownName('query', `Unbekannte Gebiete: ${missing.join(', ')}`, { missing })
      : badRequest('Die Gebiete liegen nicht auf derselben Ebene', { codes });
  }
  const period = req.period ?? (await levelDefaultPeriod(db, level));
  if (!period) throw badRequest(`Ebene '${level}' hat keine Indikatorwerte`);
  await requirePeriod(db, level, period, 'query');
  const [vals, region, metas] = await Promise.all([
    levelValues(db, level, period, undefined, codes),
    regionValues(db, level, period),
    listIndicatorMeta(db),
  ]);
  const cell = new Map(vals.map((v) => [`${v.indicator}\u0000${v.code}`, v.value]));
  const present = new Set(vals.map((v) => v.indicator));
  const names = new Map(found.rows.filter((r) => r.level === level).map((r) => [r.code, r.name]));
  return {
    level,
    period,
    columns: [...codes.map((c) => ({ code: c, name: names.get(c) ?? null })), { code: null, name: 'Gesamt' }],
    rows: metas
      .filter((m) => present.has(m.key))
      .map((m) => ({
        indicator: m.key,
        label: m.label,
        unit: m.unit,
        topic: m.topic,
        polarity: m.polarity,
        kind: m.kind,
        values: codes.map((c) => cell.get(`${m.key}\u0000${c}`) ?? null),
        region: region.get(m.key) ?? null,
      })),
  };
}
