/**
 * The data of the one-page handout for counselling (GET /profile/{level}/{code}/handout, rendered by
 * geodata/report/handout-html.ts): the area's key figures for counsellors of older people against the
 * whole city, the published typology's plain name for the area (if a run is published), the nearest
 * facilities of the point layers (if any are loaded), and a map of the area at a round scale in the
 * metric UTM zone with its neighbours' outlines and names. Values come from the profile service, so
 * a hidden value stays hidden here too (it arrives as null with its reason, never as a number).
 */
import type { Queryable } from '../../geodata/db.js';
import type { Handout, HandoutFigure, HandoutMap } from '../../geodata/report/handout-html.js';
import { HANDOUT_MAP_MM, HANDOUT_SCALES } from '../../geodata/report/handout-html.js';
import { areaProfile } from './area-values.js';
import { attributionFor } from './area-profile.js';
import { levelPeriods, listLevels, requireLevel } from './catalog.js';
import { unknownName } from '../http/errors.js';
import { getTypologyView, publishedRunId } from './typology/publication.js';
import { listPointLayers, nearestPoints } from './points.js';

/** The key figures, in this order, where the level has them; counts are not compared with the city. */
const FIGURES: { key: string; title: string }[] = [
  { key: 'EW', title: 'Einwohnerinnen und Einwohner' },
  { key: 'EW_65', title: 'Menschen ab 65 Jahren' },
  { key: 'KI_03', title: 'Ältere Menschen mit Grundsicherung (Altersarmut)' },
  { key: 'KI_02', title: 'Alleinerziehende' },
];
/** Facilities per point layer, and layers shown (care first: the handout is for counsellors of older people). */
const NEAREST_PER_LAYER = 3;
const MAX_LAYERS = 2;

export async function buildHandout(db: Queryable, level: string, code: string): Promise<Handout> {
  await requireLevel(db, level, 'path');
  // Each figure at its latest date: the profile at the level's last period shows every indicator at
  // its latest period up to it (the register's shares 2024, the MSS figures 2020).
  const latest = (await levelPeriods(db, level)).sort().at(-1);
  const profile = await areaProfile(db, code, level, latest);
  if (!profile) throw unknownName('path', `Unbekanntes Gebiet '${code}' auf Ebene '${level}'`, { code, level });
  const byKey = new Map(profile.indicators.map((i) => [i.key, i]));
  const figures: HandoutFigure[] = [];
  for (const f of FIGURES) {
    const i = byKey.get(f.key);
    if (!i) continue;
    figures.push({
      key: i.key,
      title: f.title,
      unit: i.unit,
      kind: i.kind,
      value: i.suppressed ? null : i.value,
      hidden: i.suppressed,
      city: i.kind === 'count' ? null : i.regionValue,
      period: i.period,
    });
  }
  const [map, placement, nearby] = await Promise.all([
    handoutMap(db, profile.level, profile.code),
    publishedPlacement(db, profile.level, profile.code),
    nearbyFacilities(db, profile.level, profile.code),
  ]);
  const [region, attribution, levels] = await Promise.all([
    db.query<{ value: string }>("SELECT value FROM setting WHERE key = 'region_name'"),
    attributionFor(db, level),
    listLevels(db),
  ]);
  const parentLabel = levels.find((l) => l.key === profile.parent?.level)?.label ?? '';
  return {
    code: profile.code,
    name: profile.name ?? profile.code,
    levelLabel: profile.levelLabel,
    parent: profile.parent ? { name: profile.parent.name ?? profile.parent.code, levelLabel: parentLabel } : null,
    regionName: region.rows[0]?.value ?? 'Berlin',
    figures,
    placement,
    nearby,
    map,
    attribution: [attribution, ...nearby.map((n) => n.attribution).filter((a): a is string => !!a)],
  };
}

/** The published run's plain name and description of the area's group, or null (none published, area hidden). */
async function publishedPlacement(db: Queryable, level: string, code: string): Promise<Handout['placement']> {
  const id = await publishedRunId(db, level);
  if (id === null) return null;
  const member = await db.query<{ type: number }>(
    'SELECT type FROM typology_member_public WHERE run_id = $1 AND code = $2',
    [id, code],
  );
  const type = member.rows[0]?.type;
  if (type === undefined || type === null) return null;
  const view = await getTypologyView(db, id);
  const t = view.types.find((x) => x.type === Number(type));
  return t && t.name ? { name: t.name, description: t.description } : null;
}

/** The nearest facilities of up to two point layers (care layers first), or nothing without point layers. */
async function nearbyFacilities(db: Queryable, level: string, code: string): Promise<Handout['nearby']> {
  const layers = (await listPointLayers(db)).filter((l) => l.period !== null);
  const care = (l: { key: string; label: string }) => (/pflege|senior|alten/i.test(`${l.key} ${l.label}`) ? 0 : 1);
  layers.sort((a, b) => care(a) - care(b) || a.key.localeCompare(b.key));
  const out: Handout['nearby'] = [];
  for (const l of layers.slice(0, MAX_LAYERS)) {
    const points = await nearestPoints(db, l.key, level, code, NEAREST_PER_LAYER);
    out.push({
      label: l.label,
      period: l.period!,
      attribution: l.attribution,
      points: points.map((p) => ({ name: p.name ?? p.fid, address: p.address, distanceM: p.distanceM })),
    });
  }
  return out;
}

/**
 * The map: the smallest round scale at which the area with a margin fits the printed square, in the
 * area's UTM zone (true distances), centred on the area's box; every area of the level meeting the
 * frame as an outline, labelled at its point on surface when that lies inside.
 */
async function handoutMap(db: Queryable, level: string, code: string): Promise<HandoutMap> {
  const a = await db.query<{ srid: number; cx: number; cy: number; w: number; h: number }>(
    `WITH s AS (SELECT CASE WHEN ST_Y(ST_Centroid(geom)) >= 0 THEN 32600 ELSE 32700 END
                       + LEAST(60, GREATEST(1, floor((ST_X(ST_Centroid(geom)) + 180) / 6)::integer + 1)) AS srid, geom
                  FROM area WHERE level = $1 AND code = $2),
          b AS (SELECT srid, ST_Transform(geom, srid) AS g FROM s)
     SELECT srid, (ST_XMin(g) + ST_XMax(g)) / 2 AS cx, (ST_YMin(g) + ST_YMax(g)) / 2 AS cy,
            ST_XMax(g) - ST_XMin(g) AS w, ST_YMax(g) - ST_YMin(g) AS h FROM b`,
    [level, code],
  );
  const c = a.rows[0];
  // The printed square is HANDOUT_MAP_MM wide; at 1:s it shows HANDOUT_MAP_MM · s / 1000 metres.
  const need = Math.max(c.w, c.h) * 1.3;
  const scale = HANDOUT_SCALES.find((s) => (HANDOUT_MAP_MM * s) / 1000 >= need) ?? HANDOUT_SCALES.at(-1)!;
  const side = (HANDOUT_MAP_MM * scale) / 1000;
  const frame: [number, number, number, number] = [c.cx - side / 2, c.cy - side / 2, c.cx + side / 2, c.cy + side / 2];
  const r = await db.query<{
    code: string;
    name: string | null;
    path: string;
    lx: number;
    ly: number;
    neighbour: boolean;
  }>(
    `WITH f AS (SELECT ST_Transform(ST_MakeEnvelope($3, $4, $5, $6, $7), 4326) AS e),
          me AS (SELECT geom FROM area WHERE level = $1 AND code = $2)
     SELECT a.code, a.name,
            ST_AsSVG(ST_Transform(ST_SimplifyPreserveTopology(a.geom, 0.00002), $7::int), 0, 0) AS path,
            ST_X(ST_Transform(ST_PointOnSurface(a.geom), $7::int)) AS lx, ST_Y(ST_Transform(ST_PointOnSurface(a.geom), $7::int)) AS ly,
            (a.code <> $2 AND ST_Intersects(a.geom, (SELECT geom FROM me))) AS neighbour
       FROM area a, f WHERE a.level = $1 AND a.geom && f.e
      ORDER BY a.code`,
    [level, code, frame[0], frame[1], frame[2], frame[3], c.srid],
  );
  return {
    scale,
    frame,
    areas: r.rows.map((x) => ({
      code: x.code,
      name: x.name ?? x.code,
      path: x.path,
      label: [x.lx, x.ly] as [number, number],
      self: x.code === code,
      neighbour: x.neighbour,
    })),
  };
}
