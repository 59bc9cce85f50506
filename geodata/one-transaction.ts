/**
 * Several atomic steps as one: runs a function on a Db whose every statement, and every
 * `transaction()` of the steps it calls, happens inside ONE transaction of the given database.
 * Each importer commits on its own (one file, one transaction); the first start chains six of them,
 * a typology and the hotspot runs, and must be all-or-nothing (issue 13: a kill during the first
 * start left 685 areas, 0 values and 0 typologies for good). The inner transactions become
 * savepoints, so an inner failure rolls back what that step wrote and still propagates.
 *
 * The steps must run one after another (two concurrent inner transactions would interleave
 * their savepoints), and must use only the Db they are given: on PGlite, a query on the outer Db
 * would wait behind the open transaction for ever.
 */
import type { Db, Queryable } from './db.js';

/** Runs fn in one transaction of db; fn's Db turns nested transactions into savepoints. */
export function inOneTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(nestedDb(db.kind, tx)));
}

/** Savepoint names are unique per process, so nesting inOneTransaction calls stays unambiguous. */
let savepoints = 0;

function nestedDb(kind: Db['kind'], tx: Queryable): Db {
  const self: Db = {
    kind,
    query: <R>(sql: string, params?: readonly unknown[]) => tx.query<R>(sql, params),
    exec: (sql) => tx.exec(sql),
    async transaction(fn) {
      const savepoint = `nested_${++savepoints}`;
      await tx.query(`SAVEPOINT ${savepoint}`);
      try {
        const out = await fn(self);
        await tx.query(`RELEASE SAVEPOINT ${savepoint}`);
        return out;
      } catch (e) {
        await tx.query(`ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => undefined);
        throw e;
      }
    },
    close() {
      return Promise.reject(new Error('Eine Datenbank in einer laufenden Transaktion kann nicht geschlossen werden'));
    },
  };
  return self;
}
