/**
 * Sozialstruktur-Profil data for the areas of a level (every level, also parent levels such as
 * Bezirksregion or Kreis, whose values are then the aggregates of their children). Built for a
 * whole level at once, because the rank needs every area anyway and the ZIP of all profiles
 * should cost a handful of queries, not one set per area. The level and area code are in the URL
 * path (/profile/{level}/{code}), so unknown ones are a 404; an unknown period or since is a 400.
 * Also the locator map shapes; the HTML and CSV renderers are geodata/report/area-profile-*.ts.
 */
import type { Queryable } from '../../geodata/db.js';
import { badRequest, unknownName } from '../http/errors.js';
import { listIndicatorMeta, levelPeriods, levelDefaultPeriod, requireLevel, requirePeriod } from './catalog.js';
import { levelValues, regionValues, changedAreas, indicatorStand, type LevelValue } from './level-values.js';
import { computeStatusIndex } from './status-index.js';
import { changeOf, absoluteUnit } from '../../analysis/indicator-change.js';
import { targetMet } from '../../analysis/warnings.js';
import type { Profile, ProfileIndicator } from '../../geodata/report/area-profile-types.js';
import { perVersion } from './version-memo.js';
import { locatorFrame, locatorSvg, type LocatorShape } from '../../geodata/report/locator-svg.js';

export type { Profile, ProfileIndicator };

export interface ProfileOptions {
  /** Default: the level's default period (the latest with the most indicators). */
  period?: string;
  /** Period to show the change from; default: none (no change column). */
  since?: string;
  /** Only these areas (default: all of the level; ranks are always over all). */
  codes?: string[];
}

const byKey = (rows: LevelValue[]) => {
  const m = new Map<string, Map<string, LevelValue>>();
  for (const r of rows) {
    let inner = m.get(r.indicator);
    if (!inner) m.set(r.indicator, (inner = new Map()));
    inner.set(r.code, r);
  }
  return m;
};

export async function attributionFor(db: Queryable, level: string): Promise<string> {
  const r = await db.query<{ key: string; value: string }>(
    "SELECT key, value FROM setting WHERE key IN ('attribution', $1)",
    [`attribution.${level}`],
  );
  return r.rows.find((x) => x.key !== 'attribution')?.value ?? r.rows[0]?.value ?? '';
}

/**
 * Profiles of a level's areas (all, or `codes`). The whole level is built once per data version
 * and period/since (version-memo.ts) and each call takes copies of its areas from it, so a single
 * profile costs what a lookup costs once the level is built, and the ZIP of all costs one build.
 */
export async function buildProfiles(db: Queryable, levelKey: string, opts: ProfileOptions = {}): Promise<Profile[]> {
  const all = await perVersion(db, `profiles:${levelKey}:${opts.period ?? ''}:${opts.since ?? ''}`, () =>
    buildLevelProfiles(db, levelKey, { period: opts.period, since: opts.since }),
  );
  if (!opts.codes) return structuredClone(all);
  const wanted = new Set(opts.codes);
  const found = all.filter((p) => wanted.has(p.code));
  if (found.length < wanted.size) {
    const have = new Set(found.map((p) => p.code));
    throw unknownName(
      'path',
      `Unbekanntes Gebiet auf Ebene '${levelKey}': ${[...wanted].filter((c) => !have.has(c)).join(', ')}`,
    );
  }
  return structuredClone(found);
}

/** Every profile of a level (the ranks need every area anyway). */
async function buildLevelProfiles(
  db: Queryable,
  levelKey: string,
  opts: Omit<ProfileOptions, 'codes'>,
): Promise<Profile[]> {
  const level = await requireLevel(db, levelKey, 'path');
  const periods = await levelPeriods(db, levelKey);
  if (periods.length === 0) throw badRequest(`Ebene '${levelKey}' hat keine Indikatorwerte`);
  const period = opts.period ?? (await levelDefaultPeriod(db, levelKey)) ?? '';
  await requirePeriod(db, levelKey, period, 'query');
  if (opts.since !== undefined) {
    await requirePeriod(db, levelKey, opts.since, 'query', { param: 'since' });
    if (opts.since === period)
      throw badRequest(`since ist gleich dem Zeitraum (${period}): eine Veränderung braucht zwei Zeiträume`);
  }
  // The parent level exists (level.parent_level is a foreign key); looked up for its label.
  const parentLevel = level.parentLevel ? await requireLevel(db, level.parentLevel, 'path') : null;

  const areas = (
    await db.query<{ code: string; name: string | null; parent_code: string | null; area_km2: number }>(
      'SELECT code, name, parent_code, area_km2 FROM area WHERE level = $1 ORDER BY code',
      [levelKey],
    )
  ).rows;
  const parentCodes = [...new Set(areas.map((a) => a.parent_code).filter((c): c is string => c !== null))];
  const [metas, now, before, parentVals, region, parents, changed, attribution] = await Promise.all([
    listIndicatorMeta(db),
    levelValues(db, levelKey, period),
    opts.since ? levelValues(db, levelKey, opts.since) : Promise.resolve([]),
    parentLevel && parentCodes.length
      ? levelValues(db, parentLevel.key, period, undefined, parentCodes)
      : Promise.resolve([]),
    regionValues(db, levelKey, period),
    parentLevel && parentCodes.length
      ? db
          .query<{ code: string; name: string | null }>(
            'SELECT code, name FROM area WHERE level = $1 AND code = ANY($2)',
            [parentLevel.key, parentCodes],
          )
          .then((r) => r.rows)
      : Promise.resolve([]),
    opts.since ? changedAreas(db, levelKey, opts.since, period) : Promise.resolve(new Map()),
    attributionFor(db, levelKey),
  ]);
  // Indicators not updated at this period show their latest earlier value ("Stand"), with the
  // parent, region and rank of that period, as the area panel does (area-values.ts).
  const stand = await indicatorStand(db, levelKey, period);
  const older = new Map<string, string[]>();
  for (const [key, per] of stand) if (per !== period) older.set(per, [...(older.get(per) ?? []), key]);
  for (const [per, keys] of older) {
    const [vals, pvals, reg] = await Promise.all([
      levelValues(db, levelKey, per, keys),
      parentLevel && parentCodes.length
        ? levelValues(db, parentLevel.key, per, keys, parentCodes)
        : Promise.resolve([]),
      regionValues(db, levelKey, per),
    ]);
    now.push(...vals);
    parentVals.push(...pvals);
    for (const k of keys) region.set(k, reg.get(k) ?? null);
  }
  const nowBy = byKey(now);
  const beforeBy = byKey(before);
  const parentBy = byKey(parentVals);
  const parentName = new Map(parents.map((p) => [p.code, p.name]));
  const shown = metas.filter((m) => nowBy.has(m.key));

  // Ranks over all areas of the level, per indicator: 1 = most need; ties share the lowest rank.
  const ranks = new Map<string, { rank: Map<string, number>; n: number }>();
  for (const m of shown) {
    if (m.kind === 'class') continue;
    const vals = [...nowBy.get(m.key)!.values()].filter((v) => v.value !== null) as (LevelValue & { value: number })[];
    const sign = m.polarity === -1 ? 1 : -1; // ascending on sign·value
    vals.sort((a, b) => sign * a.value - sign * b.value);
    const rank = new Map<string, number>();
    vals.forEach((v, i) =>
      rank.set(v.code, i > 0 && vals[i - 1].value === v.value ? rank.get(vals[i - 1].code)! : i + 1),
    );
    ranks.set(m.key, { rank, n: vals.length });
  }

  // The MSS index where its indicators exist on this level; elsewhere the profile has no index block.
  let index: Map<string, Profile['index']> | null = null;
  try {
    const r = await computeStatusIndex(db, { level: levelKey, period });
    index = new Map(
      r.members.map((m) => [
        m.code,
        {
          statusZ: m.statusZ,
          statusClass: m.statusClass,
          dynamicsZ: m.dynamicsZ,
          dynamicsClass: m.dynamicsClass,
          combinedClass: m.combinedClass,
        },
      ]),
    );
  } catch {
    index = null;
  }

  const popKey =
    (await db.query<{ value: string }>("SELECT value FROM setting WHERE key = 'population_indicator'")).rows[0]
      ?.value ?? 'EW';
  return areas.map((a) => {
    const indicators: ProfileIndicator[] = shown.map((m) => {
      const v = nowBy.get(m.key)!.get(a.code);
      const value = v?.value ?? null;
      const rk = ranks.get(m.key);
      let change: ProfileIndicator['change'] = null;
      if (opts.since) {
        const from = beforeBy.get(m.key)?.get(a.code)?.value ?? null;
        const c = changeOf(from, value, m.polarity);
        change = {
          since: opts.since,
          from: c.from,
          absolute: c.absolute,
          absoluteUnit: absoluteUnit(m.kind, m.unit),
          relative: c.relative,
          direction: c.direction,
          comparable: c.absolute !== null && !changed.has(a.code),
        };
      }
      return {
        key: m.key,
        label: m.label,
        unit: m.unit,
        topic: m.topic,
        polarity: m.polarity,
        kind: m.kind,
        value,
        period: stand.get(m.key) ?? period,
        suppressed: v?.suppressed ?? false,
        suppressionReason: v?.suppressionReason ?? null,
        aggregated: v?.aggregated ?? false,
        nChildren: v?.nChildren ?? null,
        nChildrenTotal: v?.nChildrenTotal ?? null,
        coverage: v?.coverage ?? null,
        incomplete: v?.incomplete ?? false,
        parentValue: a.parent_code ? (parentBy.get(m.key)?.get(a.parent_code)?.value ?? null) : null,
        regionValue: region.get(m.key) ?? null,
        rank: value === null ? null : (rk?.rank.get(a.code) ?? null),
        n: rk?.n ?? 0,
        change,
        target: m.target,
        targetDirection: m.targetDirection,
        targetMet: targetMet(m.target, m.targetDirection, value),
      };
    });
    return {
      code: a.code,
      name: a.name,
      level: levelKey,
      levelLabel: level.label,
      parent:
        a.parent_code && parentLevel
          ? {
              code: a.parent_code,
              name: parentName.get(a.parent_code) ?? null,
              level: parentLevel.key,
              levelLabel: parentLevel.label,
            }
          : null,
      period,
      since: opts.since ?? null,
      areaKm2: a.area_km2,
      population: nowBy.get(popKey)?.get(a.code)?.value ?? null,
      index: index?.get(a.code) ?? null,
      attribution,
      rankOrder: '1 = größter Bedarf (höchster Wert; bei Polarität −1 niedrigster Wert)',
      indicators,
    };
  });
}

/** One area's profile, or 404. */
export async function buildProfile(
  db: Queryable,
  level: string,
  code: string,
  opts: Omit<ProfileOptions, 'codes'> = {},
): Promise<Profile> {
  const [p] = await buildProfiles(db, level, { ...opts, codes: [code] });
  return p;
}

/**
 * Shapes for the locator maps, in Web Mercator (EPSG:3857: conformal, so small areas keep their
 * shape; its scale error does not matter on a map without a scale bar). With `codes`, only those
 * areas and whatever lies around them; without, the whole level (for the ZIP of all profiles).
 * Each outline is simplified to about 1/200 of its own size, far below what 60 mm of print shows;
 * simplifying before transforming is 6× faster on PGlite (1.4 s → 0.2 s for 542 PLR), so it is done in 4326.
 */
export async function locatorShapes(db: Queryable, level: string, codes?: string[]): Promise<LocatorShape[]> {
  let frame: number[] | null = null;
  if (codes) {
    const r = await db.query<{ b: number[] | null }>(
      `SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS b
         FROM (SELECT ST_Extent(ST_Transform(geom, 3857))::geometry AS e FROM area WHERE level = $1 AND code = ANY($2)) x`,
      [level, codes],
    );
    const b = r.rows[0]?.b;
    if (!b || b[0] === null) return [];
    frame = locatorFrame([b[0], b[1], b[2], b[3]], LOCATOR_MARGIN);
  }
  const r = await db.query<{ code: string; path: string; xmin: number; ymin: number; xmax: number; ymax: number }>(
    `SELECT code, ST_AsSVG(ST_Transform(ST_SimplifyPreserveTopology(geom, sqrt(ST_Area(geom)) / 200), 3857), 0, 0) AS path,
            ST_XMin(b) AS xmin, ST_YMin(b) AS ymin, ST_XMax(b) AS xmax, ST_YMax(b) AS ymax
       FROM (SELECT code, geom, ST_Transform(ST_Envelope(geom), 3857) AS b FROM area
              WHERE level = $1
                AND ($2::float8 IS NULL OR geom && ST_Transform(ST_MakeEnvelope($2, $3, $4, $5, 3857), 4326))) a`,
    [level, frame?.[0] ?? null, frame?.[1] ?? null, frame?.[2] ?? null, frame?.[3] ?? null],
  );
  return r.rows.map((x) => ({ code: x.code, path: x.path, bbox: [x.xmin, x.ymin, x.xmax, x.ymax] }));
}

/** Margin of the locator frame (share of the area's larger side; default of locatorSvg too). */
const LOCATOR_MARGIN = 0.6;

/** The locator SVG of one area from shapes loaded by locatorShapes (empty string if the area has no shape). */
export function locatorFor(code: string, label: string, shapes: LocatorShape[]): string {
  const target = shapes.find((s) => s.code === code);
  return target ? locatorSvg(target, shapes, label, { margin: LOCATOR_MARGIN }) : '';
}
