/**
 * The one database interface every service talks to. Two adapters implement it:
 * embedded PGlite + PostGIS (default) and node-postgres against a PostGIS server.
 * Parameters are always bound ($1, $2 …): no SQL is ever built from user text.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  /** Which adapter this is: used in bench output and test names. */
  readonly kind: 'pglite' | 'pg';
  /** Runs fn in one transaction; any throw rolls everything back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
