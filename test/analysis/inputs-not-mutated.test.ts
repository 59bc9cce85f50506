/**
 * The analysis functions leave their inputs alone (as turf's "input is not mutated" tests check):
 * a caller such as the server passes arrays it reuses for the next request, the stored run or the
 * map, so an in-place sort, standardisation or NaN-filtering inside an analysis would corrupt them
 * silently. Each case deep-copies the inputs (typed arrays included, via structuredClone), runs
 * the function on realistic data (the vendored reference matrices and weights of the Berlin
 * sample) and compares the inputs with the copies.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runTypology, type TypologyInput, type TypologyOptions } from '../../analysis/typology.js';
import { standardize, type StandardizeOptions } from '../../analysis/standardize.js';
import { BREAK_METHODS, classBreaks } from '../../analysis/class-breaks.js';
import { hotspotAnalysis, type HotspotAnalysisOptions } from '../../analysis/hotspot-analysis.js';
import { weightsFromLists, type SpatialWeights } from '../../analysis/spatial-weights.js';
import { parseCsv } from '../../geodata/import/read-csv.js';
import { loadSpatialReference, loadTypologyReference, REFERENCE_FILES } from '../fixtures/reference/reference.js';

const SAMPLE = fileURLToPath(new URL('../../geodata/sample/berlin/mss_2021.csv', import.meta.url));

/** The nine-indicator reference matrix (536 areas × 9, row-major, complete). */
let matrix: Float64Array;
/** The same with one missing value, the area ids, indicators and the sample's population. */
let typologyInput: TypologyInput;
/** S1 per analysed area and the queen weights among them (spdep reference). */
let s1: Float64Array;
let queen: SpatialWeights;
/** S1 of all 542 sample areas in file order, null for the 6 areas without a value. */
let s1WithGaps: (number | null)[];

beforeAll(() => {
  const ref = loadTypologyReference(REFERENCE_FILES.typologyNine);
  const ids = Object.keys(ref.per_id);
  const p = ref.variables.length;
  matrix = new Float64Array(ids.length * p);
  ids.forEach((id, i) => ref.variables.forEach((v, j) => (matrix[i * p + j] = ref.per_id[id].raw[v])));
  // One area with a missing value, as real data have: exercises dropping and imputation.
  const raw = matrix.slice();
  raw[7 * p + 2] = NaN;

  const sample = parseCsv(readFileSync(SAMPLE, 'utf8'), SAMPLE, { delimiter: ';' });
  const column = (name: string) => sample.header.indexOf(name);
  // The sample marks a missing value with -9999, as the MSS tables do.
  const cell = (row: string[], name: string) => (row[column(name)] === '-9999' ? null : Number(row[column(name)]));
  const population = new Map(sample.rows.map((row) => [row[column('PLR_ID')], cell(row, 'EW') ?? NaN]));
  s1WithGaps = sample.rows.map((row) => cell(row, 'S1'));

  typologyInput = {
    codes: ids,
    indicators: ref.variables.map((key) => ({ key, label: key, polarity: key === 'KI_10' ? -1 : 1 })),
    raw,
    population: Float64Array.from(ids, (id) => population.get(id) ?? NaN),
  };

  const spatial = loadSpatialReference();
  const local = spatial.results.S1.queen.local;
  const codes = Object.keys(local);
  s1 = Float64Array.from(codes, (code) => local[code].x);
  queen = weightsFromLists(codes, spatial.neighbours.queen.lists);
});

describe('analysis functions do not mutate their inputs', () => {
  it('the fixtures are what the cases below assume', () => {
    expect(typologyInput.raw).toHaveLength(536 * 9);
    expect(typologyInput.population!.filter((x) => x > 0)).toHaveLength(536);
    expect(s1WithGaps).toHaveLength(542);
    expect(s1WithGaps.filter((x) => x === null)).toHaveLength(6);
    expect(queen.n).toBe(536);
  });

  const typologyCases: [string, TypologyOptions][] = [
    [
      'missing rows dropped (default), z-scores on all indicators',
      { kRange: [2, 4], restarts: 5, bootstrap: 5, seed: 3 },
    ],
    [
      'mean imputation, weights, polarity alignment, robust scaling, clustering on Kaiser PCs',
      {
        missing: 'impute-mean',
        weights: { S1: 2, KI_10: 0.5 },
        alignPolarity: true,
        standardize: 'robust',
        pca: 'kaiser',
        rotation: 'varimax',
        clusterOn: 'pcs',
        k: 3,
        kRange: [2, 4],
        restarts: 5,
        bootstrap: 5,
        seed: 3,
      },
    ],
  ];
  it.each(typologyCases)('runTypology: %s', (_name, options) => {
    const inputCopy = structuredClone(typologyInput);
    const optionsCopy = structuredClone(options);
    expect(inputCopy.raw).not.toBe(typologyInput.raw);
    const result = runTypology(typologyInput, options);
    // the run used the data: 536 areas, one of them dropped unless imputed
    expect(result.members).toHaveLength(options.missing === 'impute-mean' ? 536 : 535);
    expect(typologyInput).toStrictEqual(inputCopy);
    expect(options).toStrictEqual(optionsCopy);
  });

  const standardizeCases: [string, StandardizeOptions][] = [
    ['z (default)', {}],
    ['robust with weights', { method: 'robust', weights: [2, 1, 1, 1, 1, 1, 1, 0.5, 1] }],
    [
      'minmax with polarity alignment',
      { method: 'minmax', polarity: [1, 1, 1, 1, 1, 1, 1, -1, 1], alignPolarity: true },
    ],
  ];
  it.each(standardizeCases)('standardize: %s', (_name, options) => {
    const dataCopy = structuredClone(matrix);
    const optionsCopy = structuredClone(options);
    const result = standardize(matrix, 536, 9, options);
    expect(result.values).not.toBe(matrix);
    expect(matrix).toStrictEqual(dataCopy);
    expect(options).toStrictEqual(optionsCopy);
  });

  it.each(BREAK_METHODS)('classBreaks: %s on unsorted values with gaps', (method) => {
    const values = s1WithGaps;
    const copy = structuredClone(values);
    const breaks = classBreaks(values, method, 5, { jenksMaxValues: 200 });
    expect(breaks.n).toBe(536);
    expect(values).toStrictEqual(copy);
  });

  const hotspotCases: HotspotAnalysisOptions[] = [
    { permutations: 99, seed: 5, draws: 'shared' },
    { permutations: 99, seed: 5, draws: 'per-area', correction: 'bonferroni', alpha: 0.1 },
  ];
  it.each(hotspotCases)('hotspotAnalysis: $draws draws', (options) => {
    const valuesCopy = structuredClone(s1);
    const weightsCopy = structuredClone(queen);
    const optionsCopy = structuredClone(options);
    const result = hotspotAnalysis(s1, queen, options);
    expect(result.global.I).toBeCloseTo(0.463231519164815, 12); // spdep's Moran's I of S1, queen
    expect(s1).toStrictEqual(valuesCopy);
    expect(queen).toStrictEqual(weightsCopy);
    expect(options).toStrictEqual(optionsCopy);
  });
});
