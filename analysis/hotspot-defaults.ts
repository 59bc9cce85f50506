/**
 * The defaults of a hotspot run, written once. The pure analysis (analysis/hotspot-analysis.ts),
 * the hotspot service, the request schema shared by API and CLI, the OpenAPI document generated
 * from it and the planner view read them from here. They are the defaults GeoDa and PySAL users
 * know, so results compare without adjusting settings.
 *
 * No imports: the client bundles this module as it is.
 */
export const HOTSPOT_DEFAULTS = Object.freeze({
  /** Spatial weights: queen contiguity (shared border or corner), the usual first choice for areas. */
  weights: 'queen',
  /** Conditional permutations: 999 gives a smallest pseudo p of 0.001 (GeoDa and PySAL default). */
  permutations: 999,
  /** Seed of the permutation PRNG: the same parameters on the same data give the same p. */
  seed: 1,
  /**
   * Multiple-testing correction for classes and LISA significance: Benjamini–Hochberg FDR, because
   * with hundreds of areas an uncorrected 5 % test flags dozens of areas by chance alone.
   */
  correction: 'fdr' as const,
  /** Significance level of the LISA cluster flag. */
  alpha: 0.05,
  /** Local permutation draws: one shared set of draws for all areas (esda's crand scheme); see analysis/permutation.ts. */
  draws: 'shared' as const,
});

export type HotspotDefaults = typeof HOTSPOT_DEFAULTS;
