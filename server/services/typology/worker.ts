/**
 * Runs the pure typology pipeline (analysis/typology.ts) in the analysis pool (server/workers/pool.ts),
 * so the server keeps answering while k-means works and at most as many runs as cores work at
 * once; progress comes back as messages, an input error of the pipeline as a 400 naming the field.
 * The run stops when the request's client goes away or its job is cancelled (http/request-abort.ts).
 */
import type { TypologyInput, TypologyOptions, TypologyResult } from '../../../analysis/typology.js';
import { badRequest } from '../../http/errors.js';
import { currentAbortSignal } from '../../http/request-abort.js';
import { analysisPool, TaskFailedError } from '../../workers/pool.js';

/** Runs the pure pipeline in the analysis pool; input errors come back as 400. */
export async function runInWorker(
  input: TypologyInput,
  options: TypologyOptions,
  onProgress: (fraction: number, stage: string) => void = () => {},
): Promise<TypologyResult> {
  try {
    return await analysisPool().run<TypologyResult>(
      'typology',
      { input, options },
      { signal: currentAbortSignal(), onProgress },
    );
  } catch (e) {
    if (e instanceof TaskFailedError && e.type === 'typology-input')
      throw badRequest(e.message, { field: e.data.field, ...(e.data.details as object | null) });
    throw e;
  }
}
