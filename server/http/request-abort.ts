/**
 * Expensive work stops when nobody waits for it. Each API request gets an AbortSignal that fires
 * when its client disconnects before the answer is complete; a background job gets its own
 * signal (aborted by DELETE /api/jobs/{id}). The signal travels in an AsyncLocalStorage scope, so
 * the analysis pool (server/workers/pool.ts) picks it up where a run is queued without every
 * route and service passing it along: a queued run is dropped, a running one stopped.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';

const scope = new AsyncLocalStorage<AbortSignal>();

/** Express middleware: aborts the request's signal when the connection closes before the answer is sent. */
export function abortWhenClientGone(): RequestHandler {
  return (_req, res, next) => {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('Client hat die Verbindung beendet'));
    });
    scope.run(controller.signal, next);
  };
}

/** The signal of the request or job this code runs for (undefined outside both, e.g. in the CLI). */
export function currentAbortSignal(): AbortSignal | undefined {
  return scope.getStore();
}

/** Runs fn (and everything it starts) under `signal` instead of the surrounding request's. */
export function runWithAbortSignal<T>(signal: AbortSignal, fn: () => T): T {
  return scope.run(signal, fn);
}
