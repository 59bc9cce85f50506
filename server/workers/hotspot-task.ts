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

/** hotspotAnalysis(values, weights, options), computed in the analysis pool. */
export async function hotspotAnalysisInPool(
  values: Float64Array,
  weights: SpatialWeights,
  options: HotspotAnalysisOptions,
): Promise<HotspotAnalysis> {
  try {
    return await analysisPool().run<HotspotAnalysis>(
      'hotspot',
      { values, weights, options },
      { signal: currentAbortSignal() },
    );
  } catch (e) {
    if (e instanceof TaskFailedError && e.type === 'hotspot-input')
      throw new HotspotInputError(e.data.reason as HotspotInputReason, e.message);
    throw e;
  }
}
