/**
 * An LRU cache of built tile layers with a memory bound, which builds each missing entry lazily
 * and only once: concurrent requests for the same key await the same build.
 *
 * Sizes are estimates supplied by the caller (sizeOf), re-read by resize() when an entry grows
 * (tile layers grow as tiles are cut and encoded on demand). When the total exceeds the bound,
 * the least recently used entries are dropped; the entry being used is never dropped by its own
 * growth, so a single layer larger than the bound still works (it is then the only entry).
 */
export interface CacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  builds: number;
  evictions: number;
}

export class IndexCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private readonly pending = new Map<string, Promise<V>>();
  private total = 0;
  private hits = 0;
  private builds = 0;
  private evictions = 0;

  constructor(
    /** Memory bound in bytes (config.tileCacheMb · 2²⁰). */
    readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  /** The cached value, marking it most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e); // Map keeps insertion order: re-inserting moves it to the young end
    this.hits++;
    return e.value;
  }

  /**
   * The cached value, or the result of build() — run once however many callers ask meanwhile.
   * A failed build is not cached: the next request tries again (and gets the same 404, say).
   */
  getOrBuild(key: string, build: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const running = this.pending.get(key);
    if (running) return running;
    this.builds++;
    const p = build().then(
      (value) => {
        this.pending.delete(key);
        const bytes = this.sizeOf(value);
        this.entries.set(key, { value, bytes });
        this.total += bytes;
        this.evict(key);
        return value;
      },
      (err: unknown) => {
        this.pending.delete(key);
        throw err;
      },
    );
    this.pending.set(key, p);
    return p;
  }

  /** Re-reads an entry's size after it grew, and evicts others if the bound is now exceeded. */
  resize(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    const bytes = this.sizeOf(e.value);
    this.total += bytes - e.bytes;
    e.bytes = bytes;
    this.evict(key);
  }

  /** Drops every entry whose key matches (e.g. all layers of an old data version). */
  deleteWhere(pred: (key: string) => boolean): void {
    for (const [k, e] of this.entries) {
      if (pred(k)) {
        this.entries.delete(k);
        this.total -= e.bytes;
      }
    }
  }

  stats(): CacheStats {
    return {
      entries: this.entries.size,
      bytes: this.total,
      maxBytes: this.maxBytes,
      hits: this.hits,
      builds: this.builds,
      evictions: this.evictions,
    };
  }

  private evict(keep: string): void {
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxBytes) return;
      if (k === keep) continue;
      this.entries.delete(k);
      this.total -= e.bytes;
      this.evictions++;
    }
  }
}
