/**
 * The area import (`sozialatlas import areas`): polygons of one level from GeoJSON, Shapefile or
 * a WKT CSV into `area`. Node checks what it can before the database is touched, so most bad
 * files fail fast with the row and field named; PostGIS then repairs, transforms and measures
 * the geometries in one transaction, so a failing file leaves the database as it was.
 */
import type { Db, Queryable } from '../db.js';
import { ImportError, unitLabel } from './errors.js';
import { requireKnownSrid, WGS84 } from './crs.js';
import { readAreaFile } from './read-areas.js';
import { looksLikeDegrees } from './read-wkt-csv.js';
import { checkGeoJsonPolygonal, checkWktPolygonal } from './geometry-check.js';
import { batches } from './batches.js';
import { bumpDataVersion } from './versions.js';
import { recomputeValues } from '../values/recompute.js';
import { isIsoDate } from './numbers.js';
import { registerAreaChanges } from './area-changes.js';
import { AREA_CODE_PATTERN, LEVEL_KEY_PATTERN, suggestKey } from '../../analysis/keys.js';
import {
  coordinateRange,
  isTransformError,
  outOfRangeError,
  rangeParams,
  untransformableError,
  type CoordinateRange,
} from './coordinate-range.js';
import type { AreaChanges, AreaImportOptions, ImportReport, ProgressFn, RepairedFeature } from './types.js';
import type { SourceLayer } from './source.js';
import { DryRunRollback, transactionOrDryRun, type WriteHooks } from './dry-run.js';

/** One area as it goes to the staging table. */
interface AreaRow {
  /** 1-based feature/row number in the file, for messages. */
  feature: number;
  code: string;
  name: string | null;
  parentCode: string | null;
  /** GeoJSON geometry text or WKT, in the file's CRS. */
  geometry: string;
}

// Rows per multi-row INSERT; geometries additionally capped by text size (batches.ts).
const AREA_BATCH_ROWS = 2000;

/**
 * Imports polygons of one level from GeoJSON, Shapefile or a WKT CSV.
 * All checks that can be made in Node come first (codes, duplicates, parents'
 * source fields, geometry structure); then one transaction stages the features,
 * lets PostGIS repair, transform and measure them, and upserts into `area`.
 * Re-importing a level that has areas records changed geometries and new codes
 * in the comparability register `area_change` (area-changes.ts), effective from
 * opts.validFrom. Any error rolls the whole import back, register rows included.
 */
export async function importAreas(
  db: Db,
  file: string,
  opts: AreaImportOptions,
  onProgress?: ProgressFn,
  hooks: WriteHooks<ImportReport> = {},
): Promise<ImportReport> {
  checkOptions(opts, file);
  const layer = await readAreaFile(file);
  const warnings = [...layer.warnings];
  const { srid, source: sridSource } = resolveSrid(layer, opts, file, warnings);
  const rows = extractAreaRows(layer, opts, file, warnings);
  layer.features.length = 0; // the raw features are no longer needed; free them before the database work

  await requireKnownSrid(db, srid, file, sridSource);
  const range = await coordinateRange(db, srid);

  return transactionOrDryRun(db, async (tx) => {
    const levelHadAreas = await prepareLevel(tx, opts, file);
    await stageAreas(tx, rows, range, layer, file, opts.codeField, onProgress);
    const repaired = await repairedFeatures(tx);
    if (opts.parentLevel) await requireParentsExist(tx, opts.parentLevel, file, layer, opts.parentField);
    await hooks.beforeWrite?.(tx); // the stage (import_area_stage) is complete here

    // Before the upsert: the comparison needs the stored (old) geometries.
    let areaChanges: AreaChanges | undefined;
    if (levelHadAreas) areaChanges = await registerAreaChanges(tx, opts.level, file, opts.validFrom, warnings);
    else if (opts.validFrom !== undefined) {
      warnings.push(
        `--valid-from ${opts.validFrom} wird nicht gebraucht: die Ebene "${opts.level}" hatte noch keine Gebiete, es gibt nichts zu vergleichen`,
      );
    }

    const counts = (
      await tx.query<{ added: number; total: number }>(
        `WITH up AS (
           INSERT INTO area (level, code, name, parent_code, geom, area_km2, repaired)
           SELECT $1, code, name, parent_code, geom, ST_Area(geom::geography) / 1e6, NOT valid
             FROM import_area_stage ORDER BY idx
           ON CONFLICT (level, code) DO UPDATE
             SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code, geom = EXCLUDED.geom,
                 area_km2 = EXCLUDED.area_km2, repaired = EXCLUDED.repaired
           RETURNING (xmax = 0) AS added)
         SELECT count(*) FILTER (WHERE added)::int AS added, count(*)::int AS total FROM up`,
        [opts.level],
      )
    ).rows[0];

    const kept = (
      await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM area a WHERE a.level = $1
           AND NOT EXISTS (SELECT 1 FROM import_area_stage s WHERE s.code = a.code)`,
        [opts.level],
      )
    ).rows[0].n;
    if (kept > 0) {
      warnings.push(
        kept === 1
          ? `1 Gebiet der Ebene "${opts.level}" fehlt in ${file}; es bleibt unverändert`
          : `${kept} Gebiete der Ebene "${opts.level}" fehlen in ${file}; sie bleiben unverändert`,
      );
    }

    if (levelHadAreas) {
      await tx.query('UPDATE level SET geometry_version = geometry_version + 1 WHERE key = $1', [opts.level]);
    }
    const report = {
      file,
      kind: 'areas',
      level: opts.level,
      total: counts.total,
      added: counts.added,
      replaced: counts.total - counts.added,
      repaired,
      warnings,
      ...(areaChanges ? { areaChanges } : {}),
    } satisfies ImportReport;
    if (hooks.dryRun) throw new DryRunRollback(report);
    await hooks.afterWrite?.(tx, report);
    await bumpDataVersion(tx);
    await recomputeValues(tx); // every level, formula and suppression in the same transaction
    await tx.query('DROP TABLE import_area_stage');
    return report;
  });
}

function checkOptions(opts: AreaImportOptions, file: string): void {
  if (!opts.level?.trim()) throw new ImportError('keine Ebene angegeben (--level)', { file, field: 'level' });
  if (!opts.codeField)
    throw new ImportError('kein Feld für den Gebietsschlüssel angegeben (--code-field)', { file, field: 'codeField' });
  const hasParentSource = opts.parentField !== undefined || opts.parentCodePrefix !== undefined;
  if (opts.parentLevel && !hasParentSource) {
    throw new ImportError('--parent-level braucht --parent-field oder --parent-code-prefix', {
      file,
      field: 'parentLevel',
      value: opts.parentLevel,
    });
  }
  if (!opts.parentLevel && hasParentSource) {
    throw new ImportError('--parent-field/--parent-code-prefix brauchen --parent-level', {
      file,
      field: 'parentLevel',
    });
  }
  if (opts.parentField !== undefined && opts.parentCodePrefix !== undefined) {
    throw new ImportError('entweder --parent-field oder --parent-code-prefix angeben, nicht beide', {
      file,
      field: 'parentCodePrefix',
    });
  }
  if (opts.parentCodePrefix !== undefined && !(Number.isInteger(opts.parentCodePrefix) && opts.parentCodePrefix > 0)) {
    throw new ImportError('--parent-code-prefix muss eine positive ganze Zahl sein', {
      file,
      field: 'parentCodePrefix',
      value: opts.parentCodePrefix,
    });
  }
  if (opts.validFrom !== undefined && !isIsoDate(opts.validFrom)) {
    throw new ImportError('das Gültigkeitsdatum muss ein Datum im Format YYYY-MM-DD sein (z. B. 2021-01-01)', {
      file,
      field: 'validFrom',
      value: opts.validFrom,
    });
  }
  if (opts.parentLevel === opts.level) {
    throw new ImportError('eine Ebene kann nicht ihre eigene übergeordnete Ebene sein', {
      file,
      field: 'parentLevel',
      value: opts.parentLevel,
    });
  }
}

/**
 * --srid overrides what the file says (like ogr2ogr -s_srs); a Shapefile without
 * .prj and a CSV with projected coordinates need it.
 */
function resolveSrid(
  layer: SourceLayer,
  opts: AreaImportOptions,
  file: string,
  warnings: string[],
): { srid: number; source: string } {
  if (opts.srid !== undefined) {
    if (layer.srid !== undefined && layer.srid !== opts.srid) {
      warnings.push(
        `${file} gibt EPSG:${layer.srid} an (${describeSridSource(layer.sridSource)}); stattdessen wurde --srid ${opts.srid} verwendet`,
      );
    }
    return { srid: opts.srid, source: 'srid' };
  }
  if (layer.srid !== undefined) return { srid: layer.srid, source: layer.sridSource };
  if (layer.format === 'wkt') {
    if (looksLikeDegrees(layer.features)) return { srid: WGS84, source: 'CSV default (WGS 84)' };
    throw new ImportError(
      'die WKT-Koordinaten sind keine geografischen Längen/Breiten in Grad; --srid mit dem EPSG-Code angeben',
      { file, field: 'srid' },
    );
  }
  throw (
    layer.crsProblem ??
    new ImportError('die Datei gibt kein Koordinatensystem an; --srid angeben', { file, field: 'srid' })
  );
}

/**
 * sridSource doubles as ImportError.field (requireKnownSrid), so its values stay
 * as they are; this only words them in German for the --srid warning.
 */
function describeSridSource(source: string): string {
  const labels: Record<string, string> = {
    crs: '"crs"-Eintrag',
    '.prj': '.prj',
    'EWKT prefix': 'EWKT-Präfix',
    'RFC 7946 default': 'Standard nach RFC 7946',
  };
  return labels[source] ?? source;
}

function extractAreaRows(layer: SourceLayer, opts: AreaImportOptions, file: string, warnings: string[]): AreaRow[] {
  const unit = layer.unit;
  const feats = layer.features;
  const fieldsOf = (i: number) => Object.keys(feats[i]?.props ?? {});
  const requireField = (field: string, what: string) => {
    if (feats.length > 0 && !feats.some((f) => field in f.props)) {
      throw new ImportError(`kein Feld "${field}" für ${what}; vorhandene Felder: ${fieldsOf(0).join(', ')}`, {
        file,
        row: 1,
        unit,
        field,
      });
    }
  };
  requireField(opts.codeField, 'den Gebietsschlüssel');
  if (opts.nameField) requireField(opts.nameField, 'den Gebietsnamen');
  if (opts.parentField) requireField(opts.parentField, 'den übergeordneten Schlüssel');

  const seen = new Map<string, number>();
  let numericCodes = false;
  const rows = feats.map((f, k): AreaRow => {
    const feature = k + 1;
    const raw = f.props[opts.codeField];
    if (typeof raw === 'number') numericCodes = true;
    const code = raw === null || raw === undefined ? '' : String(raw).trim();
    if (code === '') {
      throw new ImportError('der Gebietsschlüssel fehlt', {
        file,
        row: feature,
        unit,
        field: opts.codeField,
        value: raw ?? null,
      });
    }
    const first = seen.get(code);
    if (first !== undefined) {
      throw new ImportError(`doppelter Gebietsschlüssel: ${unitLabel(unit)} ${first} hat denselben Schlüssel`, {
        file,
        row: feature,
        unit,
        field: opts.codeField,
        value: code,
      });
    }
    seen.set(code, feature);

    let parentCode: string | null = null;
    if (opts.parentField) {
      const p = f.props[opts.parentField];
      parentCode = p === null || p === undefined ? '' : String(p).trim();
      if (parentCode === '')
        throw new ImportError('der übergeordnete Schlüssel fehlt', {
          file,
          row: feature,
          unit,
          field: opts.parentField,
          value: p ?? null,
        });
    } else if (opts.parentCodePrefix !== undefined) {
      if (code.length <= opts.parentCodePrefix) {
        throw new ImportError(
          `der Schlüssel ist nicht länger als das übergeordnete Präfix von ${opts.parentCodePrefix} Zeichen`,
          {
            file,
            row: feature,
            unit,
            field: opts.codeField,
            value: code,
          },
        );
      }
      parentCode = code.slice(0, opts.parentCodePrefix);
    }

    const nameRaw = opts.nameField ? f.props[opts.nameField] : undefined;
    const name =
      nameRaw === null || nameRaw === undefined || String(nameRaw).trim() === '' ? null : String(nameRaw).trim();

    const problem = layer.format === 'geojson' ? checkGeoJsonPolygonal(f.geometry) : checkWktPolygonal(f.geometry);
    if (problem) {
      throw new ImportError(problem, { file, row: feature, unit, field: 'geometry', value: code });
    }
    const geometry = layer.format === 'geojson' ? JSON.stringify(f.geometry) : String(f.geometry);
    return { feature, code, name, parentCode, geometry };
  });
  if (rows.length === 0) throw new ImportError(`die Datei enthält keine ${unitLabel(layer.unit, true)}`, { file });
  // Codes are the file's own (official keys): outside the API's alphabet they are kept, but said.
  const unreadable = rows.filter((r) => !AREA_CODE_PATTERN.test(r.code));
  if (unreadable.length > 0) {
    const some = unreadable
      .slice(0, 5)
      .map((r) => `"${r.code}"`)
      .join(', ');
    warnings.push(
      `${file}: ${unreadable.length} ${unreadable.length === 1 ? 'Gebietsschlüssel passt' : 'Gebietsschlüssel passen'} nicht zum Schlüsselalphabet der API (Buchstaben A–Z/a–z, Ziffern, _ . -, höchstens 40 Zeichen) und ${unreadable.length === 1 ? 'ist' : 'sind'} über /api/areas/{code} nicht abrufbar: ${some}${unreadable.length > 5 ? ', …' : ''}`,
    );
  }
  if (numericCodes) {
    warnings.push(
      `${file}: Feld "${opts.codeField}" enthält Zahlen statt Text; führende Nullen sind in der Datei womöglich schon verloren`,
    );
  }
  return rows;
}

/** Returns whether the level already had areas (then its geometry_version is bumped). */
async function prepareLevel(tx: Queryable, opts: AreaImportOptions, file: string): Promise<boolean> {
  if (opts.parentLevel) {
    const p = await tx.query('SELECT 1 FROM level WHERE key = $1', [opts.parentLevel]);
    if (p.rows.length === 0) {
      throw new ImportError(`die übergeordnete Ebene "${opts.parentLevel}" gibt es nicht; bitte zuerst importieren`, {
        file,
        field: 'parentLevel',
        value: opts.parentLevel,
      });
    }
  }
  const existing = await tx.query('SELECT 1 FROM level WHERE key = $1', [opts.level]);
  if (existing.rows.length === 0) {
    // A new level's key goes into every URL (/api/areas?level=…, tiles): it must fit the API's alphabet.
    if (!LEVEL_KEY_PATTERN.test(opts.level)) {
      const suggestion = suggestKey(opts.level, 'level');
      throw new ImportError(
        `ein Ebenenschlüssel darf nur Buchstaben A–Z/a–z ohne Umlaute, Ziffern, _ und - enthalten (höchstens 40 Zeichen), sonst ist die Ebene über die API nicht abrufbar${suggestion && suggestion !== opts.level ? `; Vorschlag: "${suggestion}"` : ''}`,
        { file, field: 'level', value: opts.level },
      );
    }
    await tx.query('INSERT INTO level (key, label, parent_level) VALUES ($1, $2, $3)', [
      opts.level,
      opts.levelLabel ?? opts.level, // default label: the key itself
      opts.parentLevel ?? null,
    ]);
    return false;
  }
  if (opts.parentLevel)
    await tx.query('UPDATE level SET parent_level = $2 WHERE key = $1', [opts.level, opts.parentLevel]);
  const had = await tx.query('SELECT 1 FROM area WHERE level = $1 LIMIT 1', [opts.level]);
  return had.rows.length > 0;
}

/**
 * Parses, checks validity, repairs, transforms and stages all features in
 * batches. ST_MakeValid can turn a polygon into a collection with lines and
 * points; only its polygonal part is kept (ST_CollectionExtract type 3).
 * Coordinates must lie in the source CRS's area of use (coordinate-range.ts):
 * geographic sources are checked before the transformation (a longitude of 500
 * "transforms" to itself), every source after it.
 */
async function stageAreas(
  tx: Queryable,
  rows: AreaRow[],
  range: CoordinateRange,
  layer: SourceLayer,
  file: string,
  codeField: string,
  onProgress?: ProgressFn,
): Promise<void> {
  await tx.query(`CREATE TEMP TABLE import_area_stage (
      idx integer PRIMARY KEY, code text NOT NULL, name text, parent_code text,
      valid boolean NOT NULL, reason text, in_range boolean NOT NULL, geom geometry) ON COMMIT DROP`);
  const parse = (arg: string) =>
    layer.format === 'geojson' ? `ST_GeomFromGeoJSON(${arg})` : `ST_GeomFromText(${arg})`;
  // $7 geographic source, $8..$11 the allowed box west, south, east, north (coordinate-range.ts).
  const sql = `INSERT INTO import_area_stage (idx, code, name, parent_code, valid, reason, in_range, geom)
    SELECT idx, code, name, parent_code, ok,
           CASE WHEN ok THEN NULL ELSE ST_IsValidReason(g) END,
           in_range,
           CASE WHEN in_range THEN
             ST_Multi(ST_Transform(CASE WHEN ok THEN g ELSE ST_CollectionExtract(ST_MakeValid(g), 3) END, 4326)) END
      FROM (SELECT idx, code, name, parent_code, g, ST_IsValid(g) AS ok,
                   NOT $7::boolean OR (ST_XMin(g) >= $8 AND ST_XMax(g) <= $10 AND ST_YMin(g) >= $9 AND ST_YMax(g) <= $11)
                     AS in_range
              FROM (SELECT t.idx, t.code, t.name, t.parent_code, ST_SetSRID(ST_Force2D(${parse('t.g')}), $6::int) AS g
                      FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[])
                           AS t(idx, code, name, parent_code, g)) parsed) checked`;
  const params = (b: AreaRow[]) => [
    b.map((r) => r.feature),
    b.map((r) => r.code),
    b.map((r) => r.name),
    b.map((r) => r.parentCode),
    b.map((r) => r.geometry),
    range.srid,
    ...rangeParams(range),
  ];
  let done = 0;
  for (const batch of batches(rows, AREA_BATCH_ROWS, (r) => r.geometry.length)) {
    // A savepoint per batch lets us find the one feature PostGIS rejects and name it.
    await tx.query('SAVEPOINT area_batch');
    try {
      await tx.query(sql, params(batch.items));
      await tx.query('RELEASE SAVEPOINT area_batch');
    } catch (e) {
      await tx.query('ROLLBACK TO SAVEPOINT area_batch');
      await findRejectedFeature(tx, sql, params, batch.items, layer, file, codeField, range, parse('$1'));
      // Not reproducible row by row: report PostGIS's own message, with the file and the batch.
      const first = batch.items[0].feature;
      const last = batch.items[batch.items.length - 1].feature;
      throw new ImportError(
        `PostGIS hat ${unitLabel(layer.unit, true)} ${first} bis ${last} abgelehnt: ${e instanceof Error ? e.message : String(e)}`,
        { file },
      );
    }
    done += batch.items.length;
    onProgress?.(done, rows.length);
  }
  await requireInRange(tx, rows, range, layer, file, codeField, parse('$1'));
  // Repair can leave nothing polygonal (a polygon collapsed to a line).
  const empty = await tx.query<{ idx: number; code: string; reason: string }>(
    'SELECT idx, code, reason FROM import_area_stage WHERE geom IS NULL OR ST_IsEmpty(geom) ORDER BY idx LIMIT 1',
  );
  if (empty.rows.length > 0) {
    const r = empty.rows[0];
    throw new ImportError(
      `die Geometrie hat keine Fläche${r.reason ? ` (ungültig: ${r.reason}; nach der Reparatur bleibt keine Fläche übrig)` : ''}`,
      {
        file,
        row: r.idx,
        unit: layer.unit,
        field: codeField,
        value: r.code,
      },
    );
  }
}

/**
 * The first staged feature with a coordinate outside the allowed box (before the transformation
 * for a geographic source, after it for all) is an error naming it and the coordinate.
 */
async function requireInRange(
  tx: Queryable,
  rows: AreaRow[],
  range: CoordinateRange,
  layer: SourceLayer,
  file: string,
  codeField: string,
  parse: string,
): Promise<void> {
  const b = range.box;
  const bad = await tx.query<{ idx: number; code: string }>(
    `SELECT idx, code FROM import_area_stage
      WHERE NOT in_range
         OR NOT (ST_XMin(geom) >= $1 AND ST_XMax(geom) <= $3 AND ST_YMin(geom) >= $2 AND ST_YMax(geom) <= $4)
      ORDER BY idx LIMIT 1`,
    [b.west, b.south, b.east, b.north],
  );
  if (bad.rows.length === 0) return;
  const { idx, code } = bad.rows[0];
  const row = rows.find((r) => r.feature === idx)!;
  throw await outOfRangeError(tx, parse, row.geometry, range, {
    file,
    row: idx,
    unit: layer.unit,
    field: codeField,
    value: code,
  });
}

async function findRejectedFeature(
  tx: Queryable,
  sql: string,
  params: (b: AreaRow[]) => unknown[],
  items: AreaRow[],
  layer: SourceLayer,
  file: string,
  codeField: string,
  range: CoordinateRange,
  parse: string,
): Promise<void> {
  for (const row of items) {
    await tx.query('SAVEPOINT area_row');
    try {
      await tx.query(sql, params([row]));
      await tx.query('ROLLBACK TO SAVEPOINT area_row'); // only probing: staged again never
    } catch (e) {
      await tx.query('ROLLBACK TO SAVEPOINT area_row');
      if (isTransformError(e)) {
        const where = { file, row: row.feature, unit: layer.unit, field: codeField, value: row.code };
        const err = await untransformableError(tx, parse, row.geometry, range, (e as Error).message, where);
        if (err) throw err;
      }
      throw new ImportError(`PostGIS kann die Geometrie nicht lesen: ${e instanceof Error ? e.message : String(e)}`, {
        file,
        row: row.feature,
        unit: layer.unit,
        field: layer.format === 'wkt' ? 'geometry' : codeField,
        value: layer.format === 'wkt' ? row.geometry : row.code,
      });
    }
  }
}

async function repairedFeatures(tx: Queryable): Promise<RepairedFeature[]> {
  const r = await tx.query<{ idx: number; code: string; reason: string }>(
    'SELECT idx, code, reason FROM import_area_stage WHERE NOT valid ORDER BY idx',
  );
  return r.rows.map((x) => ({ code: x.code, feature: x.idx, reason: x.reason }));
}

async function requireParentsExist(
  tx: Queryable,
  parentLevel: string,
  file: string,
  layer: SourceLayer,
  parentField?: string,
): Promise<void> {
  const r = await tx.query<{ idx: number; code: string; parent_code: string; n: number }>(
    `SELECT s.idx, s.code, s.parent_code, count(*) OVER ()::int AS n
       FROM import_area_stage s
      WHERE NOT EXISTS (SELECT 1 FROM area p WHERE p.level = $1 AND p.code = s.parent_code)
      ORDER BY s.idx LIMIT 1`,
    [parentLevel],
  );
  if (r.rows.length > 0) {
    const x = r.rows[0];
    throw new ImportError(
      `übergeordneter Schlüssel "${x.parent_code}" passt zu keinem Gebiet der Ebene "${parentLevel}"${x.n > 1 ? ` (${x.n} ${unitLabel(layer.unit, true)} haben einen unbekannten übergeordneten Schlüssel)` : ''}`,
      { file, row: x.idx, unit: layer.unit, field: parentField ?? 'parent code prefix', value: x.parent_code },
    );
  }
}
