/**
 * The Sozialraum typology pipeline, pure (no I/O): missing values → standardisation →
 * correlation check → PCA → k-means for every k of a range with all validity indices →
 * suggested k → types ordered by need, with profiles and German descriptions → bootstrap
 * stability of the chosen k.
 *
 * Types are built for every k of the range, not only the chosen one (typesByK, members[].typeByK):
 * k-means has already run for each k to rate it, so keeping its partition costs nothing and lets a
 * stored run show any k of its range without recomputation. Bootstrap stability is the one
 * expensive step (resamples × restarts k-means runs) and stays with the chosen k: for every other
 * k the types' stability and the members' stability are null.
 *
 * Same input and options (including the seed) give an identical result object.
 * Bad input throws TypologyInputError naming the field and the culprit; the server turns it
 * into a 400.
 */
import {
  standardize,
  zScores,
  ZeroVarianceError,
  type StandardizationMethod,
  type Standardized,
} from './standardize.js';
import { correlationMatrix, type CorrelationResult } from './correlation.js';
import { pca, type ComponentRule, type PcaResult } from './pca.js';
import { kmeans, type KMeansResult } from './kmeans.js';
import { silhouetteForLabelings, calinskiHarabasz, daviesBouldin } from './validity.js';
import { suggestK, type KSuggestion } from './choose-k.js';
import { typeProfiles, typeOfAreas, type TypeProfile } from './type-profile.js';
import { describeType } from './type-label.js';
import { formatDecimal } from './number-format.js';
import { bootstrapStability, type StabilityResult } from './stability.js';
import { TYPOLOGY_DEFAULTS as D } from './typology-defaults.js';

export interface TypologyIndicator {
  key: string;
  /** German label used in descriptions. */
  label: string;
  /** +1 higher = more need, −1 higher = less need, 0 neutral. */
  polarity: number;
}

export interface TypologyInput {
  /** Area codes, one per row. */
  codes: string[];
  indicators: TypologyIndicator[];
  /** Raw values n × p, row-major; NaN = missing. */
  raw: Float64Array;
  /** Population per area (NaN = unknown); optional, for population shares. */
  population?: Float64Array;
}

/** Options of a run; an option left out takes its value from TYPOLOGY_DEFAULTS (typology-defaults.ts). */
export interface TypologyOptions {
  /** 'z' (population sd, ddof 0), 'robust' or 'minmax'. */
  standardize?: StandardizationMethod;
  /** Weight per indicator key (1 each when absent). */
  weights?: Record<string, number>;
  /** Flip indicators of polarity −1 before clustering (clustering is sign-invariant). */
  alignPolarity?: boolean;
  /** Missing values: 'drop' rows or 'impute-mean' (with a warning). Never zero-filled. */
  missing?: 'drop' | 'impute-mean';
  /** Components kept: 'none' (no reduction, all reported), 'kaiser', an integer m, or a share in (0, 1). */
  pca?: 'none' | 'kaiser' | number;
  /** Rotation of the retained components. */
  rotation?: 'none' | 'varimax';
  /** Cluster on the standardised values ('z') or on the retained PC scores ('pcs'). */
  clusterOn?: 'z' | 'pcs';
  /** A fixed k; when absent the suggested k of the range is chosen. */
  k?: number;
  /** Range of k evaluated (just [k, k] when only k is given). */
  kRange?: [number, number];
  /** k-means restarts per k. */
  restarts?: number;
  /** Seed for everything random. */
  seed?: number;
  /** Lloyd iterations per k-means start. */
  maxIterations?: number;
  /** Relative tolerance of the centre shift (scikit-learn's). */
  tolerance?: number;
  /** Bootstrap resamples for stability; 0 switches it off. */
  bootstrap?: number;
  /** Restarts per bootstrap resample. */
  bootstrapRestarts?: number;
  /** Silhouette exact up to this many areas. */
  silhouetteExactLimit?: number;
  /** Silhouette sample size above the limit. */
  silhouetteSampleSize?: number;
  /** |r| from which a pair of indicators is reported as redundant. */
  correlationThreshold?: number;
}

export type ProgressFn = (fraction: number, stage: string) => void;

export class TypologyInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A type as stored and shown: need order, profile, German text, stability (chosen k only). */
export interface TypologyType {
  type: number;
  size: number;
  share: number;
  population: number | null;
  populationShare: number | null;
  needScore: number;
  label: string;
  description: string;
  /** Mean Jaccard similarity over the bootstrap resamples; null when not computed (bootstrap 0, or k ≠ chosen k). */
  stability: number | null;
  unstable: boolean | null;
  profile: { meanZ: Record<string, number>; meanRaw: Record<string, number> };
}

export interface TypologyResult {
  n: number;
  indicators: string[];
  dropped: { code: string; reason: string; indicators: string[] }[];
  warnings: string[];
  standardization: {
    method: StandardizationMethod;
    note: string;
    ddof: 0 | null;
    center: Record<string, number>;
    scale: Record<string, number>;
    weights: Record<string, number>;
    alignPolarity: boolean;
  };
  correlation: { matrix: number[][]; redundant: { a: string; b: string; r: number }[] };
  pca: {
    eigenvalues: number[];
    explainedVariance: number[];
    cumulativeVariance: number[];
    kaiserComponents: number;
    retained: number;
    rotation: 'none' | 'varimax';
    rotatedVariance: number[] | null;
  };
  /** Explained-variance ratio of every component. */
  explainedVariance: number[];
  /** Loadings of the retained components: indicator key → one value per component. */
  loadings: Record<string, number[]>;
  clusterSpace: { on: 'z' | 'pcs'; dimensions: number };
  byK: {
    k: number;
    inertia: number;
    silhouette: number;
    calinskiHarabasz: number;
    daviesBouldin: number;
    sizes: number[];
    iterations: number;
  }[];
  silhouette: { exact: boolean; sampleSize: number; exactLimit: number };
  suggestion: KSuggestion;
  chosenK: number;
  /** The types of the chosen k. */
  types: TypologyType[];
  /**
   * The types of every k evaluated, in the order of byK (k ascending); the chosen k's entry equals
   * `types`. For k ≠ chosenK stability is null (bootstrap runs for the chosen k only).
   */
  typesByK: { k: number; types: TypologyType[] }[];
  members: {
    code: string;
    /** Type (1..chosenK) for the chosen k. */
    type: number;
    silhouette: number | null;
    /** Bootstrap keep share for the chosen k. */
    stability: number | null;
    scores: number[];
    /** Type for each k, aligned with byK / typesByK; typeByK[byK index of chosenK] === type. */
    typeByK: number[];
    /** Silhouette of the area for each k, aligned with byK; null outside a silhouette sample. */
    silhouetteByK: (number | null)[];
  }[];
  stability: { resamples: number; restarts: number; threshold: number } | null;
}

/**
 * The pipeline, step by step; each step is a named function below, in this order, and the
 * warnings collect in the order the steps raise them.
 */
export function runTypology(
  input: TypologyInput,
  options: TypologyOptions = {},
  onProgress: ProgressFn = () => {},
): TypologyResult {
  const keys = checkIndicators(input);
  const p = keys.length;
  const warnings: string[] = [];

  // 1. Missing values: drop rows (default) or impute column means; never zero.
  const { codes, raw, population, dropped } = handleMissing(input, options.missing ?? D.missing, warnings);
  const n = codes.length;
  if (n < 3) throw new TypologyInputError('areas', `Zu wenige Gebiete mit vollständigen Werten: ${n}`);

  // 2. The k evaluated.
  const ks = kValues(options, n);

  // 3. Standardisation for clustering, and population z-scores for profiles.
  const scaled = standardiseMatrix(raw, n, keys, input.indicators, options);
  onProgress(0.02, 'standardisiert');

  // 4. Correlation check (on the raw values: standardisation does not change r).
  const correlation = correlationCheck(raw, n, keys, options, warnings);

  // 5. PCA (always computed for the report; retained components only when asked), and the space clustered.
  const reduced = reduce(scaled.standardized, n, p, options);
  onProgress(0.05, 'Hauptkomponenten');
  const space = clusterSpace(scaled.standardized, reduced, p, options);

  // 6. k-means for every k, then all validity indices, then the choice of k.
  const seed = options.seed ?? D.seed;
  const runs = clusterPerK(space, n, ks, seed, options, onProgress);
  const rated = rateK(space, n, runs, seed, options, warnings);
  onProgress(0.75, 'Gütemaße');
  const choice = chooseK(rated.byK, ks, options);
  const chosen = runs[choice.index];

  // 7. Types in need order with profiles, for every k (same rule as for the chosen k).
  const profiles = profilePerK(runs, scaled, raw, n, p, population);

  // 8. Stability of the chosen partition.
  const resamples = options.bootstrap ?? D.bootstrap;
  const bootstrapRestarts = options.bootstrapRestarts ?? D.bootstrapRestarts;
  const stability = chosenStability(space, n, chosen, resamples, bootstrapRestarts, seed, options, onProgress);
  if (stability) warnUnstable(stability, profiles.byK[choice.index], warnings);

  // 9. German labels and descriptions of every type.
  const typesByK = runs.map((r, index) => ({
    k: r.k,
    types: labelTypes(profiles.byK[index], input.indicators, index === choice.index ? stability : null, keys),
  }));

  onProgress(1, 'fertig');
  const components = reduced.components;
  const retained = components.retained;
  const areaTypes = profiles.areaTypesByK[choice.index];
  const perAreaSilhouette = rated.silhouettes.results[choice.index].perPoint;
  const record = recordOf(keys);
  const loadings: Record<string, number[]> = {};
  keys.forEach(
    (key, j) => (loadings[key] = Array.from({ length: retained }, (_, c) => components.loadings[c * p + j])),
  );
  return {
    n,
    indicators: keys,
    dropped,
    warnings,
    standardization: {
      method: scaled.method,
      note: scaled.standardized.note,
      ddof: scaled.method === 'z' ? 0 : null,
      center: record(scaled.standardized.center),
      scale: record(scaled.standardized.scale),
      weights: record(scaled.weights),
      alignPolarity: scaled.alignPolarity,
    },
    correlation: {
      matrix: keys.map((_, a) => keys.map((__, b) => correlation.matrix[a * p + b])),
      redundant: correlation.warnings.map((w) => ({ a: keys[w.a], b: keys[w.b], r: w.r })),
    },
    pca: {
      eigenvalues: Array.from(components.eigenvalues),
      explainedVariance: Array.from(components.explainedVarianceRatio),
      cumulativeVariance: Array.from(components.cumulativeVarianceRatio),
      kaiserComponents: components.kaiserCount,
      retained,
      rotation: components.rotation,
      rotatedVariance: components.rotatedVarianceRatio ? Array.from(components.rotatedVarianceRatio) : null,
    },
    explainedVariance: Array.from(components.explainedVarianceRatio),
    loadings,
    clusterSpace: { on: space.on, dimensions: space.dims },
    byK: rated.byK,
    silhouette: {
      exact: rated.silhouettes.exact,
      sampleSize: rated.silhouettes.sampleSize,
      exactLimit: rated.exactLimit,
    },
    suggestion: choice.suggestion,
    chosenK: choice.k,
    types: typesByK[choice.index].types,
    typesByK,
    members: codes.map((code, i) => ({
      code,
      type: areaTypes[i],
      silhouette: Number.isNaN(perAreaSilhouette[i]) ? null : perAreaSilhouette[i],
      stability: stability && !Number.isNaN(stability.keepShare[i]) ? stability.keepShare[i] : null,
      scores: Array.from(components.scores.subarray(i * retained, (i + 1) * retained)),
      typeByK: profiles.areaTypesByK.map((types) => types[i]),
      silhouetteByK: rated.silhouettes.results.map((s) => (Number.isNaN(s.perPoint[i]) ? null : s.perPoint[i])),
    })),
    stability: stability ? { resamples, restarts: bootstrapRestarts, threshold: stability.threshold } : null,
  };
}

/** The indicator keys, after checking there is at least one, none twice, and the matrix fits. */
function checkIndicators(input: TypologyInput): string[] {
  const keys = input.indicators.map((i) => i.key);
  const p = keys.length;
  if (p < 1) throw new TypologyInputError('indicators', 'Mindestens ein Indikator ist nötig');
  if (new Set(keys).size !== p)
    throw new TypologyInputError('indicators', 'Indikatoren doppelt angegeben', { indicators: keys });
  if (input.raw.length !== input.codes.length * p) throw new RangeError('raw matrix does not match codes × indicators');
  return keys;
}

/** Every k of the range (plus a fixed k outside it), ascending; each an integer in 2 … n − 1. */
function kValues(options: TypologyOptions, n: number): number[] {
  const kRange = options.kRange ?? (options.k !== undefined ? [options.k, options.k] : D.kRange);
  const ks: number[] = [];
  for (let k = kRange[0]; k <= kRange[1]; k++) ks.push(k);
  if (options.k !== undefined && !ks.includes(options.k)) ks.push(options.k);
  ks.sort((a, b) => a - b);
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 2) throw new TypologyInputError('k', `k muss eine ganze Zahl ≥ 2 sein, war ${k}`);
    if (k >= n) throw new TypologyInputError('k', `k = ${k} muss kleiner als die Zahl der Gebiete (${n}) sein`);
  }
  if (ks.length === 0) throw new TypologyInputError('kRange', `leerer Bereich ${kRange[0]}..${kRange[1]}`);
  return ks;
}

interface ScaledMatrix {
  method: StandardizationMethod;
  weights: number[];
  polarity: number[];
  alignPolarity: boolean;
  /** The matrix clustered (weighted, possibly polarity-aligned). */
  standardized: Standardized;
  /** Plain population z-scores for the type profiles (the same object when nothing differs). */
  profileZ: Standardized;
}

/** Standardises for clustering and for profiles; a column without variance is an input error naming it. */
function standardiseMatrix(
  raw: Float64Array,
  n: number,
  keys: string[],
  indicators: TypologyIndicator[],
  options: TypologyOptions,
): ScaledMatrix {
  const p = keys.length;
  const weights = keys.map((k) => options.weights?.[k] ?? 1);
  weights.forEach((w, j) => {
    if (!(w > 0)) throw new TypologyInputError('weights', `Gewicht von ${keys[j]} muss > 0 sein`);
  });
  const method = options.standardize ?? D.standardize;
  const alignPolarity = options.alignPolarity ?? D.alignPolarity;
  const polarity = indicators.map((i) => i.polarity);
  try {
    const standardized = standardize(raw, n, p, { method, weights, polarity, alignPolarity });
    const profileZ =
      method === 'z' && weights.every((w) => w === 1) && !alignPolarity ? standardized : zScores(raw, n, p);
    return { method, weights, polarity, alignPolarity, standardized, profileZ };
  } catch (e) {
    if (e instanceof ZeroVarianceError) {
      const names = e.columns.map((j) => keys[j]);
      throw new TypologyInputError('indicators', `Indikator ohne Streuung (Varianz 0): ${names.join(', ')}`, {
        indicators: names,
      });
    }
    throw e;
  }
}

/** Pearson correlations of the raw values; a pair from the threshold on is reported as nearly redundant. */
function correlationCheck(
  raw: Float64Array,
  n: number,
  keys: string[],
  options: TypologyOptions,
  warnings: string[],
): CorrelationResult {
  const correlation = correlationMatrix(raw, n, keys.length, options.correlationThreshold ?? D.correlationThreshold);
  for (const w of correlation.warnings)
    warnings.push(
      `${keys[w.a]} und ${keys[w.b]} korrelieren mit r = ${formatDecimal(w.r, 3)}: fast redundant, diese Dimension zählt doppelt`,
    );
  return correlation;
}

/** The pca option as a component rule: none → all (report only), kaiser, a fixed m, or a share of variance. */
function componentRule(pcaOption: 'none' | 'kaiser' | number, p: number): ComponentRule {
  const rule: ComponentRule =
    pcaOption === 'none'
      ? { kind: 'all' }
      : pcaOption === 'kaiser'
        ? { kind: 'kaiser' }
        : Number.isInteger(pcaOption) && pcaOption >= 1
          ? { kind: 'fixed', m: pcaOption }
          : pcaOption > 0 && pcaOption < 1
            ? { kind: 'share', share: pcaOption }
            : (() => {
                throw new TypologyInputError(
                  'pca',
                  `pca muss none, kaiser, eine Anzahl 1..${p} oder ein Anteil in (0, 1) sein, war ${pcaOption}`,
                );
              })();
  if (rule.kind === 'fixed' && rule.m > p)
    throw new TypologyInputError('pca', `pca = ${rule.m} übersteigt die Zahl der Indikatoren (${p})`);
  return rule;
}

/** PCA of the standardised matrix with the chosen rule and rotation. */
function reduce(
  standardized: Standardized,
  n: number,
  p: number,
  options: TypologyOptions,
): { pcaOption: 'none' | 'kaiser' | number; components: PcaResult } {
  const pcaOption = options.pca ?? D.pca;
  const components = pca(standardized.values, n, p, {
    components: componentRule(pcaOption, p),
    rotation: options.rotation ?? D.rotation,
  });
  return { pcaOption, components };
}

interface ClusterSpace {
  on: 'z' | 'pcs';
  values: Float64Array;
  dims: number;
}

/** The matrix k-means works on: the standardised values, or the retained component scores. */
function clusterSpace(
  standardized: Standardized,
  reduced: { pcaOption: 'none' | 'kaiser' | number; components: PcaResult },
  p: number,
  options: TypologyOptions,
): ClusterSpace {
  const on = options.clusterOn ?? D.clusterOn;
  if (on === 'pcs' && reduced.pcaOption === 'none')
    throw new TypologyInputError('clusterOn', 'cluster-on pcs braucht eine Komponentenwahl (--pca kaiser|N|Anteil)');
  return on === 'pcs'
    ? { on, values: reduced.components.scores, dims: reduced.components.retained }
    : { on, values: standardized.values, dims: p };
}

/** k-means (k-means++, restarts, one seed) for every k, ascending. */
function clusterPerK(
  space: ClusterSpace,
  n: number,
  ks: number[],
  seed: number,
  options: TypologyOptions,
  onProgress: ProgressFn,
): KMeansResult[] {
  const runs: KMeansResult[] = [];
  ks.forEach((k, index) => {
    runs.push(
      kmeans(space.values, n, space.dims, k, {
        restarts: options.restarts ?? D.restarts,
        seed,
        maxIterations: options.maxIterations ?? D.maxIterations,
        tolerance: options.tolerance ?? D.tolerance,
      }),
    );
    onProgress(0.05 + (0.6 * (index + 1)) / ks.length, `k-means k = ${k}`);
  });
  return runs;
}

/** Inertia, silhouette (exact, or on a seeded sample above the limit), Calinski-Harabasz and Davies-Bouldin per k. */
function rateK(
  space: ClusterSpace,
  n: number,
  runs: KMeansResult[],
  seed: number,
  options: TypologyOptions,
  warnings: string[],
) {
  const exactLimit = options.silhouetteExactLimit ?? D.silhouetteExactLimit;
  const silhouettes = silhouetteForLabelings(
    space.values,
    n,
    space.dims,
    runs.map((r) => ({ labels: r.labels, k: r.k })),
    { exactLimit, sampleSize: options.silhouetteSampleSize ?? D.silhouetteSampleSize, seed },
  );
  if (!silhouettes.exact)
    warnings.push(
      `Silhouette auf einer Zufallsstichprobe von ${silhouettes.sampleSize} der ${n} Gebiete berechnet (Seed ${seed})`,
    );
  const byK = runs.map((r, index) => ({
    k: r.k,
    inertia: r.inertia,
    silhouette: silhouettes.results[index].mean,
    calinskiHarabasz: calinskiHarabasz(space.values, n, space.dims, r.labels, r.k),
    daviesBouldin: daviesBouldin(space.values, n, space.dims, r.labels, r.k),
    sizes: Array.from(r.sizes),
    iterations: r.iterations,
  }));
  return { byK, silhouettes, exactLimit };
}

/** The suggested k of the metrics, and the k chosen: a fixed k when given, else the suggestion. */
function chooseK(
  byK: TypologyResult['byK'],
  ks: number[],
  options: TypologyOptions,
): { suggestion: KSuggestion; k: number; index: number } {
  const suggestion = suggestK(byK);
  const k = options.k ?? suggestion.k;
  return { suggestion, k, index: ks.indexOf(k) };
}

/** Type profiles in need order and the type of every area, for each k. */
function profilePerK(
  runs: KMeansResult[],
  scaled: ScaledMatrix,
  raw: Float64Array,
  n: number,
  p: number,
  population: Float64Array | undefined,
) {
  const byK = runs.map((r) =>
    typeProfiles({
      labels: r.labels,
      k: r.k,
      z: scaled.profileZ.values,
      raw,
      n,
      p,
      polarity: scaled.polarity,
      population,
    }),
  );
  const areaTypesByK = runs.map((r, index) => typeOfAreas(r.labels, byK[index]));
  return { byK, areaTypesByK };
}

/** Bootstrap stability of the chosen partition; null when switched off (0 resamples). */
function chosenStability(
  space: ClusterSpace,
  n: number,
  chosen: KMeansResult,
  resamples: number,
  restarts: number,
  seed: number,
  options: TypologyOptions,
  onProgress: ProgressFn,
): StabilityResult | null {
  if (!(resamples > 0)) return null;
  return bootstrapStability(space.values, n, space.dims, chosen.labels, chosen.k, {
    resamples,
    seed,
    restarts,
    kmeans: { maxIterations: options.maxIterations ?? D.maxIterations, tolerance: options.tolerance ?? D.tolerance },
    onProgress: (done) => onProgress(0.75 + 0.24 * done, 'Stabilität'),
  });
}

/** One warning naming the unstable types of the chosen k, if any. */
function warnUnstable(stability: StabilityResult, profiles: TypeProfile[], warnings: string[]): void {
  const unstable = profiles.filter((t) => stability.unstableByCluster[t.cluster]).map((t) => t.type);
  if (unstable.length > 0)
    warnings.push(
      `Instabile Typen (mittlere Jaccard-Ähnlichkeit < ${String(stability.threshold).replace('.', ',')}): ${unstable.map((t) => `Typ ${t}`).join(', ')}`,
    );
}

/** The types of one k as stored and shown: German label and description, stability when computed for this k. */
function labelTypes(
  profiles: TypeProfile[],
  indicators: TypologyIndicator[],
  stability: StabilityResult | null,
  keys: string[],
): TypologyType[] {
  const hasPolarity = indicators.some((i) => i.polarity !== 0);
  const record = recordOf(keys);
  return profiles.map((t) => {
    const text = describeType(t.type, t.meanZ, t.needScore, indicators, hasPolarity);
    return {
      type: t.type,
      size: t.size,
      share: t.share,
      population: t.population,
      populationShare: t.populationShare,
      needScore: t.needScore,
      label: text.label,
      description: text.description,
      stability: stability ? stability.jaccardByCluster[t.cluster] : null,
      unstable: stability ? stability.unstableByCluster[t.cluster] : null,
      profile: { meanZ: record(t.meanZ), meanRaw: record(t.meanRaw) },
    };
  });
}

/** Per-indicator values as { key: value }. */
function recordOf(keys: string[]) {
  return (values: ArrayLike<number>): Record<string, number> =>
    Object.fromEntries(keys.map((key, j) => [key, values[j]]));
}

/** Drops rows with a missing value (listed in `dropped`), or imputes column means with a warning; never zero-fills. */
function handleMissing(input: TypologyInput, missing: 'drop' | 'impute-mean', warnings: string[]) {
  const keys = input.indicators.map((i) => i.key);
  const p = keys.length;
  const total = input.codes.length;
  const dropped: { code: string; reason: string; indicators: string[] }[] = [];
  if (missing === 'impute-mean') {
    const raw = Float64Array.from(input.raw);
    for (let j = 0; j < p; j++) {
      let sum = 0;
      let count = 0;
      for (let i = 0; i < total; i++) {
        const v = raw[i * p + j];
        if (Number.isFinite(v)) {
          sum += v;
          count++;
        }
      }
      if (count === 0)
        throw new TypologyInputError('indicators', `Indikator ${keys[j]} hat keine Werte`, { indicators: [keys[j]] });
      if (count < total) {
        const mean = sum / count;
        for (let i = 0; i < total; i++) if (!Number.isFinite(raw[i * p + j])) raw[i * p + j] = mean;
        warnings.push(
          `${keys[j]}: ${total - count} fehlende Werte durch den Mittelwert ersetzt (dämpft die Streuung und zieht diese Gebiete zur Mitte)`,
        );
      }
    }
    return { codes: input.codes, raw, population: input.population, dropped };
  }
  const keep: number[] = [];
  for (let i = 0; i < total; i++) {
    const missingKeys = keys.filter((_, j) => !Number.isFinite(input.raw[i * p + j]));
    if (missingKeys.length > 0)
      dropped.push({ code: input.codes[i], reason: 'fehlender Wert', indicators: missingKeys });
    else keep.push(i);
  }
  if (dropped.length > 0) warnings.push(`${dropped.length} Gebiete mit fehlenden Werten ausgeschlossen`);
  const raw = new Float64Array(keep.length * p);
  keep.forEach((i, r) => raw.set(input.raw.subarray(i * p, (i + 1) * p), r * p));
  return {
    codes: keep.map((i) => input.codes[i]),
    raw,
    population: input.population ? Float64Array.from(keep, (i) => input.population![i]) : undefined,
    dropped,
  };
}
