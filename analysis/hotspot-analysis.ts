/**
 * One hotspot analysis of one indicator (or composite) on one set of weights: global Moran's I,
 * local Moran with quadrants, Gi*, the conditional permutation test, multiple-testing correction
 * and hot-spot classes. Pure: values and weights in, typed arrays out.
 */
import { checkPermutations, checkValues } from './hotspot-input.js';
import { HOTSPOT_DEFAULTS } from './hotspot-defaults.js';
import { rowStandardise, type SpatialWeights } from './spatial-weights.js';
import { globalMoran, type GlobalMoranResult } from './moran.js';
import { localMoran, type LocalMoranResult } from './local-moran.js';
import { giStar, type GiStarResult } from './gi-star.js';
import { localPermutationTest, type PermutationDraws } from './permutation.js';
import { adjustPValues, type Correction } from './multiple-testing.js';
import { hotspotClasses, type HotspotClasses } from './hotspot-class.js';

export interface HotspotAnalysisOptions {
  /** Permutations for global and local pseudo p (default HOTSPOT_DEFAULTS.permutations); at most 99 999, 0 = analytic only. */
  permutations?: number;
  /** PRNG seed (default HOTSPOT_DEFAULTS.seed). */
  seed?: number;
  /** Multiple-testing correction for classes and LISA significance (default HOTSPOT_DEFAULTS.correction: FDR). */
  correction?: Correction;
  /** Significance level for the LISA cluster flag (default HOTSPOT_DEFAULTS.alpha). */
  alpha?: number;
  /** Local permutation draws: 'shared' (default, esda crand scheme) or 'per-area'; see analysis/permutation.ts. */
  draws?: PermutationDraws;
  /**
   * Which permutation tests to run (default 'both'): 'global' leaves out the local ones, 'local'
   * the global one. The two use separate random streams, so two halves run in parallel (the
   * analysis pool does, server/workers/hotspot-task.ts) give exactly the result of one 'both' run
   * once the global part of one is joined with the rest of the other.
   */
  permutationTests?: 'both' | 'global' | 'local';
}

export interface HotspotAnalysis {
  global: GlobalMoranResult;
  local: LocalMoranResult;
  gi: GiStarResult;
  /** Folded pseudo p of Ii / Gi* (NaN for islands); null when permutations = 0. */
  lisaPPermutation: Float64Array | null;
  giPPermutation: Float64Array | null;
  /** LISA p used for significance (folded permutation p if available, else two-sided conditional analytic), corrected. */
  lisaPAdjusted: Float64Array;
  /** Ii significant at alpha after correction (null for islands). */
  lisaSignificant: (boolean | null)[];
  classes: HotspotClasses;
  /** Indices of areas without neighbours. */
  islands: number[];
  params: { permutations: number; seed: number; correction: Correction; alpha: number; draws: PermutationDraws };
}

/** `binary` are the binary links (style 'B') for the analysed areas, in the order of `values`. */
export function hotspotAnalysis(
  values: Float64Array,
  binary: SpatialWeights,
  options: HotspotAnalysisOptions = {},
): HotspotAnalysis {
  const permutations = options.permutations ?? HOTSPOT_DEFAULTS.permutations;
  const seed = options.seed ?? HOTSPOT_DEFAULTS.seed;
  const correction = options.correction ?? HOTSPOT_DEFAULTS.correction;
  const alpha = options.alpha ?? HOTSPOT_DEFAULTS.alpha;
  const draws = options.draws ?? HOTSPOT_DEFAULTS.draws;
  checkValues(values);
  checkPermutations(permutations);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`alpha muss zwischen 0 und 1 liegen, nicht ${alpha}`);

  const rowStd = rowStandardise(binary);
  const tests = options.permutationTests ?? 'both';
  const global = globalMoran(values, rowStd, { permutations: tests === 'local' ? 0 : permutations, seed });
  const local = localMoran(values, rowStd);
  const gi = giStar(values, binary);
  let lisaPPermutation: Float64Array | null = null;
  let giPPermutation: Float64Array | null = null;
  if (permutations > 0 && tests !== 'global') {
    const perm = localPermutationTest({
      deviation: local.deviation,
      weights: rowStd,
      m2: local.m2,
      observedIi: local.Ii,
      observedNeighbourSum: gi.neighbourDeviationSum,
      permutations,
      seed,
      draws,
    });
    lisaPPermutation = perm.lisaP;
    giPPermutation = perm.giP;
  }
  // The folded pseudo p is used as it is, like GeoDa's and PySAL's cluster maps (p_sim ≤ α):
  // it is one-sided in the direction of the observed Ii, so it is about half the two-sided
  // analytic p. Without permutations the two-sided conditional analytic p is used.
  const lisaTestP = lisaPPermutation ?? local.pConditional;
  const lisaPAdjusted = adjustPValues(lisaTestP, correction);
  const lisaSignificant = Array.from(lisaPAdjusted, (p) => (Number.isNaN(p) ? null : p <= alpha));
  const classes = hotspotClasses(gi.z, gi.p, correction);
  return {
    global,
    local,
    gi,
    lisaPPermutation,
    giPPermutation,
    lisaPAdjusted,
    lisaSignificant,
    classes,
    islands: binary.islands,
    params: { permutations, seed, correction, alpha, draws },
  };
}
