/**
 * The Db adapter for a PostgreSQL/PostGIS server (node-postgres pool), used when DATABASE_URL is
 * set. It returns values in the same shapes as the PGlite adapter, so services and tests do not
 * care which backend runs.
 */
import pg from 'pg';
import type { Db, Queryable, QueryResult } from '../../geodata/db.js';

// Same value shapes as the PGlite adapter: int8/numeric as numbers, date as 'YYYY-MM-DD'.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
pg.types.setTypeParser(1082, (v) => v);

/**
 * Bounds on the server's work (issue 13): a statement outside a transaction (every read of the
 * API) may run `SOZIALATLAS_STATEMENT_TIMEOUT_MS` (default 60 000 ms), then the server cancels it
 * (SQLSTATE 57014) and the request fails instead of holding a connection for minutes; a
 * transaction (import, recompute, run storage: deliberate, authenticated work that may be long on
 * big data) gets `SOZIALATLAS_TX_STATEMENT_TIMEOUT_MS` per statement (default 0 = no limit), and a
 * session idle inside a transaction is ended after 5 minutes. 0 switches a limit off.
 */
export function statementTimeouts(env = process.env): { statementMs: number; txStatementMs: number } {
  const ms = (v: string | undefined, d: number) => (v !== undefined && v !== '' && Number(v) >= 0 ? Number(v) : d);
  return {
    statementMs: ms(env.SOZIALATLAS_STATEMENT_TIMEOUT_MS, 60_000),
    txStatementMs: ms(env.SOZIALATLAS_TX_STATEMENT_TIMEOUT_MS, 0),
  };
}

/**
 * @param onIdleError called when the server ends an idle pooled connection (restart,
 *   pg_terminate_backend, DROP DATABASE … WITH (FORCE)). Without a listener, pg re-throws
 *   such an error as an uncaught exception and the whole process dies; the pool simply
 *   drops that connection and opens a new one on the next query.
 */
export function openPg(connectionString: string, onIdleError: (err: Error) => void = () => undefined): Db {
  const limits = statementTimeouts();
  const pool = new pg.Pool({
    connectionString,
    max: 8,
    statement_timeout: limits.statementMs,
    idle_in_transaction_session_timeout: 300_000,
  });
  pool.on('error', onIdleError);
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const r = await c.query(sql, params as unknown[]);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  const direct = wrap(pool);
  return {
    kind: 'pg',
    query: direct.query,
    exec: direct.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // SET LOCAL takes no bind parameters; the value is a number we computed.
        await client.query(`SET LOCAL statement_timeout = ${Math.floor(limits.txStatementMs)}`);
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
