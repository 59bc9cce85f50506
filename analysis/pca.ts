/**
 * Principal component analysis of an (already standardised) matrix, computed by ml-pca (SVD).
 *
 * Conventions (those of the reference values in shared/reference):
 * - eigenvalue = variance of the component scores with ddof 0 = singular value² / n. On
 *   z-scores these are the eigenvalues of the correlation matrix and sum to p. (ml-pca divides
 *   by n − 1; the ratio is converted back here.)
 * - loading = component coefficient · sqrt(eigenvalue) = correlation of indicator and component
 *   on z-scores.
 * - sign rule: every component is multiplied by ±1 so that its largest-|coefficient| entry is
 *   positive; the same flip applies to loadings and scores, which makes output reproducible
 *   across SVD implementations.
 * - number of components: 'all', a fixed m, Kaiser (eigenvalue > mean eigenvalue, i.e. > 1 on
 *   z-scores), or the smallest m reaching a share of explained variance.
 * - optional varimax rotation of the retained loadings (analysis/varimax.ts).
 */
import { Matrix } from 'ml-matrix';
import { PCA } from 'ml-pca';
import { varimax } from './varimax.js';

export type ComponentRule =
  { kind: 'all' } | { kind: 'fixed'; m: number } | { kind: 'kaiser' } | { kind: 'share'; share: number };

export interface PcaOptions {
  /** How many components to retain; default all. */
  components?: ComponentRule;
  /** Rotate the retained loadings with varimax (default false). */
  rotation?: 'none' | 'varimax';
}

export interface PcaResult {
  /** Number of input columns p. */
  cols: number;
  /** Retained components m. */
  retained: number;
  /** All p eigenvalues (ddof 0), descending. */
  eigenvalues: Float64Array;
  /** All p explained-variance ratios. */
  explainedVarianceRatio: Float64Array;
  cumulativeVarianceRatio: Float64Array;
  /** Number of eigenvalues > mean eigenvalue (Kaiser). */
  kaiserCount: number;
  /** All p components after the sign rule, row-major p(components) × p(variables). */
  components: Float64Array;
  /** Retained loadings m × p (component × variable), rotated when rotation = varimax. */
  loadings: Float64Array;
  /** Scores n × m, row-major. Unrotated: centred data · component. Varimax: standardised rotated scores. */
  scores: Float64Array;
  rows: number;
  rotation: 'none' | 'varimax';
  /** After varimax: variance explained by each rotated component (sum of squared loadings / p). */
  rotatedVarianceRatio?: Float64Array;
}

export function pca(data: Float64Array, rows: number, cols: number, options: PcaOptions = {}): PcaResult {
  const rule = options.components ?? { kind: 'all' };
  const rotation = options.rotation ?? 'none';
  const matrix = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) matrix.set(i, j, data[i * cols + j]);
  const model = new PCA(matrix, { method: 'SVD', center: true, scale: false });
  const eigenvectors = model.getEigenvectors(); // p × p, columns are components
  const mlEigenvalues = model.getEigenvalues(); // ddof 1
  const componentCount = Math.min(cols, mlEigenvalues.length);

  const eigenvalues = new Float64Array(cols);
  for (let c = 0; c < componentCount; c++) eigenvalues[c] = (mlEigenvalues[c] * (rows - 1)) / rows;
  let total = 0;
  for (let c = 0; c < cols; c++) total += eigenvalues[c];
  const explainedVarianceRatio = new Float64Array(cols);
  const cumulativeVarianceRatio = new Float64Array(cols);
  let running = 0;
  for (let c = 0; c < cols; c++) {
    explainedVarianceRatio[c] = eigenvalues[c] / total;
    running += explainedVarianceRatio[c];
    cumulativeVarianceRatio[c] = running;
  }
  const meanEigenvalue = total / cols;
  let kaiserCount = 0;
  for (let c = 0; c < cols; c++) if (eigenvalues[c] > meanEigenvalue) kaiserCount++;

  // Sign rule on every component (row c of `components`).
  const components = new Float64Array(cols * cols);
  for (let c = 0; c < componentCount; c++) {
    let largest = 0;
    for (let j = 0; j < cols; j++) {
      const v = eigenvectors.get(j, c);
      if (Math.abs(v) > Math.abs(largest)) largest = v;
    }
    const sign = largest < 0 ? -1 : 1;
    for (let j = 0; j < cols; j++) components[c * cols + j] = sign * eigenvectors.get(j, c);
  }

  const retained = retainedCount(rule, cols, cumulativeVarianceRatio, kaiserCount);

  let loadings: Float64Array = new Float64Array(retained * cols);
  for (let c = 0; c < retained; c++) {
    const root = Math.sqrt(eigenvalues[c]);
    for (let j = 0; j < cols; j++) loadings[c * cols + j] = components[c * cols + j] * root;
  }

  // Column means of the input: the data are centred before projecting (a no-op for z-scores).
  const means = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) means[j] += data[i * cols + j];
  for (let j = 0; j < cols; j++) means[j] /= rows;
  let scores: Float64Array = new Float64Array(rows * retained);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < retained; c++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += (data[i * cols + j] - means[j]) * components[c * cols + j];
      scores[i * retained + c] = s;
    }
  }

  let rotatedVarianceRatio: Float64Array | undefined;
  if (rotation === 'varimax' && retained >= 2) {
    const rotated = varimax(loadings, retained, cols);
    loadings = rotated.loadings;
    // Standardised rotated scores F·R with F = scores / sqrt(eigenvalue): the factor-analytic
    // convention (SPSS), consistent with X ≈ F · loadingsᵀ.
    const standardised = new Float64Array(rows * retained);
    for (let i = 0; i < rows; i++)
      for (let c = 0; c < retained; c++)
        standardised[i * retained + c] = scores[i * retained + c] / Math.sqrt(eigenvalues[c]);
    const rotatedScores = new Float64Array(rows * retained);
    for (let i = 0; i < rows; i++)
      for (let c = 0; c < retained; c++) {
        let s = 0;
        for (let r = 0; r < retained; r++) s += standardised[i * retained + r] * rotated.rotation[r * retained + c];
        rotatedScores[i * retained + c] = s * rotated.signs[c];
      }
    scores = rotatedScores;
    rotatedVarianceRatio = new Float64Array(retained);
    for (let c = 0; c < retained; c++) {
      let ss = 0;
      for (let j = 0; j < cols; j++) ss += loadings[c * cols + j] ** 2;
      rotatedVarianceRatio[c] = ss / total;
    }
  }

  return {
    cols,
    retained,
    eigenvalues,
    explainedVarianceRatio,
    cumulativeVarianceRatio,
    kaiserCount,
    components,
    loadings,
    scores,
    rows,
    rotation: rotation === 'varimax' && retained >= 2 ? 'varimax' : 'none',
    rotatedVarianceRatio,
  };
}

function retainedCount(rule: ComponentRule, cols: number, cumulative: Float64Array, kaiserCount: number): number {
  switch (rule.kind) {
    case 'all':
      return cols;
    case 'fixed':
      if (!Number.isInteger(rule.m) || rule.m < 1 || rule.m > cols)
        throw new RangeError(`number of components must be 1..${cols}, got ${rule.m}`);
      return rule.m;
    case 'kaiser':
      // At least one component, even when no eigenvalue exceeds the mean.
      return Math.max(1, kaiserCount);
    case 'share': {
      if (!(rule.share > 0 && rule.share <= 1))
        throw new RangeError(`variance share must be in (0, 1], got ${rule.share}`);
      // Small slack so that a share of exactly 1 is reached despite round-off.
      for (let c = 0; c < cols; c++) if (cumulative[c] >= rule.share - 1e-12) return c + 1;
      return cols;
    }
  }
}
