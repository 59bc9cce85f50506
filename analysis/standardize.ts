/**
 * Standardisation of an indicator matrix (areas × indicators, row-major Float64Array).
 *
 * Methods:
 * - `z` (default): (x − mean) / sd with the POPULATION sd (ddof 0), like scikit-learn's
 *   StandardScaler, so results compare with GeoDa/PySAL/scikit-learn and reproduce the
 *   official MSS z-values.
 * - `robust`: (x − median) / (1.4826 · MAD). The factor makes the MAD estimate the sd for
 *   normally distributed data, so a robust score of 2 reads like a z-score of 2.
 * - `minmax`: (x − min) / (max − min), in [0, 1].
 *
 * Optional weights: a column is multiplied by sqrt(weight), so that in squared Euclidean
 * distance (k-means) an indicator of weight 2 counts exactly as if it were included twice.
 *
 * Optional polarity alignment: columns with polarity −1 are multiplied by −1 so that higher
 * always means more need. Off by default because clustering is invariant to sign flips and
 * profiles read more naturally in the indicator's own direction.
 */

export type StandardizationMethod = 'z' | 'robust' | 'minmax';

export interface StandardizeOptions {
  /** Default 'z' (population sd, ddof 0). */
  method?: StandardizationMethod;
  /** One weight per column, each > 0; default: all 1. */
  weights?: ArrayLike<number>;
  /** One polarity per column (+1, −1 or 0); only used when alignPolarity is true. */
  polarity?: ArrayLike<number>;
  /** Multiply columns of polarity −1 by −1 (default false). */
  alignPolarity?: boolean;
}

export interface Standardized {
  /** Standardised (weighted, aligned) values, row-major n × p. */
  values: Float64Array;
  rows: number;
  cols: number;
  method: StandardizationMethod;
  /** Per column: the value subtracted (mean, median or min). */
  center: Float64Array;
  /** Per column: the divisor (population sd, 1.4826·MAD, or range). */
  scale: Float64Array;
  /** Per column: the factor applied after scaling (sqrt(weight) · ±1 polarity). */
  factor: Float64Array;
  /** Human-readable statement of what was done, for the run output. */
  note: string;
}

/** Raised when a column has no spread, so it cannot be standardised (it would divide by 0). */
export class ZeroVarianceError extends Error {
  constructor(readonly columns: number[]) {
    super(`zero variance in column(s) ${columns.join(', ')}`);
  }
}

/** Relative spread below which a column counts as constant (guards against round-off "variance"). */
const CONSTANT_TOLERANCE = 1e-12;

export function standardize(
  data: Float64Array,
  rows: number,
  cols: number,
  options: StandardizeOptions = {},
): Standardized {
  const method = options.method ?? 'z';
  if (data.length !== rows * cols) throw new RangeError(`matrix has ${data.length} values, expected ${rows}×${cols}`);
  if (rows < 2) throw new RangeError('at least two rows are needed to standardise');
  const center = new Float64Array(cols);
  const scale = new Float64Array(cols);
  const factor = new Float64Array(cols);
  const zeroVariance: number[] = [];
  const column = new Float64Array(rows);

  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) column[i] = data[i * cols + j];
    let c: number;
    let s: number;
    if (method === 'z') {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += column[i];
      c = sum / rows;
      // Two-pass variance: the one-pass formula loses digits when the mean is large.
      let ss = 0;
      for (let i = 0; i < rows; i++) ss += (column[i] - c) ** 2;
      s = Math.sqrt(ss / rows);
    } else if (method === 'robust') {
      c = median(column);
      const deviations = new Float64Array(rows);
      for (let i = 0; i < rows; i++) deviations[i] = Math.abs(column[i] - c);
      s = 1.4826 * median(deviations);
    } else {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < rows; i++) {
        if (column[i] < min) min = column[i];
        if (column[i] > max) max = column[i];
      }
      c = min;
      s = max - min;
    }
    if (!(s > CONSTANT_TOLERANCE * Math.max(1, Math.abs(c)))) zeroVariance.push(j);
    center[j] = c;
    scale[j] = s;
    const w = options.weights ? options.weights[j] : 1;
    if (!(w > 0)) throw new RangeError(`weight of column ${j} must be > 0, got ${w}`);
    const flip = options.alignPolarity && options.polarity && options.polarity[j] < 0 ? -1 : 1;
    factor[j] = Math.sqrt(w) * flip;
  }
  if (zeroVariance.length > 0) throw new ZeroVarianceError(zeroVariance);

  const values = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) values[o + j] = ((data[o + j] - center[j]) / scale[j]) * factor[j];
  }
  const weighted = options.weights ? Array.from(options.weights).some((w) => w !== 1) : false;
  const flipped = Array.from(factor).some((f) => f < 0);
  const notes: Record<StandardizationMethod, string> = {
    z: 'z = (x − Mittelwert) / Standardabweichung der Grundgesamtheit (ddof 0, wie scikit-learn StandardScaler)',
    robust: 'robust = (x − Median) / (1,4826 · MAD)',
    minmax: 'minmax = (x − Minimum) / (Maximum − Minimum)',
  };
  let note = notes[method];
  if (weighted) note += '; gewichtet (Spalte · √Gewicht)';
  if (flipped) note += '; Polarität ausgerichtet (höher = mehr Bedarf)';
  return { values, rows, cols, method, center, scale, factor, note };
}

/** Population z-scores (ddof 0) without weights or flips: what profiles and descriptions speak in. */
export function zScores(data: Float64Array, rows: number, cols: number): Standardized {
  return standardize(data, rows, cols, { method: 'z' });
}

/** Median of a copy (the input keeps its order). */
export function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}
