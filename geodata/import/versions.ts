/**
 * The data version: one counter that every import bumps. Tile ETags and caches are derived from
 * it, so a changed data set can never be served from a stale tile.
 */
import type { Queryable } from '../db.js';

/** Every import bumps the data version: tiles and caches derive their ETag from it. */
export async function bumpDataVersion(tx: Queryable): Promise<void> {
  await tx.query('UPDATE data_version SET version = version + 1, changed_at = now() WHERE id = 1');
}
