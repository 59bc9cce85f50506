/**
 * The worker-thread side of the PGlite adapter (server/db/pglite-db.ts): PGlite's WASM Postgres runs
 * here, so a long query no longer blocks the server's event loop (static files, cached responses and
 * cheap routes keep answering). Started through ts-worker.mjs with workerData
 * { entry, dataDir?, loadDataDir?: ArrayBuffer (transferred) }; posts { kind: 'ready' } or
 * { kind: 'failed', error }, then answers every request { id, op, sql?, params? } with
 * { id, ok: true, result } or { id, ok: false, error } in the order PGlite finishes them.
 *
 * Ordering and transactions are the main thread's job (it serialises work and sends BEGIN …
 * COMMIT around a transaction's statements); this side only runs what it gets. Errors keep their
 * message and the PostgreSQL fields (SQLSTATE code, detail, hint, constraint …).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { postgisCore } from './postgis-bundle.js';

export interface WorkerRequest {
  id: number;
  op: 'query' | 'exec' | 'dump' | 'close';
  sql?: string;
  params?: unknown[];
}

export interface WorkerError {
  message: string;
  name?: string;
  /** PostgreSQL error fields (code = SQLSTATE, detail, hint, constraint, …), where the error has them. */
  fields: Record<string, string | number>;
}

// Return bigint/numeric as numbers and dates as ISO strings, like the pg adapter does.
const parsers = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
  [types.DATE]: (v: string) => v,
};

const PG_FIELDS = [
  'code',
  'severity',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

export function serialiseError(e: unknown): WorkerError {
  if (!(e instanceof Error)) return { message: String(e), fields: {} };
  const fields: Record<string, string | number> = {};
  const src = e as unknown as Record<string, unknown>;
  for (const f of PG_FIELDS) {
    const v = src[f];
    if (typeof v === 'string' || typeof v === 'number') fields[f] = v;
  }
  return { message: e.message, name: e.name, fields };
}

async function main(): Promise<void> {
  const port = parentPort!;
  const { dataDir, loadDataDir } = workerData as { dataDir?: string; loadDataDir?: ArrayBuffer };
  let pg: PGlite;
  try {
    pg = await PGlite.create({
      dataDir,
      loadDataDir: loadDataDir ? new Blob([loadDataDir]) : undefined,
      extensions: { postgis: postgisCore },
      parsers,
    });
  } catch (e) {
    port.postMessage({ kind: 'failed', error: serialiseError(e) });
    return;
  }
  port.on('message', (req: WorkerRequest) => {
    void (async () => {
      try {
        switch (req.op) {
          case 'query': {
            const r = await pg.query(req.sql!, req.params ?? []);
            port.postMessage({
              id: req.id,
              ok: true,
              result: { rows: r.rows, rowCount: r.rows.length || (r.affectedRows ?? 0) },
            });
            break;
          }
          case 'exec':
            await pg.exec(req.sql!);
            port.postMessage({ id: req.id, ok: true, result: null });
            break;
          case 'dump': {
            const buf = await (await pg.dumpDataDir('gzip')).arrayBuffer();
            port.postMessage({ id: req.id, ok: true, result: buf }, [buf]);
            break;
          }
          case 'close':
            await pg.close();
            port.postMessage({ id: req.id, ok: true, result: null });
            port.close();
            break;
        }
      } catch (e) {
        port.postMessage({ id: req.id, ok: false, error: serialiseError(e) });
      }
    })();
  });
  port.postMessage({ kind: 'ready' });
}

await main();
