/**
 * Varimax rotation (Kaiser 1958) of a loadings matrix: it maximises the variance of the squared
 * loadings per component, so that each indicator loads highly on as few components as possible
 * (easier to name). Computed by Kaiser's sweeps of planar rotations, each by the closed-form
 * optimal angle for its pair of components. (The SVD fixed-point iteration of R's
 * stats::varimax can jump between mirror-image solutions of equal criterion on symmetric
 * patterns and stall; the pairwise sweeps increase the criterion at every step.)
 *
 * Input and output loadings are component × variable (m × p, row-major), as in analysis/pca.ts.
 */
import { Matrix } from 'ml-matrix';

export interface VarimaxOptions {
  /** Kaiser normalisation: rows scaled to unit communality before rotating (default true). */
  normalize?: boolean;
  /** Stop when no planar rotation in a sweep exceeds this angle in radians (default 1e-10). */
  tolerance?: number;
  /** Iteration cap (default 1000). */
  maxIterations?: number;
}

export interface VarimaxResult {
  /** Rotated loadings m × p after the sign rule. */
  loadings: Float64Array;
  /** Orthogonal rotation matrix m × m (row-major), before the sign flips. */
  rotation: Float64Array;
  /** ±1 per rotated component: the sign rule (largest-|loading| entry positive). */
  signs: Float64Array;
  iterations: number;
}

export function varimax(loadings: Float64Array, m: number, p: number, options: VarimaxOptions = {}): VarimaxResult {
  const normalize = options.normalize ?? true;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 1000;

  // A: p × m (variables in rows), as the textbook formulas are written.
  const a = new Matrix(p, m);
  for (let c = 0; c < m; c++) for (let j = 0; j < p; j++) a.set(j, c, loadings[c * p + j]);
  const communalityRoot = new Float64Array(p).fill(1);
  if (normalize) {
    for (let j = 0; j < p; j++) {
      let h = 0;
      for (let c = 0; c < m; c++) h += a.get(j, c) ** 2;
      communalityRoot[j] = Math.sqrt(h) || 1;
      for (let c = 0; c < m; c++) a.set(j, c, a.get(j, c) / communalityRoot[j]);
    }
  }

  const rotation = Matrix.eye(m, m);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let largestAngle = 0;
    for (let c1 = 0; c1 < m - 1; c1++) {
      for (let c2 = c1 + 1; c2 < m; c2++) {
        // Closed-form angle maximising the varimax criterion of columns c1, c2 (Kaiser 1958).
        let sumU = 0;
        let sumV = 0;
        let sumUUminusVV = 0;
        let sumUV = 0;
        for (let j = 0; j < p; j++) {
          const x = a.get(j, c1);
          const y = a.get(j, c2);
          const u = x * x - y * y;
          const v = 2 * x * y;
          sumU += u;
          sumV += v;
          sumUUminusVV += u * u - v * v;
          sumUV += u * v;
        }
        const numerator = 2 * sumUV - (2 * sumU * sumV) / p;
        const denominator = sumUUminusVV - (sumU * sumU - sumV * sumV) / p;
        const angle = Math.atan2(numerator, denominator) / 4;
        if (Math.abs(angle) > largestAngle) largestAngle = Math.abs(angle);
        if (Math.abs(angle) < 1e-15) continue;
        const cos = Math.cos(angle);
        const sin = Math.sin(angle);
        for (let j = 0; j < p; j++) {
          const x = a.get(j, c1);
          const y = a.get(j, c2);
          a.set(j, c1, x * cos + y * sin);
          a.set(j, c2, -x * sin + y * cos);
        }
        for (let r = 0; r < m; r++) {
          const x = rotation.get(r, c1);
          const y = rotation.get(r, c2);
          rotation.set(r, c1, x * cos + y * sin);
          rotation.set(r, c2, -x * sin + y * cos);
        }
      }
    }
    if (largestAngle < tolerance) break;
  }

  const rotated = a; // already rotated in place
  const out = new Float64Array(m * p);
  const signs = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    let largest = 0;
    for (let j = 0; j < p; j++) {
      const v = rotated.get(j, c) * communalityRoot[j];
      if (Math.abs(v) > Math.abs(largest)) largest = v;
    }
    signs[c] = largest < 0 ? -1 : 1;
    for (let j = 0; j < p; j++) out[c * p + j] = signs[c] * rotated.get(j, c) * communalityRoot[j];
  }
  const rotationFlat = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) rotationFlat[r * m + c] = rotation.get(r, c);
  return { loadings: out, rotation: rotationFlat, signs, iterations };
}
