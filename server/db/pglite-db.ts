/**
 * The Db adapter for embedded PGlite with PostGIS, the default backend (no server needed). PGlite
 * has a single connection, so the adapter serialises transactions itself, and it returns values
 * in the same shapes as the node-postgres adapter.
 */
import { PGlite, types } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Db, Queryable, QueryResult } from '../../geodata/db.js';

/**
 * PGlite serialises all access through one connection. A transaction therefore
 * holds a queue lock so that a concurrent request cannot slip its statements
 * into our transaction; plain queries wait for the running transaction.
 */
export interface PgliteOptions {
  /** Directory for the data files; undefined = in memory. */
  dataDir?: string;
  /** A dumped data directory (from dumpDataDir) to start from; used by tests. */
  loadDataDir?: Blob | File;
}

// Return bigint/numeric as numbers and dates as ISO strings, like our pg adapter does.
const parsers = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
  [types.DATE]: (v: string) => v,
};

export async function openPglite(opts: PgliteOptions = {}): Promise<Db & { dump(): Promise<Blob> }> {
  const pg = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    extensions: { postgis },
    parsers,
  });
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  const wrap = (q: { query: PGlite['query']; exec: PGlite['exec'] }): Queryable => ({
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const r = await q.query<R>(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.rows.length || (r.affectedRows ?? 0) };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const direct = wrap(pg);
  return {
    kind: 'pglite',
    query: (sql, params) => serial(() => direct.query(sql, params)),
    exec: (sql) => serial(() => direct.exec(sql)),
    transaction: (fn) => serial(() => pg.transaction((tx) => fn(wrap(tx)))),
    close: () => serial(() => pg.close()),
    dump: () => serial(() => pg.dumpDataDir('gzip')),
  };
}
