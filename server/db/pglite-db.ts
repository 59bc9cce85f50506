/**
 * The Db adapter for embedded PGlite with PostGIS, the default backend (no server needed).
 *
 * PGlite runs in a worker thread (server/db/pglite-worker.ts): its WASM Postgres computes on that
 * thread, so while a query runs the server's event loop still answers static files, cached
 * responses and cheap routes. Statements and results cross the thread as structured-clone messages
 * (a fraction of a millisecond each); errors come back with their message and SQLSTATE `code`.
 * `SOZIALATLAS_PGLITE_INLINE=1` runs PGlite on the main thread instead (the fallback, same API).
 *
 * PGlite has a single connection, so the adapter serialises work itself: a transaction holds the
 * queue from BEGIN until its callback's promise settles (COMMIT or ROLLBACK), so a concurrent
 * request cannot slip its statements into it; plain queries wait for the running transaction.
 * Values come back in the same shapes as the node-postgres adapter (int8/numeric as numbers,
 * date as 'YYYY-MM-DD').
 */
import { Worker } from 'node:worker_threads';
import type { Db, Queryable, QueryResult } from '../../geodata/db.js';
import type { WorkerError, WorkerRequest } from './pglite-worker.js';

export interface PgliteOptions {
  /** Directory for the data files; undefined = in memory. */
  dataDir?: string;
  /** A dumped data directory (from dumpDataDir) to start from; used by tests. */
  loadDataDir?: Blob | File;
  /** Run PGlite on this thread instead of a worker (default: env SOZIALATLAS_PGLITE_INLINE=1). */
  inline?: boolean;
}

export type PgliteDb = Db & {
  dump(): Promise<Blob>;
  /**
   * Moves whenever a statement that may write starts: every transaction, every exec, every query
   * that is not a plain SELECT. One process owns a PGlite database (the directory lock), so while
   * this number stands still nothing can have changed the data: readers of the data version
   * (server/services/version-memo.ts) skip the database then.
   */
  writeGeneration(): number;
};

/** A statement that only reads (SELECT …, also with a leading comment); anything else may write. */
const READ_ONLY = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*(?:SELECT|SHOW|EXPLAIN)\b/i;

/** One queue per database: each step starts when the previous one settled. */
function serialiser() {
  let chain: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
}

/** What an adapter brings: its unserialised statements, transaction, close and dump. */
interface AdapterParts {
  direct: Queryable;
  /** Runs fn between BEGIN and COMMIT (ROLLBACK on a throw); called only inside the queue. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  dump(): Promise<Blob>;
}

/**
 * The Db both adapters present: every step through one queue (a transaction holds it from BEGIN
 * until its callback settled, so no concurrent statement slips in), and the write generation
 * moved by every step that may write.
 */
function facade(parts: AdapterParts): PgliteDb {
  const serial = serialiser();
  let generation = 0;
  return {
    kind: 'pglite',
    writeGeneration: () => generation,
    query: (sql, params) => {
      if (!READ_ONLY.test(sql)) generation++;
      return serial(() => parts.direct.query(sql, params));
    },
    exec: (sql) => {
      generation++;
      return serial(() => parts.direct.exec(sql));
    },
    transaction: (fn) =>
      serial(async () => {
        generation++;
        try {
          return await parts.transaction(fn);
        } finally {
          generation++; // a read that ran during the transaction saw the data before its commit
        }
      }),
    close: () => serial(() => parts.close()),
    dump: () => serial(() => parts.dump()),
  };
}

export async function openPglite(opts: PgliteOptions = {}): Promise<PgliteDb> {
  const inline = opts.inline ?? process.env.SOZIALATLAS_PGLITE_INLINE === '1';
  return inline ? openInline(opts) : openInWorker(opts);
}

// ---------------------------------------------------------------- worker thread (default)

/** An Error carrying the PostgreSQL fields of the worker's error (code = SQLSTATE, detail, …). */
function reviveError(e: WorkerError): Error {
  const err = new Error(e.message);
  if (e.name && e.name !== 'Error') err.name = e.name;
  return Object.assign(err, e.fields);
}

async function openInWorker(opts: PgliteOptions): Promise<PgliteDb> {
  const load = opts.loadDataDir ? await opts.loadDataDir.arrayBuffer() : undefined;
  const worker = new Worker(new URL('../workers/ts-worker.mjs', import.meta.url), {
    workerData: {
      entry: new URL('./pglite-worker.ts', import.meta.url).href,
      dataDir: opts.dataDir,
      loadDataDir: load,
    },
    transferList: load ? [load] : [],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;
  // The worker keeps the process alive only while a request is outstanding, like a socket would.
  worker.unref();
  const failAll = (e: Error) => {
    dead = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker.unref();
  };
  await new Promise<void>((resolve, reject) => {
    worker.ref();
    const onMessage = (m: { kind?: string; error?: WorkerError }) => {
      if (m.kind === 'ready' || m.kind === 'failed') {
        worker.off('message', onMessage);
        worker.unref();
        if (m.kind === 'ready') resolve();
        else reject(reviveError(m.error!));
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`PGlite-Worker beim Start beendet (Code ${code})`)));
  });
  worker.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: WorkerError }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.ok) p.resolve(m.result);
    else p.reject(reviveError(m.error!));
  });
  worker.on('error', (e) => failAll(e));
  worker.on('exit', (code) => failAll(new Error(`PGlite-Worker beendet (Code ${code})`)));

  const call = <T>(req: Omit<WorkerRequest, 'id'>): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...req, id });
    });
  };
  const direct: Queryable = {
    query: <R>(sql: string, params: readonly unknown[] = []) =>
      call<QueryResult<R>>({ op: 'query', sql, params: params as unknown[] }),
    exec: (sql: string) => call<void>({ op: 'exec', sql }),
  };
  return facade({
    direct,
    transaction: async (fn) => {
      let open = true;
      const guard = <T>(run: () => Promise<T>): Promise<T> =>
        open ? run() : Promise.reject(new Error('Transaktion ist bereits beendet'));
      const tx: Queryable = {
        query: (sql, params) => guard(() => direct.query(sql, params)),
        exec: (sql) => guard(() => direct.exec(sql)),
      };
      await direct.exec('BEGIN');
      try {
        const out = await fn(tx);
        open = false;
        await direct.exec('COMMIT');
        return out;
      } catch (e) {
        open = false;
        await direct.exec('ROLLBACK').catch(() => undefined);
        throw e;
      }
    },
    close: async () => {
      if (dead) return;
      await call<void>({ op: 'close' });
      await worker.terminate();
    },
    dump: async () => new Blob([await call<ArrayBuffer>({ op: 'dump' })]),
  });
}

// ---------------------------------------------------------------- same thread (fallback)

async function openInline(opts: PgliteOptions): Promise<PgliteDb> {
  // Loaded here, not at the top: in the default worker mode this thread never needs PGlite.
  const [{ PGlite, types }, { postgisCore }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('./postgis-bundle.js'),
  ]);
  // Return bigint/numeric as numbers and dates as ISO strings, like our pg adapter does.
  const parsers = {
    [types.INT8]: (v: string) => Number(v),
    [types.NUMERIC]: (v: string) => Number(v),
    [types.DATE]: (v: string) => v,
  };
  const pg = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    extensions: { postgis: postgisCore },
    parsers,
  });
  type Pg = typeof pg;
  const wrap = (q: { query: Pg['query']; exec: Pg['exec'] }): Queryable => ({
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const r = await q.query<R>(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.rows.length || (r.affectedRows ?? 0) };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return facade({
    direct: wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
    dump: () => pg.dumpDataDir('gzip'),
  });
}
