/**
 * The point import (`sozialatlas import points`): a layer of facilities ("Georessource", e.g.
 * Kitas, care homes) for one stand (period) from GeoJSON, Shapefile or CSV into point_layer and
 * point_feature (sql/009), every attribute kept as JSONB, the geometry as Point in EPSG:4326.
 *
 * Node checks ids, coordinates and their CRS range first, so most bad files fail naming the
 * feature; then one transaction stages the points, lets PostGIS transform them, compares them
 * with the stored stand of the same layer and period (added, removed, moved by more than
 * MOVE_TOLERANCE_M), replaces that stand, counts the points outside every area and recomputes the
 * values (formulas over points read the layer). Any error rolls everything back.
 */
import type { Db, Queryable } from '../db.js';
import { ImportError } from './errors.js';
import { requireKnownSrid, WGS84 } from './crs.js';
import { isIsoDate } from './numbers.js';
import { batches } from './batches.js';
import { bumpDataVersion } from './versions.js';
import { recomputeValues } from '../values/recompute.js';
import {
  crsRange,
  pointWhere,
  readPointFile,
  requireInRange,
  type PointFile,
  type SourcePoint,
} from './read-points.js';
import type { ProgressFn } from './types.js';
import { DryRunRollback, transactionOrDryRun, type WriteHooks } from './dry-run.js';

/** A point that moved by more than this (metres) between two imports of a stand counts as moved. */
export const MOVE_TOLERANCE_M = 1;

/** A layer key as formulas name it: `count(kitas)`, `sum(kitas.e_platz)`. */
export const POINT_LAYER_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface PointImportOptions {
  /** Layer key, e.g. 'kitas' (letters, digits, underscore; used in formulas). */
  layer: string;
  /** Label shown in the map legend and lists, e.g. 'Kindertagesstätten'. Default: the key. */
  label?: string;
  /** Stand of the data, YYYY-MM-DD. */
  period: string;
  /** Attribute holding a unique id (read as text). Default: the running feature number. */
  idField?: string;
  /** Attribute holding the facility's name. Default: none. */
  nameField?: string;
  /** Address built from attributes: `{e_strasse} {e_hnr}, {e_plz} Berlin`. Default: none. */
  address?: string;
  /** Attribution line (source and licence). */
  attribution?: string;
  /** EPSG code of the coordinates; overrides the file's own CRS. */
  srid?: number;
}

export interface PointImportReport {
  file: string;
  kind: 'points';
  layer: string;
  period: string;
  /** Points written. */
  total: number;
  /** Compared with the stored stand of the same layer and period (all 0 on a first import). */
  added: number;
  removed: number;
  moved: number;
  unchanged: number;
  /** Ids of added, removed and moved points (at most 20 each). */
  addedIds: string[];
  removedIds: string[];
  movedIds: string[];
  /** Per finest area level: points inside no area of that level (ids: at most 20). */
  outside: { level: string; count: number; ids: string[] }[];
  srid: number;
  warnings: string[];
}

interface PointRow {
  /** 1-based feature number (for messages) */
  feature: number;
  fid: string;
  name: string | null;
  address: string | null;
  attrs: string;
  x: number;
  y: number;
}

const POINT_BATCH_ROWS = 5000;
const SHOW_IDS = 20;

export async function importPoints(
  db: Db,
  file: string,
  opts: PointImportOptions,
  onProgress?: ProgressFn,
  hooks: WriteHooks<PointImportReport> = {},
): Promise<PointImportReport> {
  checkOptions(opts, file);
  const source = await readPointFile(file);
  const warnings = [...source.warnings];
  const { srid, sridSource } = resolveSrid(source, opts, file);
  requireInRange(source, srid, file, sridSource);
  const rows = pointRows(source, opts, file, warnings);
  if (source.withoutGeometry.length > 0) {
    warnings.push(
      `${source.withoutGeometry.length} ${source.unit === 'row' ? 'Zeilen' : 'Objekte'} ohne Geometrie übersprungen: ${shortList(source.withoutGeometry.map(String))}`,
    );
  }
  if (rows.length === 0) throw new ImportError('die Datei enthält keinen Punkt', { file });
  await requireKnownSrid(db, srid, file, sridSource);

  return transactionOrDryRun(db, async (tx) => {
    await stagePoints(tx, rows, srid, onProgress);
    await requireTransformedInRange(tx, srid, file, source.unit);
    const diff = await compareWithStored(tx, opts);
    await hooks.beforeWrite?.(tx); // the stand before is still stored here
    await tx.query(
      `INSERT INTO point_layer (key, period, label, attribution, id_field, name_field, address_template,
                                source_file, source_srid, n_points, imported_at)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10, now())
       ON CONFLICT (key, period) DO UPDATE
          SET label = EXCLUDED.label, attribution = COALESCE(EXCLUDED.attribution, point_layer.attribution),
              id_field = EXCLUDED.id_field, name_field = EXCLUDED.name_field,
              address_template = EXCLUDED.address_template, source_file = EXCLUDED.source_file,
              source_srid = EXCLUDED.source_srid, n_points = EXCLUDED.n_points, imported_at = now()`,
      [
        opts.layer,
        opts.period,
        opts.label ?? opts.layer,
        opts.attribution ?? null,
        opts.idField ?? null,
        opts.nameField ?? null,
        opts.address ?? null,
        file,
        srid,
        rows.length,
      ],
    );
    await tx.query('DELETE FROM point_feature WHERE layer = $1 AND period = $2::date', [opts.layer, opts.period]);
    await tx.query(
      `INSERT INTO point_feature (layer, period, fid, name, address, attrs, geom)
       SELECT $1, $2::date, fid, name, address, attrs, geom FROM import_point_stage ORDER BY idx`,
      [opts.layer, opts.period],
    );
    const outside = await pointsOutside(tx, opts.layer, opts.period);
    for (const o of outside) {
      if (o.count > 0) {
        warnings.push(
          `${o.count} ${o.count === 1 ? 'Punkt liegt' : 'Punkte liegen'} in keinem Gebiet der Ebene "${o.level}": ${shortList(o.ids, o.count)}`,
        );
      }
    }
    if (outside.length === 0) warnings.push('noch keine Gebiete importiert: Punkte keinem Gebiet zugeordnet');
    await bumpDataVersion(tx);
    // Also in a dry run: formulas over the layer report missing fields here (the CLI's warnings).
    const recompute = await recomputeValues(tx);
    warnings.push(...(recompute.pointWarnings ?? []));
    await tx.query('DROP TABLE import_point_stage');
    const report = {
      file,
      kind: 'points',
      layer: opts.layer,
      period: opts.period,
      total: rows.length,
      ...diff,
      outside,
      srid,
      warnings,
    } satisfies PointImportReport;
    if (hooks.dryRun) throw new DryRunRollback(report);
    await hooks.afterWrite?.(tx, report);
    return report;
  });
}

function checkOptions(opts: PointImportOptions, file: string): void {
  if (!opts.layer || !POINT_LAYER_KEY.test(opts.layer)) {
    throw new ImportError(
      'der Schlüssel des Punktlayers (--layer) darf nur Buchstaben, Ziffern und _ enthalten und nicht mit einer Ziffer beginnen (er wird in Formeln genannt: count(kitas))',
      { file, field: 'layer', value: opts.layer },
    );
  }
  if (!opts.period || !isIsoDate(opts.period)) {
    throw new ImportError('Stand (--period) muss ein Datum JJJJ-MM-TT sein', {
      file,
      field: 'period',
      value: opts.period,
    });
  }
}

function resolveSrid(source: PointFile, opts: PointImportOptions, file: string): { srid: number; sridSource: string } {
  if (opts.srid !== undefined) return { srid: opts.srid, sridSource: 'option' };
  if (source.srid !== undefined) return { srid: source.srid, sridSource: source.sridSource };
  if (source.crsProblem) throw source.crsProblem;
  // A CSV without CRS: WGS 84 when the coordinates are degrees; anything else needs --srid.
  const degrees = crsRange(WGS84)!;
  const bad = source.points.find(
    (p) => p.x < degrees.x[0] || p.x > degrees.x[1] || p.y < degrees.y[0] || p.y > degrees.y[1],
  );
  if (bad) {
    throw new ImportError(
      'die CSV-Datei nennt kein Koordinatensystem und die Koordinaten sind keine Grad: bitte --srid angeben (z. B. 25833)',
      { file, row: bad.feature, unit: source.unit, field: 'geometry', value: [bad.x, bad.y] },
    );
  }
  return { srid: WGS84, sridSource: 'CSV ohne Angabe: WGS 84' };
}

/** Ids (unique, non-empty), names, addresses and attributes; a MultiPoint member gets `id-2`. */
function pointRows(source: PointFile, opts: PointImportOptions, file: string, warnings: string[]): PointRow[] {
  const unit = source.unit;
  const first = source.points[0];
  for (const [option, field] of [
    ['--id-field', opts.idField],
    ['--name-field', opts.nameField],
  ] as const) {
    if (field !== undefined && first && !(field in first.props)) {
      const known = Object.keys(first.props).join(', ');
      throw new ImportError(`${option}: Feld "${field}" fehlt (vorhanden: ${known})`, {
        file,
        row: first.feature,
        unit,
        field,
      });
    }
  }
  if (opts.idField === undefined) {
    warnings.push(
      'ohne --id-field sind die Kennungen laufende Nummern: ein erneuter Import erkennt verschobene Punkte nur, wenn die Reihenfolge gleich bleibt',
    );
  }
  const templateFields = [...(opts.address ?? '').matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
  if (first) {
    const missing = templateFields.filter((f) => !(f in first.props));
    if (missing.length > 0) {
      throw new ImportError(`--address nennt unbekannte Felder: ${missing.join(', ')}`, {
        file,
        row: first.feature,
        unit,
        field: missing[0],
      });
    }
  }
  const seen = new Map<string, SourcePoint>();
  return source.points.map((p) => {
    let fid: string;
    if (opts.idField !== undefined) {
      const v = p.props[opts.idField];
      const text = v === null || v === undefined ? '' : String(v).trim();
      if (text === '') {
        throw new ImportError('Kennung fehlt', { file, row: p.feature, unit, field: opts.idField, value: v ?? null });
      }
      fid = p.member !== undefined ? `${text}-${p.member}` : text;
    } else {
      fid = p.member !== undefined ? `${p.feature}-${p.member}` : String(p.feature);
    }
    const before = seen.get(fid);
    if (before) {
      throw new ImportError(`Kennung doppelt (schon bei ${pointWhere(before, unit)})`, {
        file,
        row: p.feature,
        unit,
        field: opts.idField,
        value: fid,
      });
    }
    seen.set(fid, p);
    const nameValue = opts.nameField !== undefined ? p.props[opts.nameField] : undefined;
    const name =
      nameValue === null || nameValue === undefined || String(nameValue).trim() === '' ? null : String(nameValue);
    return {
      feature: p.feature,
      fid,
      name,
      address: opts.address ? fillAddress(opts.address, p.props) : null,
      attrs: JSON.stringify(p.props),
      x: p.x,
      y: p.y,
    };
  });
}

/** `{e_strasse} {e_hnr}, {e_plz} Berlin` with the feature's values; empty parts leave no stray spaces. */
export function fillAddress(template: string, props: Record<string, unknown>): string | null {
  const text = template
    .replace(/\{([^{}]+)\}/g, (_, f: string) => {
      const v = props[f];
      return v === null || v === undefined ? '' : String(v).trim();
    })
    .replace(/\s+,/g, ',')
    .replace(/\s{2,}/g, ' ')
    .replace(/^[\s,]+|[\s,]+$/g, '');
  return text === '' ? null : text;
}

async function stagePoints(tx: Queryable, rows: PointRow[], srid: number, onProgress?: ProgressFn): Promise<void> {
  await tx.query(`CREATE TEMP TABLE import_point_stage (
      idx integer PRIMARY KEY, fid text NOT NULL, name text, address text, attrs jsonb NOT NULL,
      x double precision NOT NULL, y double precision NOT NULL, geom geometry(Point, 4326)) ON COMMIT DROP`);
  let done = 0;
  for (const batch of batches(rows, POINT_BATCH_ROWS)) {
    const b = batch.items;
    await tx.query(
      `INSERT INTO import_point_stage (idx, fid, name, address, attrs, x, y, geom)
       SELECT t.idx, t.fid, t.name, t.address, t.attrs::jsonb, t.x, t.y,
              ST_Transform(ST_SetSRID(ST_MakePoint(t.x, t.y), $8::int), 4326)
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[])
              AS t(idx, fid, name, address, attrs, x, y)`,
      [
        b.map((r) => r.feature),
        b.map((r) => r.fid),
        b.map((r) => r.name),
        b.map((r) => r.address),
        b.map((r) => r.attrs),
        b.map((r) => r.x),
        b.map((r) => r.y),
        srid,
      ],
    );
    done += b.length;
    onProgress?.(done, rows.length);
  }
}

/** For a CRS without a known range in Node: the transformed point must be a valid longitude/latitude. */
async function requireTransformedInRange(tx: Queryable, srid: number, file: string, unit: 'feature' | 'row') {
  if (crsRange(srid)) return;
  const bad = await tx.query<{ idx: number; x: number; y: number }>(
    `SELECT idx, x, y FROM import_point_stage
      WHERE NOT (abs(ST_X(geom)) <= 180 AND abs(ST_Y(geom)) <= 90) OR ST_X(geom) = 'NaN' OR ST_Y(geom) = 'NaN'
      ORDER BY idx LIMIT 1`,
  );
  const r = bad.rows[0];
  if (r) {
    throw new ImportError(`Koordinaten außerhalb des Wertebereichs von EPSG:${srid}`, {
      file,
      row: r.idx,
      unit,
      field: 'geometry',
      value: [r.x, r.y],
    });
  }
}

/** Added, removed and moved points against the stored stand of the same layer and period. */
async function compareWithStored(
  tx: Queryable,
  opts: PointImportOptions,
): Promise<
  Pick<PointImportReport, 'added' | 'removed' | 'moved' | 'unchanged' | 'addedIds' | 'removedIds' | 'movedIds'>
> {
  const r = await tx.query<{ kind: 'added' | 'removed' | 'moved' | 'unchanged'; n: number; ids: string[] }>(
    `WITH old AS (SELECT fid, geom FROM point_feature WHERE layer = $1 AND period = $2::date),
     pairs AS (
       SELECT COALESCE(s.fid, o.fid) AS fid, s.idx,
              CASE WHEN o.fid IS NULL THEN 'added'
                   WHEN s.fid IS NULL THEN 'removed'
                   WHEN ST_Distance(s.geom::geography, o.geom::geography) > $3 THEN 'moved'
                   ELSE 'unchanged' END AS kind
         FROM import_point_stage s FULL JOIN old o ON o.fid = s.fid)
     SELECT kind, count(*)::int AS n, (array_agg(fid ORDER BY idx NULLS LAST, fid))[1:${SHOW_IDS}] AS ids
       FROM pairs GROUP BY kind`,
    [opts.layer, opts.period, MOVE_TOLERANCE_M],
  );
  const of = (k: string) => r.rows.find((x) => x.kind === k);
  const hadStand = r.rows.some((x) => x.kind !== 'added');
  return {
    added: hadStand ? (of('added')?.n ?? 0) : 0,
    removed: of('removed')?.n ?? 0,
    moved: of('moved')?.n ?? 0,
    unchanged: of('unchanged')?.n ?? 0,
    addedIds: hadStand ? (of('added')?.ids ?? []) : [],
    removedIds: of('removed')?.ids ?? [],
    movedIds: of('moved')?.ids ?? [],
  };
}

/** Points of the stand inside no area, for every finest level (a level nobody names as parent). */
export async function pointsOutside(
  tx: Queryable,
  layer: string,
  period: string,
): Promise<{ level: string; count: number; ids: string[] }[]> {
  const r = await tx.query<{ level: string; count: number; ids: string[] | null }>(
    `SELECT l.key AS level, count(p.fid)::int AS count, (array_agg(p.fid ORDER BY p.fid))[1:${SHOW_IDS}] AS ids
       FROM level l
       LEFT JOIN point_feature p ON p.layer = $1 AND p.period = $2::date
             AND NOT EXISTS (SELECT 1 FROM area a WHERE a.level = l.key AND a.geom && p.geom AND ST_Intersects(a.geom, p.geom))
      WHERE NOT EXISTS (SELECT 1 FROM level c WHERE c.parent_level = l.key)
        AND EXISTS (SELECT 1 FROM area a WHERE a.level = l.key)
      GROUP BY l.key ORDER BY l.key`,
    [layer, period],
  );
  return r.rows.map((x) => ({ level: x.level, count: x.count, ids: x.ids?.filter((i) => i !== null) ?? [] }));
}

function shortList(ids: string[], total = ids.length): string {
  const shown = ids.slice(0, 10).join(', ');
  return total > 10 ? `${shown} … (${total} insgesamt)` : shown;
}
