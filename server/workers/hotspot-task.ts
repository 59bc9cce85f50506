/**
 * The hotspot statistics (analysis/hotspot-analysis.ts) as a run of the analysis pool: with
 * 99 999 permutations on many areas they take minutes, which must neither block the event loop
 * nor run more often at once than there are cores. Input errors come back as the
 * HotspotInputError the service maps to a 400; the run stops when its client goes away.
 */
import type { HotspotAnalysis, HotspotAnalysisOptions } from '../../analysis/hotspot-analysis.js';
import { HotspotInputError, type HotspotInputReason } from '../../analysis/hotspot-input.js';
import type { SpatialWeights } from '../../analysis/spatial-weights.js';
import { currentAbortSignal } from '../http/request-abort.js';
import { analysisPool, TaskFailedError } from './pool.js';

/**
 * hotspotAnalysis(values, weights, options), computed in the analysis pool. With permutations the
 * global and the local permutation tests (each about half of the work, on separate random
 * streams) run as two tasks, so on two free cores the run takes half the time; the result is the
 * same as one task's.
 */
export async function hotspotAnalysisInPool(
  values: Float64Array,
  weights: SpatialWeights,
  options: HotspotAnalysisOptions,
): Promise<HotspotAnalysis> {
  const pool = analysisPool();
  const run = (o: HotspotAnalysisOptions) =>
    pool.run<HotspotAnalysis>('hotspot', { values, weights, options: o }, { signal: currentAbortSignal() });
  try {
    if ((options.permutations ?? 1) === 0 || pool.stats().size < 2) return await run(options);
    const [global, local] = await Promise.all([
      run({ ...options, permutationTests: 'global' }),
      run({ ...options, permutationTests: 'local' }),
    ]);
    return { ...local, global: global.global };
  } catch (e) {
    if (e instanceof TaskFailedError && e.type === 'hotspot-input')
      throw new HotspotInputError(e.data.reason as HotspotInputReason, e.message);
    throw e;
  }
}
