/**
 * Results that depend only on the data, kept per data version (issue 13: "precompute per-level
 * aggregates when data change"): the catalogue of levels and indicators, each level's ranks,
 * region values and Stand, a level's profiles. The first reader after a change computes them,
 * every later reader of the same version gets them from memory; a write (import, settings, a
 * direct SQL change: see ReadVersion) gives a new version and the old results are dropped.
 *
 * Kept per database handle (a transaction's handle gets its own, short-lived memo, so an
 * uncommitted change is never seen outside it), at most MAX_KEYS results per handle (LRU).
 *
 * Rebuilt in the background after a change: once any reader (the response cache reads the
 * version on every request) sees a new version, the results that were in use under the old one
 * (the REBUILD_KEYS most recently used, e.g. a level's profiles) are computed again one after
 * another, so the first profile request after an import finds them built or being built instead
 * of starting a whole level's build itself. A request for a result in rebuild waits for that same
 * build; the answer is the one a build on request would give (same function, same version).
 */
import type { Queryable } from '../../geodata/db.js';

const MAX_KEYS = 256;
/** Results rebuilt in the background after a version change (the most recently used). */
const REBUILD_KEYS = 16;

/**
 * The composite data version: data_version.version (imports, settings) with the read model's
 * value_state.source_version (moved by triggers on every change to areas, levels, indicators,
 * observations, settings, also a direct SQL change) and computed_version (its recompute), and a
 * fingerprint of the comparability register area_change (small; read by change and profiles).
 * Addresses are covered by data_version only (their import bumps it).
 * Coalesced: at most one read runs and one waits; every caller gets a read that started no
 * earlier than its call, so nobody sees a version older than its own request.
 */
export class ReadVersion {
  private running: Promise<string> | null = null;
  private next: Promise<string> | null = null;
  /** The last version read and the adapter's write generation when that read started. */
  private last: { version: string; generation: number } | null = null;
  /** The newest version any read returned ('' before the first). */
  private seen = '';

  /** @param onChange called (synchronously, before the read resolves) when a read returns a new version. */
  constructor(
    private readonly db: Queryable,
    private readonly onChange: (version: string) => void = () => undefined,
  ) {}

  /** The adapter's write counter, where it has one (PGlite: one process owns the database). */
  private generation(): number | null {
    const g = (this.db as { writeGeneration?: () => number }).writeGeneration;
    return typeof g === 'function' ? g.call(this.db) : null;
  }

  read(): Promise<string> {
    // Nothing can have written since the last read started: that version is still the version.
    const gen = this.generation();
    if (gen !== null && this.last && this.last.generation === gen) return Promise.resolve(this.last.version);
    if (!this.running) {
      this.running = this.query().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    // A read is running, but it may have started before the caller's write committed: wait for the next.
    if (!this.next) {
      this.next = this.running
        .catch(() => undefined)
        .then(() => {
          this.next = null;
          return this.read();
        });
    }
    return this.next;
  }

  private async query(): Promise<string> {
    const generation = this.generation();
    const r = await this.db.query<{ v: string }>(
      `SELECT d.version::text || '.' || s.source_version::text || '.' || s.computed_version::text || '.' || c.f AS v
         FROM data_version d, value_state s,
              (SELECT count(*)::text || '-' || COALESCE(sum(hashtext(level || ' ' || code || ' ' || changed_on::text || ' ' || kind)), 0)::text AS f
                 FROM area_change) c
        WHERE d.id = 1 AND s.id = 1`,
    );
    const version = r.rows[0]?.v ?? '0';
    if (generation !== null) this.last = { version, generation };
    if (version !== this.seen) {
      this.seen = version;
      this.onChange(version);
    }
    return version;
  }
}

interface Memo {
  reader: ReadVersion;
  version: string;
  values: Map<string, Promise<unknown>>;
  /** How each key is computed (LRU like values, kept across versions for the rebuild). */
  builders: Map<string, () => Promise<unknown>>;
  /** Rebuilds registered but not started yet: start() runs one now, cancel() drops it. */
  queued: Map<string, { start: () => void; cancel: () => void }>;
  /** The statistics refresh started by the last version change (PGlite only). */
  analysed: Promise<void>;
}

/** The tables every reader joins (fixed names: safe to put into ANALYZE). */
const READ_TABLES = ['level_value', 'area_suppression', 'indicator', 'level', 'setting', 'area'];

/**
 * PGlite has no autovacuum, so its planner never learns how big the tables got (it assumes a
 * handful of rows and nests loops over the views: a profile took seconds instead of
 * milliseconds). On a version change, tables whose size moved away from what the last ANALYZE
 * saw (or that were never analysed) are analysed again. The PostgreSQL server's autovacuum does
 * this by itself.
 */
async function refreshStatistics(db: Queryable): Promise<void> {
  const stale = await db.query<{ relname: string }>(
    `SELECT relname FROM pg_class
      WHERE relname = ANY($1::text[]) AND relkind = 'r' AND relnamespace = 'public'::regnamespace
        AND (reltuples < 0 OR abs(pg_relation_size(oid) / 8192 - relpages) > 0.2 * relpages + 8)`,
    [READ_TABLES],
  );
  const names = stale.rows.map((r) => r.relname).filter((n) => READ_TABLES.includes(n));
  if (names.length) await db.exec(`ANALYZE ${names.join(', ')}`);
}
const memos = new WeakMap<Queryable, Memo>();

/** The version reader of a database handle (shared by the response cache and the memo). */
export function versionReader(db: Queryable): ReadVersion {
  return memoOf(db).reader;
}

function memoOf(db: Queryable): Memo {
  let m = memos.get(db);
  if (!m) {
    const memo: Memo = {
      reader: new ReadVersion(db, (version) => switchVersion(db, memo, version)),
      version: '',
      values: new Map(),
      builders: new Map(),
      queued: new Map(),
      analysed: Promise.resolve(),
    };
    memos.set(db, (m = memo));
  }
  return m;
}

/** Moves to the same end of an LRU map (insertion order = use order). */
function touch<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > MAX_KEYS) map.delete(map.keys().next().value!);
}

/** Keeps a result, dropping it again when it fails (a failure is not kept). */
function keep(m: Memo, key: string, p: Promise<unknown>): void {
  touch(m.values, key, p);
  p.catch(() => {
    if (m.values.get(key) === p) m.values.delete(key);
  });
}

/** A new data version: drop the old results, refresh PGlite's statistics, rebuild what was in use. */
function switchVersion(db: Queryable, m: Memo, version: string): void {
  if (version === m.version) return;
  const first = m.version === '';
  m.version = version;
  m.values.clear();
  for (const abandon of m.queued.values()) abandon.cancel(); // rebuilds of an older version never start
  m.queued.clear();
  if ((db as { kind?: string }).kind === 'pglite') m.analysed = refreshStatistics(db).catch(() => undefined);
  if (first) return; // nothing was in use yet
  // Every key is registered at once (a request finds it prepared), the builds run one after
  // another so the rebuild does not crowd out requests; a request for a key whose build has not
  // started yet starts it at once (perVersion), as does a build that needs another key.
  const recent = [...m.builders.entries()].slice(-REBUILD_KEYS).reverse();
  const queue: { key: string; start: () => void; done: Promise<unknown> }[] = [];
  for (const [key, build] of recent) {
    let start!: () => void;
    let cancel!: (e: Error) => void;
    const gate = new Promise<void>((resolve, reject) => ((start = resolve), (cancel = reject)));
    const done = gate.then(() => m.analysed).then(build);
    keep(m, key, done);
    const entry = { start: () => (m.queued.delete(key), start()), cancel: () => cancel(new Error('veraltet')) };
    m.queued.set(key, entry);
    queue.push({ key, start: entry.start, done });
  }
  void (async () => {
    for (const q of queue) {
      if (m.version !== version) return; // a newer change started its own rebuild
      q.start();
      await q.done.catch(() => undefined);
    }
  })();
}

/** fn() once per data version and key; a failure is not kept. */
export async function perVersion<T>(db: Queryable, key: string, fn: () => Promise<T>): Promise<T> {
  const m = memoOf(db);
  const version = await m.reader.read();
  switchVersion(db, m, version); // a no-op when the reader has switched already
  await m.analysed;
  touch(m.builders, key, fn);
  const had = m.values.get(key) as Promise<T> | undefined;
  if (had) {
    m.queued.get(key)?.start(); // a queued rebuild of this key: needed now
    touch(m.values, key, had);
    return had;
  }
  const p = fn();
  keep(m, key, p);
  return p;
}

/** Whether a result for key is computed or being computed for the current version (tests, logs). */
export function isPrepared(db: Queryable, key: string): boolean {
  return memos.get(db)?.values.has(key) ?? false;
}
