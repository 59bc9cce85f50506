/**
 * A small cache for responses that are expensive to build and follow the data version
 * (services/version-memo.ts; a level's profile ZIP reads and renders every area): each key is built once per data version, concurrent
 * requests for the same key share the build, and when the version moves every older entry is
 * dropped. At most `maxEntries` entries are kept (least recently used first out).
 */
import type { Queryable } from '../../geodata/db.js';
import { versionReader, type ReadVersion } from '../services/version-memo.js';

export class BuiltOnce<T> {
  private readonly entries = new Map<string, Promise<T>>();
  private readonly versions: ReadVersion;
  private version = '';

  constructor(
    db: Queryable,
    private readonly maxEntries = 16,
  ) {
    // the read path's version (also moved by a direct SQL change): never older than the request
    this.versions = versionReader(db);
  }

  /** The value for key at the current data version: from the cache ('hit') or built now ('miss'). */
  async get(key: string, build: () => Promise<T>): Promise<{ value: T; cache: 'hit' | 'miss'; version: string }> {
    const version = await this.versions.read();
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    const k = `${version}|${key}`;
    const cached = this.entries.get(k);
    if (cached) {
      this.entries.delete(k); // most recently used last
      this.entries.set(k, cached);
      return { value: await cached, cache: 'hit', version };
    }
    const built = build();
    this.entries.set(k, built);
    built.catch(() => this.entries.delete(k)); // a failed build (e.g. a 400) is not kept
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return { value: await built, cache: 'miss', version };
  }
}
