/**
 * One thread of the analysis pool (pool.ts): waits for tasks { id, kind, payload }, runs the pure
 * pipeline of that kind and answers { id, kind: 'progress' | 'result' | 'error' }. Started through
 * ts-worker.mjs (which registers tsx). Task kinds:
 *   typology  { input: TypologyInput, options: TypologyOptions } → TypologyResult (analysis/typology.ts)
 *   hotspot   { values: Float64Array, weights: SpatialWeights, options } → HotspotAnalysis
 * Input errors keep their type, field and reason, so the call site answers the same 400 as when the
 * pipeline ran in the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { runTypology, TypologyInputError, type TypologyInput, type TypologyOptions } from '../../analysis/typology.js';
import { hotspotAnalysis, type HotspotAnalysisOptions } from '../../analysis/hotspot-analysis.js';
import { HotspotInputError } from '../../analysis/hotspot-input.js';
import type { SpatialWeights } from '../../analysis/spatial-weights.js';

interface TaskMessage {
  id: number;
  kind: string;
  payload: unknown;
}

function run(id: number, kind: string, payload: unknown): unknown {
  if (kind === 'typology') {
    const { input, options } = payload as { input: TypologyInput; options: TypologyOptions };
    let lastPost = 0;
    return runTypology(input, options, (fraction, stage) => {
      // At most ~20 messages a second: progress is for humans.
      const now = Date.now();
      if (now - lastPost > 50 || fraction >= 1) {
        lastPost = now;
        parentPort!.postMessage({ id, kind: 'progress', fraction, stage });
      }
    });
  }
  if (kind === 'hotspot') {
    const { values, weights, options } = payload as {
      values: Float64Array;
      weights: SpatialWeights;
      options: HotspotAnalysisOptions;
    };
    return hotspotAnalysis(values, weights, options);
  }
  throw new Error(`Unbekannte Analyse '${kind}'`);
}

parentPort!.on('message', ({ id, kind, payload }: TaskMessage) => {
  try {
    parentPort!.postMessage({ id, kind: 'result', result: run(id, kind, payload) });
  } catch (e) {
    const err = e as Error;
    const [type, data] =
      e instanceof TypologyInputError
        ? ['typology-input', { field: e.field, details: e.details ?? null }]
        : e instanceof HotspotInputError
          ? ['hotspot-input', { reason: e.reason }]
          : ['error', {}];
    parentPort!.postMessage({ id, kind: 'error', type, message: err.message ?? String(e), data });
  }
});
