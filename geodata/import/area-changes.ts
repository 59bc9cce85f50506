/**
 * The comparability register on re-import: compares the staged features of a level
 * with the areas stored for it and records what changed in `area_change`
 * (sql/005_monitoring.sql), which server/services/indicator-change.ts reads to flag a change between
 * periods `from` < changed_on <= `to` as "nicht vergleichbar". Runs inside the import's
 * transaction, before the upsert (it needs the old geometries), so a failing import leaves the
 * register as it was.
 *
 * - kind 'geometry': an existing code whose boundary moved by more than GEOMETRY_TOLERANCE_M;
 * - kind 'code': a code new to the level (predecessor unknown: NULL);
 * - codes missing from the file are counted but NOT recorded: the importer keeps their rows
 *   unchanged (a file may well hold only the areas that are updated), so their geometry did not
 *   change and the importer cannot tell a partial file from an abolished code. Where an area
 *   was merged into a neighbour, the neighbour's grown geometry is recorded instead.
 */
import path from 'node:path';
import type { Queryable } from '../db.js';
import type { AreaChanges } from './types.js';
import { formatUpTo } from '../../analysis/number-format.js';

/**
 * A boundary counts as changed when some part of it moved by more than this many metres
 * (Hausdorff distance of old and new geometry in the level's UTM zone). Why a distance and
 * not ST_Equals or an area: the same boundary read again differs by numerical noise, and that
 * noise is a bounded per-vertex displacement, independent of the area's size. A re-projection
 * round trip (e.g. delivered in EPSG:25833 instead of 4326) moves vertices by well under 1 mm,
 * rounding to 6/5 decimal degrees (RFC 7946 advice) by at most 0.08/0.8 m, another datum
 * transformation (DHDN with or without the BeTA2007 grid) by 1–3 m. ST_Equals fails on all of
 * these, and a symmetric-difference area grows with the perimeter (6-decimal rounding alone
 * gives ~5 000 m² for a Kreis, ~100 m² for a Planungsraum), so no single m² threshold fits both
 * a Land and a Planungsraum. A real boundary change (reform, merger, re-delineation) moves a
 * boundary by tens to hundreds of metres; a strip narrower than 5 m moves no residents.
 */
export const GEOMETRY_TOLERANCE_M = 5;

/** Local calendar date YYYY-MM-DD (the user's "today", not UTC's). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

interface ValidFrom {
  date: string;
  source: AreaChanges['validFromSource'];
  /** The level's last period, when the default was derived from it. */
  lastPeriod?: string;
}

/**
 * The date the new geometries apply from (area_change.changed_on). Without --valid-from: the
 * day after the level's last period with values (own observations or its child levels', from
 * which the level's values are aggregated). Statistical data lag behind the geometry, so the
 * values already loaded were collected on the old territory and the next period loaded after
 * the new geometry is the first on it: this flags exactly the comparisons that straddle this
 * import. "Today" would not, because periods are reference dates in the past (data for
 * 31.12.2024 arrive in 2025): a change between two periods already loaded could never be
 * flagged. Without any values the level has nothing to compare yet, and today is the fallback.
 */
async function resolveValidFrom(tx: Queryable, level: string, option: string | undefined): Promise<ValidFrom> {
  if (option !== undefined) return { date: option, source: 'option' };
  const r = await tx.query<{ next: string | null; last: string | null }>(
    `SELECT (max(period) + 1)::text AS next, max(period)::text AS last FROM observation
      WHERE level = $1 OR level IN (SELECT key FROM level WHERE parent_level = $1)`,
    [level],
  );
  const { next, last } = r.rows[0] ?? { next: null, last: null };
  if (next && last) return { date: next, source: 'after-last-period', lastPeriod: last };
  return { date: today(), source: 'today' };
}

/**
 * Compares `import_area_stage` with the stored areas of the level, records the changes and
 * returns them; call before the upsert. Adds a warning when the date was defaulted and rows
 * were recorded, so the user sees the assumption and can correct it with --valid-from.
 */
export async function registerAreaChanges(
  tx: Queryable,
  level: string,
  file: string,
  validFromOption: string | undefined,
  warnings: string[],
): Promise<AreaChanges> {
  const validFrom = await resolveValidFrom(tx, level, validFromOption);
  const srid = (await tx.query<{ srid: number }>('SELECT hotspot_metric_srid($1) AS srid', [level])).rows[0].srid;

  // ST_OrderingEquals first: identical coordinates (the usual re-import of the same file) skip
  // the Hausdorff computation, which is quadratic in the vertices. A stored geometry outside
  // ±180°/±90° (imported before coordinate-range.ts existed) cannot be transformed ("transform:
  // Invalid coordinate"); it counts as replaced (shift NULL), so re-importing the level repairs it.
  const moved = await tx.query<{ code: string; shift: number | null; old_km2: number; new_km2: number }>(
    `SELECT code, shift, old_km2, new_km2 FROM (
       SELECT s.idx, s.code, a.area_km2 AS old_km2, ST_Area(s.geom::geography) / 1e6 AS new_km2,
              CASE WHEN ST_XMin(a.geom) >= -180 AND ST_XMax(a.geom) <= 180
                    AND ST_YMin(a.geom) >= -90 AND ST_YMax(a.geom) <= 90
                   THEN ST_HausdorffDistance(ST_Transform(a.geom, $2::int), ST_Transform(s.geom, $2::int)) END AS shift
         FROM import_area_stage s JOIN area a ON a.level = $1 AND a.code = s.code
        WHERE NOT ST_OrderingEquals(a.geom, s.geom)) d
      WHERE shift IS NULL OR shift > $3 ORDER BY idx`,
    [level, srid, GEOMETRY_TOLERANCE_M],
  );
  const added = await tx.query<{ code: string }>(
    `SELECT s.code FROM import_area_stage s
      WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.level = $1 AND a.code = s.code) ORDER BY s.idx`,
    [level],
  );
  const vanished = await tx.query<{ code: string }>(
    `SELECT a.code FROM area a
      WHERE a.level = $1 AND NOT EXISTS (SELECT 1 FROM import_area_stage s WHERE s.code = a.code) ORDER BY a.code`,
    [level],
  );

  const source = path.basename(file);
  const rows = [
    ...moved.rows.map((m) => ({
      code: m.code,
      kind: 'geometry',
      note: `${m.shift === null ? 'gespeicherte Geometrie außerhalb von ±180°/±90° ersetzt' : `Grenze bis zu ${formatUpTo(m.shift, 0)} m verschoben`}, Fläche ${formatUpTo(m.old_km2, 3)} → ${formatUpTo(m.new_km2, 3)} km² (Import ${source})`,
    })),
    ...added.rows.map((a) => ({ code: a.code, kind: 'code', note: `neuer Gebietsschlüssel (Import ${source})` })),
  ];
  let recorded = 0;
  if (rows.length > 0) {
    // An existing row with the same key (e.g. entered by hand, or the same change imported twice)
    // is kept as it is: the register records facts, the first note wins.
    const r = await tx.query(
      `INSERT INTO area_change (level, code, changed_on, kind, predecessor, note)
       SELECT $1, t.code, $2::date, t.kind, NULL, t.note
         FROM unnest($3::text[], $4::text[], $5::text[]) AS t(code, kind, note)
       ON CONFLICT (level, code, changed_on, kind) DO NOTHING
       RETURNING code`,
      [level, validFrom.date, rows.map((x) => x.code), rows.map((x) => x.kind), rows.map((x) => x.note)],
    );
    recorded = r.rows.length;
    if (validFrom.source === 'after-last-period') {
      warnings.push(
        `kein Gültigkeitsbeginn angegeben (--valid-from): die geänderten Gebiete gelten ab ${validFrom.date}, dem Tag nach dem letzten Stichtag ${validFrom.lastPeriod} der Ebene "${level}"`,
      );
    } else if (validFrom.source === 'today') {
      warnings.push(
        `kein Gültigkeitsbeginn angegeben (--valid-from): die geänderten Gebiete gelten ab heute (${validFrom.date}), da die Ebene "${level}" noch keine Werte hat`,
      );
    }
  }
  return {
    validFrom: validFrom.date,
    validFromSource: validFrom.source,
    geometry: moved.rows.map((m) => m.code),
    added: added.rows.map((a) => a.code),
    vanished: vanished.rows.map((v) => v.code),
    recorded,
  };
}
