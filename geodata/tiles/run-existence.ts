/**
 * Existence checks for run-addressed tiles (typology and hotspot runs), cached for a moment, so
 * an immutable tile URL of a deleted run answers 404 without a database lookup per tile.
 */
import type { Queryable } from '../db.js';

/**
 * Whether a typology or hotspot run still exists, for run-addressed tiles. Their tiles never
 * change, so a client's ETag or an index in the cache would otherwise keep answering for a run
 * that was deleted (or never existed): the issue asks for 404 there. A primary-key lookup per
 * tile would cost more than the tile itself, so answers are reused for a short time, like the
 * data version (DataVersionReader).
 */
export class RunExistence {
  private readonly seen = new Map<string, { exists: Promise<boolean>; at: number }>();

  constructor(
    private readonly db: Queryable,
    /** How long an answer is reused, in ms (default 500; 0 = ask for every request). */
    private readonly ttlMs = 500,
  ) {}

  exists(kind: 'typology' | 'hotspots', runId: number): Promise<boolean> {
    const key = `${kind}|${runId}`;
    const now = performance.now();
    const hit = this.seen.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.exists;
    if (this.seen.size > 10_000) this.seen.clear();
    // The table names are constants chosen by kind; the id is bound as a parameter.
    const table = kind === 'typology' ? 'typology_run' : 'hotspot_run';
    const exists = this.db
      .query(`SELECT 1 FROM ${table} WHERE id = $1::bigint`, [runId])
      .then((r) => r.rows.length > 0);
    this.seen.set(key, { exists, at: now });
    exists.catch(() => this.seen.delete(key)); // a failed lookup is asked again next time
    return exists;
  }
}
