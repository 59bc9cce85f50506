/**
 * Runs the pure typology pipeline in a worker thread, so the server's event loop keeps
 * answering requests while k-means works. Started by server/services/typology/worker.ts
 * through ts-worker.mjs (which registers tsx); receives { entry, input, options } as workerData, posts
 * { kind: 'progress' }, then { kind: 'result' } or { kind: 'error' }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runTypology, TypologyInputError, type TypologyInput, type TypologyOptions } from '../../analysis/typology.js';

const { input, options } = workerData as { input: TypologyInput; options: TypologyOptions };
try {
  let lastPost = 0;
  const result = runTypology(input, options, (fraction, stage) => {
    // At most ~20 messages a second: progress is for humans.
    const now = Date.now();
    if (now - lastPost > 50 || fraction >= 1) {
      lastPost = now;
      parentPort!.postMessage({ kind: 'progress', fraction, stage });
    }
  });
  parentPort!.postMessage({ kind: 'result', result });
} catch (e) {
  const err = e as Error;
  parentPort!.postMessage({
    kind: 'error',
    inputError:
      e instanceof TypologyInputError ? { field: e.field, message: e.message, details: e.details ?? null } : null,
    message: err.message,
  });
}
