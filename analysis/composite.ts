/**
 * Composite indicators for hotspot analysis: the first principal component of several
 * indicators, so that "where does need cluster overall" can be tested like a single indicator.
 *
 * - Each indicator is z-standardised with the population sd (ddof 0, the project convention).
 * - PCA of the z-scores (i.e. of the correlation matrix) by ml-pca; the score of area i is
 *   z_i · v1 with v1 the first eigenvector.
 * - Sign rule (as in the reference files): v1 is flipped so that its largest-|coefficient| entry is
 *   positive, which makes the result reproducible across SVD implementations.
 */
import { PCA } from 'ml-pca';
import { HotspotInputError } from './hotspot-input.js';

export interface FirstComponent {
  /** Score per row. */
  scores: Float64Array;
  /** v1, one coefficient per column. */
  coefficients: number[];
  /** Share of the total variance explained by the first component. */
  explainedVariance: number;
}

/** `columns[j][i]` = value of indicator j in area i; no missing values. */
export function firstPrincipalComponent(columns: Float64Array[]): FirstComponent {
  const p = columns.length;
  const n = columns[0]?.length ?? 0;
  const z: number[][] = Array.from({ length: n }, () => new Array<number>(p));
  columns.forEach((col, j) => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += col[i];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (col[i] - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    if (!(sd > 0))
      throw new HotspotInputError(
        'constant_indicator',
        `Indikator ${j + 1} der Komposite ist konstant: keine Standardisierung möglich`,
      );
    for (let i = 0; i < n; i++) z[i][j] = (col[i] - mean) / sd;
  });
  const pca = new PCA(z, { center: true, scale: false });
  const v = pca.getEigenvectors().getColumn(0);
  let largest = 0;
  for (let j = 1; j < p; j++) if (Math.abs(v[j]) > Math.abs(v[largest])) largest = j;
  const sign = v[largest] < 0 ? -1 : 1;
  const coefficients = v.map((c) => c * sign);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += z[i][j] * coefficients[j];
    scores[i] = s;
  }
  return { scores, coefficients, explainedVariance: pca.getExplainedVariance()[0] };
}
