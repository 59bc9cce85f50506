/**
 * Undoing an areas, points or meta upload (DELETE /api/imports/{id}), inside the transaction of
 * undo.ts: restores from the journal of kinds.ts (sql/017) what the import replaced and removes
 * what it added. Refused with a 409 in German naming the reason when that would destroy data
 * written since: values imported for areas the import created (deleting an area deletes its
 * values), a later import or another write that changed the same areas, stand or definitions.
 */
import type { Db, Queryable } from '../../../geodata/db.js';
import { META_COLUMNS } from '../../../geodata/import/meta.js';
import { HttpError } from '../../http/errors.js';
import type { ImportKind } from '../../api-types-imports.js';
import { AREA_DIGEST } from './kinds.js';

const conflict = (message: string, details?: unknown) => new HttpError(409, 'conflict', message, details);

export interface KindUndone {
  restored: number;
  removed: number;
  removedIndicators: string[];
}

export async function undoKind(tx: Db, id: number, kind: Exclude<ImportKind, 'indicators'>): Promise<KindUndone> {
  await refuseAfterLaterImport(tx, id, kind);
  if (kind === 'areas') return undoAreas(tx, id);
  if (kind === 'points') return undoPoints(tx, id);
  return undoMeta(tx, id);
}

/** A later committed upload of the same kind touching the same rows must be undone first. */
async function refuseAfterLaterImport(tx: Queryable, id: number, kind: string): Promise<void> {
  const sql: Record<string, string> = {
    areas: `SELECT DISTINCT l.upload AS id FROM upload_area u
              JOIN upload_area l ON l.level = u.level AND l.code = u.code AND l.upload > u.upload
             WHERE u.upload = $1`,
    points: `SELECT DISTINCT l.upload AS id FROM upload_point_layer u
               JOIN upload_point_layer l ON l.layer = u.layer AND l.period = u.period AND l.upload > u.upload
              WHERE u.upload = $1`,
    meta: `SELECT DISTINCT l.upload AS id FROM upload_meta u
             JOIN upload_meta l ON l.key = u.key AND l.upload > u.upload
            WHERE u.upload = $1`,
  };
  const later = await tx.query<{ id: string | number; file_name: string }>(
    `SELECT up.id, up.file_name FROM upload up WHERE up.status = 'committed' AND up.id IN (${sql[kind]}) ORDER BY up.id`,
    [id],
  );
  if (later.rows.length > 0) {
    const names = later.rows.map((r) => `Import ${r.id} (${r.file_name})`).join(', ');
    throw conflict(
      `Import ${id} kann nicht rückgängig gemacht werden: danach hat ${names} dieselben Daten geändert; bitte zuerst ${later.rows.length > 1 ? 'diese' : 'diesen'} rückgängig machen`,
      { imports: later.rows.map((r) => Number(r.id)) },
    );
  }
}

async function undoAreas(tx: Db, id: number): Promise<KindUndone> {
  const lv = (
    await tx.query<{ level: string; existed: boolean; old_parent_level: string | null }>(
      'SELECT level, existed, old_parent_level FROM upload_level WHERE upload = $1',
      [id],
    )
  ).rows[0];
  if (!lv)
    throw conflict(`Import ${id} hat kein Protokoll der ersetzten Gebiete; er lässt sich nicht rückgängig machen`);
  // Deleting an area deletes its values and addresses: values imported since for new areas block the undo.
  const dependent = await tx.query<{ code: string; n: number; what: string }>(
    `SELECT u.code, 'Werte' AS what, (SELECT count(*)::int FROM observation o WHERE o.level = u.level AND o.code = u.code) AS n
       FROM upload_area u WHERE u.upload = $1 AND NOT u.existed
        AND EXISTS (SELECT 1 FROM observation o WHERE o.level = u.level AND o.code = u.code)
     UNION ALL
     SELECT u.code, 'Adressen', (SELECT count(*)::int FROM address d WHERE d.level = u.level AND d.code = u.code)
       FROM upload_area u WHERE u.upload = $1 AND NOT u.existed
        AND EXISTS (SELECT 1 FROM address d WHERE d.level = u.level AND d.code = u.code)
     ORDER BY 1 LIMIT 1`,
    [id],
  );
  if (dependent.rows.length > 0) {
    const d = dependent.rows[0];
    throw conflict(
      `Import ${id} kann nicht rückgängig gemacht werden: für Gebiete, die er angelegt hat, wurden danach ${d.what} importiert (z. B. Gebiet ${d.code}: ${d.n}); das Rückgängigmachen würde sie löschen. Bitte zuerst diese ${d.what} entfernen`,
    );
  }
  const changed = await tx.query<{ code: string }>(
    `SELECT u.code FROM upload_area u LEFT JOIN area a ON a.level = u.level AND a.code = u.code
      WHERE u.upload = $1 AND (a.code IS NULL OR ${AREA_DIGEST} IS DISTINCT FROM u.new_digest)
      ORDER BY u.code LIMIT 1`,
    [id],
  );
  if (changed.rows.length > 0)
    throw conflict(
      `Import ${id} kann nicht rückgängig gemacht werden: Gebiet ${changed.rows[0].code} der Ebene "${lv.level}" wurde danach anders geändert, etwa über die Kommandozeile`,
    );
  if (!lv.existed) {
    const children = await tx.query<{ key: string }>('SELECT key FROM level WHERE parent_level = $1 ORDER BY key', [
      lv.level,
    ]);
    if (children.rows.length > 0)
      throw conflict(
        `Import ${id} kann nicht rückgängig gemacht werden: er hat die Ebene "${lv.level}" angelegt, und die Ebene "${children.rows[0].key}" ist ihr inzwischen untergeordnet`,
      );
    const others = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM area a WHERE a.level = $1
          AND NOT EXISTS (SELECT 1 FROM upload_area u WHERE u.upload = $2 AND u.code = a.code)`,
      [lv.level, id],
    );
    if (others.rows[0].n > 0)
      throw conflict(
        `Import ${id} kann nicht rückgängig gemacht werden: er hat die Ebene "${lv.level}" angelegt, die inzwischen ${others.rows[0].n} weitere Gebiete hat`,
      );
  }
  const restored = await tx.query<{ n: number }>(
    `WITH r AS (
       UPDATE area a SET name = u.name, parent_code = u.parent_code, geom = u.geom, area_km2 = u.area_km2,
                         repaired = u.repaired
         FROM upload_area u WHERE u.upload = $1 AND u.existed AND a.level = u.level AND a.code = u.code
       RETURNING 1)
     SELECT count(*)::int AS n FROM r`,
    [id],
  );
  const removed = await tx.query<{ n: number }>(
    `WITH d AS (
       DELETE FROM area a USING upload_area u
        WHERE u.upload = $1 AND NOT u.existed AND a.level = u.level AND a.code = u.code
       RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [id],
  );
  await tx.query(
    `DELETE FROM area_change c USING upload_area_change u
      WHERE u.upload = $1 AND c.level = u.level AND c.code = u.code AND c.changed_on = u.changed_on AND c.kind = u.kind`,
    [id],
  );
  if (!lv.existed) await tx.query('DELETE FROM level WHERE key = $1', [lv.level]);
  // The geometries changed (back): tiles and weights key on the version, so it moves on, never back.
  else
    await tx.query('UPDATE level SET parent_level = $2, geometry_version = geometry_version + 1 WHERE key = $1', [
      lv.level,
      lv.old_parent_level,
    ]);
  return { restored: restored.rows[0].n, removed: removed.rows[0].n, removedIndicators: [] };
}

async function undoPoints(tx: Db, id: number): Promise<KindUndone> {
  const j = (
    await tx.query<{ layer: string; period: string; had: boolean; same: boolean; n_new: number | null }>(
      `SELECT u.layer, to_char(u.period, 'YYYY-MM-DD') AS period, u.old IS NOT NULL AS had,
              l.imported_at IS NOT DISTINCT FROM u.new_imported_at AS same, l.n_points AS n_new
         FROM upload_point_layer u LEFT JOIN point_layer l ON l.key = u.layer AND l.period = u.period
        WHERE u.upload = $1`,
      [id],
    )
  ).rows[0];
  if (!j) throw conflict(`Import ${id} hat kein Protokoll des ersetzten Stands; er lässt sich nicht rückgängig machen`);
  if (!j.same)
    throw conflict(
      `Import ${id} kann nicht rückgängig gemacht werden: der Stand ${j.period} des Punktlayers "${j.layer}" wurde danach neu importiert, etwa über die Kommandozeile`,
    );
  // The layer row goes (its points with it, ON DELETE CASCADE) and comes back as it was.
  await tx.query('DELETE FROM point_layer WHERE key = $1 AND period = $2::date', [j.layer, j.period]);
  let restored = 0;
  if (j.had) {
    await tx.query(
      `INSERT INTO point_layer SELECT (jsonb_populate_record(NULL::point_layer, u.old)).*
         FROM upload_point_layer u WHERE u.upload = $1`,
      [id],
    );
    const r = await tx.query<{ n: number }>(
      `WITH i AS (
         INSERT INTO point_feature (layer, period, fid, name, address, attrs, geom)
         SELECT $2, $3::date, fid, name, address, attrs, geom FROM upload_point WHERE upload = $1
         RETURNING 1)
       SELECT count(*)::int AS n FROM i`,
      [id, j.layer, j.period],
    );
    restored = r.rows[0].n;
  }
  return { restored, removed: j.n_new ?? 0, removedIndicators: [] };
}

async function undoMeta(tx: Db, id: number): Promise<KindUndone> {
  const changed = await tx.query<{ key: string }>(
    `SELECT u.key FROM upload_meta u LEFT JOIN indicator i ON i.key = u.key
      WHERE u.upload = $1 AND to_jsonb(i) IS DISTINCT FROM u.new ORDER BY u.key LIMIT 1`,
    [id],
  );
  if (changed.rows.length > 0)
    throw conflict(
      `Import ${id} kann nicht rückgängig gemacht werden: die Definition von ${changed.rows[0].key} wurde danach geändert, etwa im Katalog`,
    );
  const used = await tx.query<{ key: string; n: number }>(
    `SELECT u.key, count(*)::int AS n FROM upload_meta u JOIN observation o ON o.indicator = u.key
      WHERE u.upload = $1 AND u.old IS NULL GROUP BY u.key ORDER BY u.key LIMIT 1`,
    [id],
  );
  if (used.rows.length > 0)
    throw conflict(
      `Import ${id} kann nicht rückgängig gemacht werden: für den Indikator ${used.rows[0].key}, den er angelegt hat, wurden danach ${used.rows[0].n} Werte importiert`,
    );
  // Column names are the importer's fixed list (META_COLUMNS), never request text.
  const cols = META_COLUMNS.filter((c) => c !== 'key');
  const restored = await tx.query<{ n: number }>(
    `WITH r AS (
       UPDATE indicator i SET ${cols.map((c) => `${c} = o.${c}`).join(', ')}
         FROM upload_meta u CROSS JOIN LATERAL jsonb_populate_record(NULL::indicator, u.old) o
        WHERE u.upload = $1 AND u.old IS NOT NULL AND i.key = u.key
       RETURNING 1)
     SELECT count(*)::int AS n FROM r`,
    [id],
  );
  const added = (
    await tx.query<{ key: string }>('SELECT key FROM upload_meta WHERE upload = $1 AND old IS NULL ORDER BY key', [id])
  ).rows.map((r) => r.key);
  if (added.length > 0) {
    try {
      await tx.transaction(async (sp) => {
        await sp.query('DELETE FROM indicator WHERE key = ANY($1::text[])', [added]);
      });
    } catch (e) {
      throw conflict(
        `Import ${id} kann nicht rückgängig gemacht werden: auf die Indikatoren, die er angelegt hat (${added.join(', ')}), verweist inzwischen etwas anderes (${e instanceof Error ? e.message : String(e)})`,
      );
    }
  }
  return { restored: restored.rows[0].n, removed: added.length, removedIndicators: added };
}
