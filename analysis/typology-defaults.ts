/**
 * The defaults of a typology run, written once. The pure pipeline (analysis/typology.ts), the
 * request schema of the API and CLI (server/services/typology/request.ts), the OpenAPI document
 * generated from that schema and the researcher view all read them from here, so a default
 * cannot differ between the paths that start a run.
 *
 * No imports: the client bundles this module as it is.
 */
export const TYPOLOGY_DEFAULTS = Object.freeze({
  /** z-standardisation with the population sd (ddof 0), like scikit-learn's StandardScaler. */
  standardize: 'z' as const,
  /** Indicators of polarity −1 are not flipped: clustering is sign-invariant, only profiles read the sign. */
  alignPolarity: false,
  /** Rows with a missing value are dropped and counted; mean imputation only on request, never zero-fill. */
  missing: 'drop' as const,
  /** No reduction: cluster on all standardised indicators; the PCA is still computed and reported. */
  pca: 'none' as const,
  /** No rotation of the retained components. */
  rotation: 'none' as const,
  /** Cluster on the standardised values, not on principal-component scores. */
  clusterOn: 'z' as const,
  /** k evaluated when neither k nor a range is given: 2 … 10, enough choice for a city's Sozialräume. */
  kRange: Object.freeze([2, 10]) as readonly [number, number],
  /** k-means++ restarts per k: 50 keeps the best of many starts, so the partition hardly depends on the seed. */
  restarts: 50,
  /** Seed of everything random (k-means++, silhouette sample, bootstrap). */
  seed: 1,
  /** Lloyd iterations per k-means start (scikit-learn's default). */
  maxIterations: 300,
  /** Relative tolerance of the centre shift (scikit-learn's default). */
  tolerance: 1e-4,
  /** Bootstrap resamples for the stability of the chosen k; 0 switches it off. */
  bootstrap: 100,
  /** k-means restarts per bootstrap resample: fewer than for the real run, the resamples average out. */
  bootstrapRestarts: 10,
  /** Silhouette computed exactly up to this many areas (O(n²) distances). */
  silhouetteExactLimit: 20_000,
  /** Above the exact limit the silhouette is estimated on a seeded sample of this many areas. */
  silhouetteSampleSize: 10_000,
  /** |r| from which a pair of indicators is reported as nearly redundant (counts one dimension twice). */
  correlationThreshold: 0.9,
});

export type TypologyDefaults = typeof TYPOLOGY_DEFAULTS;

/**
 * Upper bounds of a typology request: they keep one run to minutes on a small server, so a
 * request cannot occupy a worker for hours. The request schema (and from it the OpenAPI
 * document) enforces them; a request above a bound is a 400 naming the bound.
 */
export const TYPOLOGY_LIMITS = Object.freeze({
  /** Largest k: more types than a city's Sozialräume can be told apart by. */
  maxK: 30,
  /** Widest k range (end − start): at most 30 values of k are evaluated in one run. */
  maxKRangeWidth: 29,
  /** k-means++ restarts per k. */
  maxRestarts: 1000,
  /** Bootstrap resamples of the stability check. */
  maxBootstrap: 1000,
});
