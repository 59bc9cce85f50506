/**
 * What the upload API (server/services/imports) adds to an importer of the CLI, so that the
 * browser preview and commit run the very code the CLI runs: a dry run (the whole import inside
 * its transaction, rolled back at the end, answering the report it would have given) and hooks
 * inside the transaction around the write (the undo journal). The CLI passes none of them.
 */
import type { Db, Queryable } from '../db.js';

export interface WriteHooks<R> {
  /** Roll back at the end and answer the report of what would have been written; default false. */
  dryRun?: boolean;
  /** Inside the transaction, after every check and before the first write; default none. */
  beforeWrite?: (tx: Queryable) => Promise<void>;
  /** Inside the transaction, after the write, with the report; default none. */
  afterWrite?: (tx: Queryable, report: R) => Promise<void>;
}

/** Thrown inside the transaction of a dry run to roll it back; carries the report out. */
export class DryRunRollback<R> {
  constructor(readonly report: R) {}
}

/** db.transaction(fn), answering the report a DryRunRollback carried out of it. */
export async function transactionOrDryRun<R>(db: Db, fn: (tx: Queryable) => Promise<R>): Promise<R> {
  try {
    return await db.transaction(fn);
  } catch (e) {
    if (e instanceof DryRunRollback) return e.report as R;
    throw e;
  }
}
