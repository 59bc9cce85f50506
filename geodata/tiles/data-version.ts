/**
 * Reads data_version.version for data-addressed tile requests: coalesced, and reused briefly.
 *
 * - Reuse: a version read less than `ttlMs` ago is reused (default 500 ms). On PGlite a query
 *   runs on the event loop's thread and costs about as much as serving several cached tiles, so
 *   one read per tile would cap throughput. The price: after an import, tiles may keep their old
 *   ETag for up to ttlMs. Imports are rare, deliberate acts; half a second is invisible.
 * - Coalescing: a request may share a read only if that read started after the request arrived
 *   (or within the reuse window): while one read runs, newcomers wait for the *next* read, which
 *   starts when the running one ends. At most one read runs and one waits, whatever the load.
 */
import type { Queryable } from '../db.js';

export class DataVersionReader {
  private running: Promise<number> | null = null;
  private next: Promise<number> | null = null;
  private last: { version: number; startedAt: number } | null = null;

  constructor(
    private readonly db: Queryable,
    /** How long a read version is reused, in ms (default 500; 0 = read for every request). */
    private readonly ttlMs = 500,
  ) {}

  read(): Promise<number> {
    if (this.last && performance.now() - this.last.startedAt < this.ttlMs) return Promise.resolve(this.last.version);
    if (!this.running) {
      const startedAt = performance.now();
      this.running = this.query()
        .then((version) => {
          if (!this.last || startedAt >= this.last.startedAt) this.last = { version, startedAt };
          return version;
        })
        .finally(() => {
          this.running = null;
        });
      return this.running;
    }
    if (!this.next) {
      const after = this.running.catch(() => undefined);
      this.next = after.then(() => {
        this.next = null;
        return this.readFresh();
      });
    }
    return this.next;
  }

  /** A read that started now (ignores the reuse window). */
  private readFresh(): Promise<number> {
    this.last = null;
    return this.read();
  }

  private async query(): Promise<number> {
    const r = await this.db.query<{ version: number | string }>('SELECT version FROM data_version WHERE id = 1');
    return Number(r.rows[0]?.version ?? 0);
  }
}
