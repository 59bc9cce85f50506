/**
 * Uploads of areas, point layers and indicator metadata (issue 15): the CLI's importers
 * (importAreas, importPoints, importMeta in geodata/import) run on the uploaded file, so the
 * preview and the commit give the CLI's messages and report (one code path). The preview is their
 * dry run (the whole import in a transaction rolled back at the end); the commit runs them in one
 * transaction with the undo journal (sql/017: what the import replaced). The readers of the CLI
 * read files by path, so the upload is written to a private temporary folder for the call (a
 * zipped Shapefile unpacked into it) and the folder's path is taken out of every message again.
 */
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db, Queryable } from '../../../geodata/db.js';
import { ImportError } from '../../../geodata/import/errors.js';
import { importAreas } from '../../../geodata/import/areas.js';
import { importPoints, type PointImportOptions } from '../../../geodata/import/points.js';
import { importMeta, readMetaRecords } from '../../../geodata/import/meta.js';
import { readAreaFile } from '../../../geodata/import/read-areas.js';
import { readPointFile } from '../../../geodata/import/read-points.js';
import { readTextFile } from '../../../geodata/import/sniff.js';
import type { AreaImportOptions } from '../../../geodata/import/types.js';
import { inOneTransaction } from '../../../geodata/one-transaction.js';
import { HttpError, badRequest } from '../../http/errors.js';
import type {
  ImportCommitResult,
  ImportFileInfo,
  ImportHistoryEntry,
  ImportKind,
  ImportKindReport,
  ImportPreview,
  ImportProblem,
} from '../../api-types-imports.js';
import type { ImportSettings } from './schemas.js';
import { problemOf, type StoredUpload } from './prepare.js';
import { alreadyDone, getEntry } from './store.js';
import { unzip } from './unzip.js';

type GeoKind = Exclude<ImportKind, 'indicators'>;

/** Rows of the file shown in the preview. */
const SAMPLE_ROWS = 20;

/** Attribute names that usually hold an area code or a name (case-insensitive). */
const CODE_FIELD =
  /^(code|schl(ü|ue)ssel|gebietsschl(ü|ue)ssel|id|ags|ars|rs|gebiet_?id|raumid|nr|plr|bzr|pgr|bez|[a-z]+_(id|code|nr))$/i;
const NAME_FIELD = /^(name|gebietsname|bezeichnung|gen|[a-z]+_?name)$/i;
const ID_FIELD = /^(id|fid|nr|kennung|objectid)$/i;

/** The upload as a file the CLI's readers can open: `fn` gets its path; the folder goes afterwards. */
async function withUploadFile<T>(
  upload: StoredUpload,
  fn: (file: string, local: (s: string) => string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-upload-'));
  // Messages name the file as the user knows it: "gebiete.geojson", "bezirke.zip/bezirke.shp".
  const shown = isZip(upload.fileName) ? `${upload.fileName}/` : '';
  const local = (s: string) => s.split(`${dir}${path.sep}`).join(shown);
  try {
    return await fn(await placeFile(dir, upload), local);
  } catch (e) {
    if (e instanceof ImportError) throw localError(e, local);
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const isZip = (name: string) => name.toLowerCase().endsWith('.zip');

async function placeFile(dir: string, upload: StoredUpload): Promise<string> {
  if (!isZip(upload.fileName)) {
    const file = path.join(dir, upload.fileName); // the name has no path (UploadQuery)
    await writeFile(file, upload.bytes);
    return file;
  }
  const entries = unzip(upload.bytes, upload.fileName).filter(
    (e) => !e.name.startsWith('__MACOSX/') && !path.posix.basename(e.name).startsWith('._'),
  );
  const shp: string[] = [];
  for (const e of entries) {
    // Flattened to the base name: a folder inside the archive is usual, a path out of `dir` impossible.
    const base = path.posix.basename(e.name.replace(/\\/g, '/'));
    if (!base || base === '.' || base === '..') continue;
    await writeFile(path.join(dir, base), e.bytes);
    if (/\.shp$/i.test(base)) shp.push(base);
  }
  if (shp.length === 0)
    throw new ImportError('das ZIP-Archiv enthält keine .shp-Datei', {
      file: upload.fileName,
      value: entries.map((e) => e.name).join(', '),
    });
  if (shp.length > 1)
    throw new ImportError('das ZIP-Archiv enthält mehrere .shp-Dateien; bitte eine Ebene je Archiv hochladen', {
      file: upload.fileName,
      value: shp.join(', '),
    });
  return path.join(dir, shp[0]);
}

/** The error with the temporary folder taken out of its file and message. */
function localError(e: ImportError, local: (s: string) => string): ImportError {
  const out = new ImportError('', { file: local(e.file) });
  out.message = local(e.message);
  out.row = e.row;
  out.field = e.field;
  out.value = e.value;
  return out;
}

/** JSON text of a report with the temporary folder taken out. */
const localReport = <R>(r: R, local: (s: string) => string): R => JSON.parse(local(JSON.stringify(r))) as R;

/** The CLI's options for an areas upload: the user's settings, the code and name fields proposed. */
function areaOptions(s: ImportSettings, fields: string[]): AreaImportOptions {
  return {
    level: s.level ?? '',
    codeField: s.codeField ?? fields.find((f) => CODE_FIELD.test(f)) ?? fields[0] ?? '',
    ...opt('levelLabel', s.levelLabel),
    ...opt('nameField', s.nameField ?? fields.find((f) => NAME_FIELD.test(f))),
    ...opt('parentLevel', s.parentLevel),
    ...opt('parentField', s.parentField),
    ...opt('parentCodePrefix', s.parentCodePrefix),
    ...opt('srid', s.srid),
    ...opt('validFrom', s.validFrom),
  };
}

/** The CLI's options for a point upload: layer key proposed from the file name, id and name fields by name. */
function pointOptions(s: ImportSettings, fields: string[], fileName: string): PointImportOptions {
  return {
    layer: s.layer ?? layerKeyOf(fileName),
    period: s.period ?? '',
    ...opt('label', s.label),
    ...opt('idField', s.idField ?? fields.find((f) => ID_FIELD.test(f))),
    ...opt('nameField', s.nameField ?? fields.find((f) => NAME_FIELD.test(f))),
    ...opt('address', s.address),
    ...opt('attribution', s.attribution),
    ...opt('srid', s.srid),
  };
}

const opt = <K extends string, V>(k: K, v: V | undefined) => (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };

/** "Kitas 2024.geojson" → "kitas_2024": a key formulas can name (letters, digits, _; no leading digit). */
export function layerKeyOf(fileName: string): string {
  const stem = fileName
    .replace(/\.[^.]+$/, '')
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(stem) ? stem.slice(0, 60) : `p_${stem}`.slice(0, 60);
}

const cellText = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** What the file holds as the CLI's reader sees it, and its first rows. */
interface FileRead {
  info: ImportFileInfo;
  header: string[];
  rows: string[][];
}

async function readForPreview(kind: GeoKind, file: string): Promise<FileRead> {
  const ext = path.extname(file).toLowerCase();
  const format: ImportFileInfo['format'] =
    ext === '.shp'
      ? 'shapefile'
      : ext === '.csv' || ext === '.tsv' || ext === '.txt'
        ? 'csv'
        : kind === 'meta'
          ? 'json'
          : 'geojson';
  const encoding = format === 'shapefile' ? await dbfEncoding(file) : (await readTextFile(file, 'Text')).encoding;
  if (kind === 'meta') {
    const records = await readMetaRecords(file, []);
    const fields = [...new Set(records.flatMap((r) => Object.keys(r)))];
    return {
      info: { format, encoding, srid: null, sridSource: null, count: records.length, fields },
      header: fields,
      rows: records.slice(0, SAMPLE_ROWS).map((r) => fields.map((f) => cellText(r[f]))),
    };
  }
  if (kind === 'areas') {
    const layer = await readAreaFile(file);
    const fields = [...new Set(layer.features.slice(0, 1000).flatMap((f) => Object.keys(f.props)))];
    return {
      info: {
        format,
        encoding,
        srid: layer.srid ?? null,
        sridSource: layer.srid === undefined ? null : layer.sridSource,
        count: layer.features.length,
        fields,
      },
      header: [...fields, 'Geometrie'],
      rows: layer.features
        .slice(0, SAMPLE_ROWS)
        .map((f) => [
          ...fields.map((k) => cellText(f.props[k])),
          typeof f.geometry === 'string'
            ? (/^\s*(SRID=\d+;)?\s*([A-Za-z]+)/.exec(f.geometry)?.[2] ?? '')
            : cellText((f.geometry as { type?: unknown } | null)?.type),
        ]),
    };
  }
  const points = await readPointFile(file);
  const fields = [...new Set(points.points.slice(0, 1000).flatMap((p) => Object.keys(p.props)))];
  return {
    info: {
      format,
      encoding,
      srid: points.srid ?? null,
      sridSource: points.srid === undefined ? null : points.sridSource,
      count: points.points.length,
      fields,
    },
    header: [...fields, 'x', 'y'],
    rows: points.points
      .slice(0, SAMPLE_ROWS)
      .map((p) => [...fields.map((k) => cellText(p.props[k])), String(p.x), String(p.y)]),
  };
}

/** The .dbf's encoding as the Shapefile reader takes it: the .cpg, else windows-1252. */
async function dbfEncoding(shp: string): Promise<string> {
  const base = shp.replace(/\.shp$/i, '');
  for (const ext of ['cpg', 'CPG']) {
    try {
      return (await readFile(`${base}.${ext}`, 'latin1')).trim() || 'windows-1252';
    } catch {
      // none with this case
    }
  }
  return 'windows-1252 (keine .cpg)';
}

/** Runs the kind's importer on the file with the given hooks (dry run or journal). */
async function runImport(
  db: Db,
  kind: GeoKind,
  file: string,
  s: ImportSettings,
  fields: string[],
  fileName: string,
  hooks: {
    dryRun?: boolean;
    problems?: ImportError[];
    beforeWrite?: (tx: Queryable, keys?: string[]) => Promise<void>;
    afterWrite?: (tx: Queryable) => Promise<void>;
  },
): Promise<ImportKindReport> {
  // The geodata report types are the API's shape (ImportKindReport) with kind widened.
  if (kind === 'areas')
    return (await importAreas(db, file, areaOptions(s, fields), undefined, hooks)) as ImportKindReport;
  if (kind === 'points') return importPoints(db, file, pointOptions(s, fields, fileName), undefined, hooks);
  return (await importMeta(db, file, { allowMany: s.allowMany ?? false }, hooks)) as ImportKindReport;
}

/** The settings the preview used: the user's with what was proposed. */
function usedSettings(kind: GeoKind, s: ImportSettings, fields: string[], fileName: string): Record<string, unknown> {
  if (kind === 'areas') return { ...s, ...areaOptions(s, fields) };
  if (kind === 'points') return { ...s, ...pointOptions(s, fields, fileName) };
  return { ...s };
}

export async function previewKindUpload(
  db: Db,
  upload: StoredUpload & { kind: ImportKind },
  base: ImportHistoryEntry,
): Promise<ImportPreview> {
  const kind = upload.kind as GeoKind;
  const levels = (await db.query<{ key: string; label: string }>('SELECT key, label FROM level ORDER BY key')).rows;
  const problems: ImportProblem[] = [];
  let read: FileRead | null = null;
  let report: ImportKindReport | null = null;
  let fields: string[] = [];
  try {
    await withUploadFile(upload, async (file, local) => {
      read = await readForPreview(kind, file);
      fields = read.info.fields;
      const collected: ImportError[] = [];
      try {
        report = localReport(
          await runImport(db, kind, file, upload.settings, fields, upload.fileName, {
            dryRun: true,
            problems: collected,
          }),
          local,
        );
      } catch (e) {
        if (!(e instanceof ImportError)) throw e;
        if (!collected.includes(e)) collected.push(e);
      }
      problems.push(...collected.map((e) => problemOf(localError(e, local))));
    });
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    problems.push(problemOf(e)); // the file cannot be read: the CLI's message
  }
  const r = read as FileRead | null;
  const settings = usedSettings(kind, upload.settings, fields, upload.fileName);
  const rep = report as ImportKindReport | null;
  return {
    ...base,
    detected: null,
    settings,
    header: r?.header ?? [],
    rows: r?.rows ?? [],
    mapping: {
      level: (settings.level as string | undefined) || null,
      codeField: (settings.codeField as string | undefined) || null,
      period: (settings.period as string | undefined) || null,
      columns: [],
    },
    problems,
    summary: null,
    warnings: rep?.warnings ?? [],
    levels,
    file: r?.info ?? null,
    report: rep,
  };
}

/** Commits an areas, points or meta upload in one transaction with its undo journal. */
export async function commitKindUpload(
  db: Db,
  id: number,
  upload: StoredUpload & { kind: ImportKind },
  actor: string,
): Promise<ImportCommitResult> {
  const kind = upload.kind as GeoKind;
  try {
    return await withUploadFile(upload, async (file, local) => {
      const fields = (await readForPreview(kind, file)).info.fields;
      const settings = usedSettings(kind, upload.settings, fields, upload.fileName);
      return inOneTransaction(db, async (tx) => {
        const lock = await tx.query<{ status: string }>('SELECT status FROM upload WHERE id = $1 FOR UPDATE', [id]);
        if (lock.rows[0]?.status !== 'preview') throw alreadyDone(id, lock.rows[0]?.status ?? 'undone');
        const journal = journalFor(kind, id, settings);
        await journal.before?.(tx);
        const report = localReport(
          await runImport(tx, kind, file, upload.settings, fields, upload.fileName, {
            beforeWrite: journal.beforeWrite,
            afterWrite: journal.afterWrite,
          }),
          local,
        );
        // The layer row names its source file: the upload's name, not the temporary folder.
        if (report.layer && report.period)
          await tx.query('UPDATE point_layer SET source_file = $3 WHERE key = $1 AND period = $2::date', [
            report.layer,
            report.period,
            local(file),
          ]);
        await tx.query(
          `UPDATE upload SET status = 'committed', committed = now(), committed_by = $2, report = $3::jsonb,
                  settings = $4::jsonb WHERE id = $1`,
          [id, actor, JSON.stringify(report), JSON.stringify(settings)],
        );
        return { entry: await getEntry(tx, id), report };
      });
    });
  } catch (e) {
    if (e instanceof ImportError)
      throw badRequest(`Der Import kann so nicht übernommen werden: ${e.message}`, {
        problems: [problemOf(e)],
      });
    if (e instanceof HttpError) throw e;
    throw e;
  }
}

/** What each kind records before and after its write, for the undo (undo-kinds.ts). */
function journalFor(
  kind: GeoKind,
  id: number,
  settings: Record<string, unknown>,
): {
  before?: (tx: Queryable) => Promise<void>;
  beforeWrite?: (tx: Queryable, keys?: string[]) => Promise<void>;
  afterWrite?: (tx: Queryable) => Promise<void>;
} {
  if (kind === 'areas') {
    const level = String(settings.level ?? '');
    return {
      // Before the import creates the level: whether it existed, and its parent then.
      async before(tx) {
        await tx.query(
          `INSERT INTO upload_level (upload, level, existed, old_parent_level)
           SELECT $1, $2, l.key IS NOT NULL, l.parent_level
             FROM (SELECT 1) one LEFT JOIN level l ON l.key = $2`,
          [id, level],
        );
      },
      // The stage holds every code of the file: keep each one's row before, and the register rows there were.
      async beforeWrite(tx) {
        await tx.query(
          `INSERT INTO upload_area (upload, level, code, existed, name, parent_code, geom, area_km2, repaired)
           SELECT $1, $2, s.code, a.code IS NOT NULL, a.name, a.parent_code, a.geom, a.area_km2, a.repaired
             FROM import_area_stage s LEFT JOIN area a ON a.level = $2 AND a.code = s.code`,
          [id, level],
        );
        await tx.query(
          `CREATE TEMP TABLE upload_area_change_before ON COMMIT DROP AS
             SELECT code, changed_on, kind FROM area_change WHERE level = $1`,
          [level],
        );
      },
      async afterWrite(tx) {
        await tx.query(
          `UPDATE upload_area u SET new_digest = ${AREA_DIGEST}
             FROM area a WHERE u.upload = $1 AND a.level = u.level AND a.code = u.code`,
          [id],
        );
        await tx.query(
          `INSERT INTO upload_area_change (upload, level, code, changed_on, kind)
           SELECT $1, c.level, c.code, c.changed_on, c.kind FROM area_change c
            WHERE c.level = $2 AND NOT EXISTS (SELECT 1 FROM upload_area_change_before b
                                                WHERE b.code = c.code AND b.changed_on = c.changed_on AND b.kind = c.kind)`,
          [id, level],
        );
        await tx.query('DROP TABLE upload_area_change_before');
      },
    };
  }
  if (kind === 'points') {
    const layer = String(settings.layer ?? '');
    const period = String(settings.period ?? '');
    return {
      async beforeWrite(tx) {
        await tx.query(
          `INSERT INTO upload_point_layer (upload, layer, period, old)
           SELECT $1, $2, $3::date, (SELECT to_jsonb(l) FROM point_layer l WHERE l.key = $2 AND l.period = $3::date)`,
          [id, layer, period],
        );
        await tx.query(
          `INSERT INTO upload_point (upload, fid, name, address, attrs, geom)
           SELECT $1, fid, name, address, attrs, geom FROM point_feature WHERE layer = $2 AND period = $3::date`,
          [id, layer, period],
        );
      },
      async afterWrite(tx) {
        await tx.query(
          `UPDATE upload_point_layer u SET new_imported_at = l.imported_at
             FROM point_layer l WHERE u.upload = $1 AND l.key = u.layer AND l.period = u.period`,
          [id],
        );
      },
    };
  }
  return {
    async beforeWrite(tx, keys = []) {
      await tx.query(
        `INSERT INTO upload_meta (upload, key, old)
         SELECT $1, k, (SELECT to_jsonb(i) FROM indicator i WHERE i.key = k) FROM unnest($2::text[]) k`,
        [id, keys],
      );
    },
    async afterWrite(tx) {
      await tx.query(
        `UPDATE upload_meta u SET new = to_jsonb(i) FROM indicator i WHERE u.upload = $1 AND i.key = u.key`,
        [id],
      );
    },
  };
}

/** A digest of what an area row holds; an undo refuses when it changed since the import. */
export const AREA_DIGEST = `md5(coalesce(a.name, '') || '|' || coalesce(a.parent_code, '') || '|' ||
  encode(ST_AsBinary(a.geom), 'hex'))`;
