/**
 * Keeps the read model current. Triggers on the source tables (sql/007) move
 * value_state.source_version with every change; refreshValues recomputes only when the read model
 * was computed for an older version. Importers recompute inside their own transaction; this is the
 * safety net for everything else (a reader after a direct SQL change, a settings change).
 */
import type { Db } from '../db.js';
import { recomputeValues, type RecomputeReport } from './recompute.js';

/** One refresh at a time per database handle: concurrent readers wait for the same one. */
const running = new WeakMap<Db, Promise<RecomputeReport | null>>();

/** Recomputes the read model if it is stale; returns the report, or null when it was current. */
export function refreshValues(db: Db): Promise<RecomputeReport | null> {
  const pending = running.get(db);
  if (pending) return pending;
  const next = (async () => {
    try {
      if (!(await isStale(db))) return null;
      return await db.transaction(async (tx) => {
        // Lock the state row so that two processes on one server database recompute one after the other.
        const s = await tx.query<{ stale: boolean }>(
          'SELECT source_version <> computed_version AS stale FROM value_state WHERE id = 1 FOR UPDATE',
        );
        return s.rows[0]?.stale ? recomputeValues(tx) : null;
      });
    } finally {
      running.delete(db);
    }
  })();
  running.set(db, next);
  return next;
}

async function isStale(db: Db): Promise<boolean> {
  const r = await db.query<{ stale: boolean }>(
    'SELECT source_version <> computed_version AS stale FROM value_state WHERE id = 1',
  );
  return r.rows[0]?.stale ?? false;
}
