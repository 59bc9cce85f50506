/**
 * The audit log of writes (sql/014 audit_log): who (name and role), what (method, path, the route
 * as action and the id it named as target), extra details a route set (e.g. {importId}) and the
 * HTTP status. Written after the response by http/actor.ts's audit middleware; read by admins
 * page by page (GET /api/audit). Request bodies are never stored, so no password or token is.
 */
import type { Queryable } from '../../geodata/db.js';
import type { AuditEntry } from '../api-types.js';

/** What a write leaves in the log; the database adds id and time. */
export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>;

/** Appends one entry. */
export async function recordAudit(db: Queryable, e: AuditRecord): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor, role, method, path, action, target, detail, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
    [
      e.actor,
      e.role,
      e.method,
      e.path,
      e.action,
      e.target,
      e.detail === undefined || e.detail === null ? null : JSON.stringify(e.detail),
      e.status,
    ],
  );
}

/**
 * A page of entries, newest first: `limit` entries with an id below `before` (all when unset),
 * only those of one account name and/or one action when asked.
 */
export async function listAudit(
  db: Queryable,
  page: { limit: number; before?: number; actor?: string; action?: string },
): Promise<AuditEntry[]> {
  const { rows } = await db.query<Omit<AuditEntry, 'at'> & { at: Date | string }>(
    `SELECT id, at, actor, role, method, path, action, target, detail, status FROM audit_log
     WHERE ($1::bigint IS NULL OR id < $1) AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR action = $4)
     ORDER BY id DESC LIMIT $2`,
    [page.before ?? null, page.limit, page.actor ?? null, page.action ?? null],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), at: new Date(r.at).toISOString(), status: Number(r.status) }));
}
