/**
 * Undoing a committed upload (DELETE /api/imports/{id}) in one transaction: every value it
 * replaced gets its old value back, every row it added is removed, indicators it created go again
 * (when nothing else refers to them). Refused with 409 when a later import, or any other write,
 * changed one of these rows since: undoing would then destroy newer data.
 */
import type { Db, Queryable } from '../../../geodata/db.js';
import { inOneTransaction } from '../../../geodata/one-transaction.js';
import { bumpDataVersion } from '../../../geodata/import/versions.js';
import { recomputeValues } from '../../../geodata/values/recompute.js';
import { HttpError } from '../../http/errors.js';
import type { ImportUndoResult } from '../../api-types-imports.js';
import { getEntry } from './store.js';
import { undoKind } from './undo-kinds.js';

const conflict = (message: string, details?: unknown) => new HttpError(409, 'conflict', message, details);

export async function undoUpload(db: Db, id: number, actor: string): Promise<ImportUndoResult> {
  const { kind } = await getEntry(db, id); // 404 first
  return inOneTransaction(db, async (tx) => {
    const st = await tx.query<{ status: string }>('SELECT status FROM upload WHERE id = $1 FOR UPDATE', [id]);
    const status = st.rows[0].status;
    if (status !== 'committed')
      throw conflict(
        status === 'undone'
          ? `Import ${id} ist schon rückgängig gemacht`
          : `Import ${id} ist nur eine Vorschau; es gibt nichts rückgängig zu machen`,
      );
    if (kind !== 'indicators') {
      const undone = await undoKind(tx, id, kind);
      await tx.query(`UPDATE upload SET status = 'undone', undone = now(), undone_by = $2 WHERE id = $1`, [id, actor]);
      await bumpDataVersion(tx);
      await recomputeValues(tx);
      return { entry: await getEntry(tx, id), ...undone };
    }
    await refuseWhenChangedSince(tx, id);
    const restored = await tx.query<{ n: number }>(
      `WITH r AS (
         UPDATE observation o
            SET value = u.old_value, numerator = u.old_numerator, denominator = u.old_denominator
           FROM upload_observation u
          WHERE u.upload = $1 AND u.existed AND o.level = u.level AND o.indicator = u.indicator
            AND o.period = u.period AND o.code = u.code
         RETURNING 1)
       SELECT count(*)::int AS n FROM r`,
      [id],
    );
    const removed = await tx.query<{ n: number }>(
      `WITH d AS (
         DELETE FROM observation o USING upload_observation u
          WHERE u.upload = $1 AND NOT u.existed AND o.level = u.level AND o.indicator = u.indicator
            AND o.period = u.period AND o.code = u.code
         RETURNING 1)
       SELECT count(*)::int AS n FROM d`,
      [id],
    );
    const removedIndicators = await removeCreatedIndicators(tx, id);
    await tx.query(`UPDATE upload SET status = 'undone', undone = now(), undone_by = $2 WHERE id = $1`, [id, actor]);
    await bumpDataVersion(tx);
    await recomputeValues(tx);
    return {
      entry: await getEntry(tx, id),
      restored: restored.rows[0].n,
      removed: removed.rows[0].n,
      removedIndicators,
    };
  });
}

/** 409 naming the later import (or the first row changed otherwise) that touched the same rows. */
async function refuseWhenChangedSince(tx: Queryable, id: number): Promise<void> {
  const later = await tx.query<{ id: string | number; file_name: string; n: number }>(
    `SELECT up.id, up.file_name, count(*)::int AS n
       FROM upload_observation u
       JOIN upload_observation l
         ON l.level = u.level AND l.indicator = u.indicator AND l.period = u.period AND l.code = u.code
        AND l.upload > u.upload
       JOIN upload up ON up.id = l.upload AND up.status = 'committed'
      WHERE u.upload = $1
      GROUP BY up.id, up.file_name ORDER BY up.id`,
    [id],
  );
  if (later.rows.length > 0) {
    const names = later.rows.map((r) => `Import ${r.id} (${r.file_name}, ${r.n} Werte)`).join(', ');
    throw conflict(
      `Import ${id} kann nicht rückgängig gemacht werden: danach hat ${names} dieselben Werte geändert; bitte zuerst ${later.rows.length > 1 ? 'diese' : 'diesen'} rückgängig machen`,
      { imports: later.rows.map((r) => Number(r.id)) },
    );
  }
  const changed = await tx.query<{ level: string; indicator: string; period: string; code: string; n: number }>(
    `SELECT u.level, u.indicator, to_char(u.period, 'YYYY-MM-DD') AS period, u.code, count(*) OVER ()::int AS n
       FROM upload_observation u
       LEFT JOIN observation o
         ON o.level = u.level AND o.indicator = u.indicator AND o.period = u.period AND o.code = u.code
      WHERE u.upload = $1
        AND (o.code IS NULL OR o.value IS DISTINCT FROM u.new_value
             OR o.numerator IS DISTINCT FROM u.new_numerator OR o.denominator IS DISTINCT FROM u.new_denominator)
      ORDER BY u.indicator, u.period, u.code LIMIT 1`,
    [id],
  );
  if (changed.rows.length > 0) {
    const c = changed.rows[0];
    throw conflict(
      `Import ${id} kann nicht rückgängig gemacht werden: ${c.n} seiner Werte wurden danach anders geändert (z. B. Indikator ${c.indicator}, Gebiet ${c.code}, Stichtag ${c.period}), etwa über die Kommandozeile`,
    );
  }
}

/** Deletes the indicators the import created that no longer hold values and nothing refers to. */
async function removeCreatedIndicators(tx: Db, id: number): Promise<string[]> {
  const created = await tx.query<{ indicator: string }>(
    `SELECT u.indicator FROM upload_indicator u
      WHERE u.upload = $1 AND NOT EXISTS (SELECT 1 FROM observation o WHERE o.indicator = u.indicator)
      ORDER BY u.indicator`,
    [id],
  );
  const removed: string[] = [];
  for (const { indicator } of created.rows) {
    try {
      // A savepoint each: a rule or formula referring to the indicator keeps it (and only it).
      await tx.transaction(async (sp) => {
        await sp.query('DELETE FROM indicator WHERE key = $1', [indicator]);
      });
      removed.push(indicator);
    } catch {
      // kept: something refers to it
    }
  }
  return removed;
}
