import type { Queryable } from '../db.js';

/** Every import bumps the data version: tiles and caches derive their ETag from it. */
export async function bumpDataVersion(tx: Queryable): Promise<void> {
  await tx.query('UPDATE data_version SET version = version + 1, changed_at = now() WHERE id = 1');
}
