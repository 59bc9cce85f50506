/**
 * Pearson correlation matrix of the columns of a row-major matrix, with a warning for every
 * pair whose |r| reaches a threshold (default 0.9): such indicators measure nearly the same
 * thing and, left in, give that dimension double weight in the typology.
 */

export interface CorrelationWarning {
  a: number;
  b: number;
  r: number;
}

export interface CorrelationResult {
  /** p × p, row-major, diagonal 1. */
  matrix: Float64Array;
  cols: number;
  /** Pairs (a < b) with |r| ≥ threshold, strongest first. */
  warnings: CorrelationWarning[];
}

export function correlationMatrix(data: Float64Array, rows: number, cols: number, threshold = 0.9): CorrelationResult {
  const means = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) means[j] += data[i * cols + j];
  for (let j = 0; j < cols; j++) means[j] /= rows;
  // Cross-products of centred values; the n cancels in r so it is never divided out.
  const cross = new Float64Array(cols * cols);
  const centred = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) centred[j] = data[o + j] - means[j];
    for (let a = 0; a < cols; a++) {
      const ca = centred[a];
      for (let b = a; b < cols; b++) cross[a * cols + b] += ca * centred[b];
    }
  }
  const matrix = new Float64Array(cols * cols);
  const warnings: CorrelationWarning[] = [];
  for (let a = 0; a < cols; a++) {
    matrix[a * cols + a] = 1;
    for (let b = a + 1; b < cols; b++) {
      const denom = Math.sqrt(cross[a * cols + a] * cross[b * cols + b]);
      const r = denom > 0 ? cross[a * cols + b] / denom : NaN;
      matrix[a * cols + b] = r;
      matrix[b * cols + a] = r;
      if (Math.abs(r) >= threshold) warnings.push({ a, b, r });
    }
  }
  warnings.sort((x, y) => Math.abs(y.r) - Math.abs(x.r));
  return { matrix, cols, warnings };
}
