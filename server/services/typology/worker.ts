/**
 * Runs the pure typology pipeline (analysis/typology.ts) in a worker thread, so the server keeps
 * answering while k-means works; progress comes back as messages, an input error of the pipeline
 * as a 400 naming the field.
 */
import { Worker } from 'node:worker_threads';
import type { TypologyInput, TypologyOptions, TypologyResult } from '../../../analysis/typology.js';
import { badRequest } from '../../http/errors.js';

/** Runs the pure pipeline in a worker thread; input errors come back as 400. */
export function runInWorker(
  input: TypologyInput,
  options: TypologyOptions,
  onProgress: (fraction: number, stage: string) => void = () => {},
): Promise<TypologyResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../../workers/ts-worker.mjs', import.meta.url), {
      workerData: { entry: new URL('../../workers/typology-worker.ts', import.meta.url).href, input, options },
    });
    let settled = false;
    worker.on(
      'message',
      (m: {
        kind: string;
        fraction?: number;
        stage?: string;
        result?: TypologyResult;
        inputError?: { field: string; message: string; details: unknown } | null;
        message?: string;
      }) => {
        if (m.kind === 'progress') onProgress(m.fraction!, m.stage!);
        else if (m.kind === 'result') {
          settled = true;
          resolve(m.result!);
        } else if (m.kind === 'error') {
          settled = true;
          reject(
            m.inputError
              ? badRequest(m.inputError.message, {
                  field: m.inputError.field,
                  ...(m.inputError.details as object | null),
                })
              : new Error(m.message),
          );
        }
      },
    );
    worker.on('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`Typisierungs-Worker beendet mit Code ${code}`));
    });
  });
}
