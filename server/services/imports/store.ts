/**
 * The table `upload` (sql/015_imports.sql): storing an uploaded file with its hash, reading it
 * back, changing its settings, and the history as the API shows it. No import logic here.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../../geodata/db.js';
import { HttpError, notFound } from '../../http/errors.js';
import type { ImportHistoryEntry, ImportKind } from '../../api-types-imports.js';
import { ImportSettings } from './schemas.js';
import type { StoredUpload } from './prepare.js';

interface UploadRow {
  id: string | number;
  created: Date | string;
  actor: string;
  file_name: string;
  sha256: string;
  size: number;
  kind: ImportKind;
  settings: unknown;
  status: 'preview' | 'committed' | 'undone';
  report: { level?: string; periods?: string[]; added?: number; replaced?: number } | null;
  committed: Date | string | null;
  committed_by: string | null;
  undone: Date | string | null;
  undone_by: string | null;
}

const COLUMNS = `id, created, actor, file_name, sha256, size, kind, settings, status, report,
                 committed, committed_by, undone, undone_by`;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function entryOf(r: UploadRow): ImportHistoryEntry {
  const settings = typeof r.settings === 'string' ? JSON.parse(r.settings) : r.settings;
  return {
    id: Number(r.id),
    created: iso(r.created)!,
    actor: r.actor,
    fileName: r.file_name,
    sha256: r.sha256,
    size: r.size,
    kind: r.kind,
    status: r.status,
    level: r.report?.level ?? (settings as { level?: string })?.level ?? null,
    periods: r.report?.periods ?? [],
    added: r.report?.added ?? null,
    replaced: r.report?.replaced ?? null,
    committed: iso(r.committed),
    committedBy: r.committed_by,
    undone: iso(r.undone),
    undoneBy: r.undone_by,
  };
}

/** Stores a new upload (status preview) and answers its id. */
export async function storeUpload(
  db: Db,
  input: { actor: string; fileName: string; bytes: Uint8Array; settings: ImportSettings; kind?: ImportKind },
): Promise<number> {
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const r = await db.query<{ id: string | number }>(
    `INSERT INTO upload (actor, file_name, sha256, size, kind, settings, bytes)
     VALUES ($1, $2, $3, $4, $7, $5::jsonb, $6) RETURNING id`,
    [
      input.actor,
      input.fileName,
      sha256,
      input.bytes.length,
      JSON.stringify(input.settings),
      input.bytes,
      input.kind ?? 'indicators',
    ],
  );
  return Number(r.rows[0].id);
}

/** The history entry of one upload; 404 when there is none. */
export async function getEntry(db: Queryable, id: number): Promise<ImportHistoryEntry> {
  const r = await db.query<UploadRow>(`SELECT ${COLUMNS} FROM upload WHERE id = $1`, [id]);
  if (r.rows.length === 0) throw notFound(`Kein Import mit der Nummer ${id}`);
  return entryOf(r.rows[0]);
}

/** The stored file and settings of one upload; 404 when there is none. */
export async function getUpload(
  db: Queryable,
  id: number,
): Promise<StoredUpload & { status: string; kind: ImportKind }> {
  const r = await db.query<{
    file_name: string;
    bytes: Uint8Array;
    settings: unknown;
    status: string;
    kind: ImportKind;
  }>('SELECT file_name, bytes, settings, status, kind FROM upload WHERE id = $1', [id]);
  if (r.rows.length === 0) throw notFound(`Kein Import mit der Nummer ${id}`);
  const row = r.rows[0];
  const raw = typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings;
  return {
    id,
    fileName: row.file_name,
    bytes: row.bytes,
    settings: ImportSettings.parse(raw ?? {}),
    status: row.status,
    kind: row.kind,
  };
}

/** Replaces the settings of an upload that is still a preview; 409 after a commit. */
export async function updateSettings(db: Db, id: number, settings: ImportSettings): Promise<void> {
  const upload = await getUpload(db, id);
  if (upload.status !== 'preview') throw alreadyDone(id, upload.status);
  await db.query('UPDATE upload SET settings = $2::jsonb WHERE id = $1', [id, JSON.stringify(settings)]);
}

/** The history, newest first (uploads only previewed included: they show who tried what). */
export async function listEntries(db: Db, limit = 200): Promise<ImportHistoryEntry[]> {
  const r = await db.query<UploadRow>(`SELECT ${COLUMNS} FROM upload ORDER BY id DESC LIMIT $1`, [limit]);
  return r.rows.map(entryOf);
}

/** 409 for an upload that was already committed or undone. */
export function alreadyDone(id: number, status: string): HttpError {
  return new HttpError(
    409,
    'conflict',
    status === 'committed'
      ? `Import ${id} ist schon übernommen; Einstellungen lassen sich nicht mehr ändern`
      : `Import ${id} wurde rückgängig gemacht; bitte die Datei neu hochladen`,
  );
}
