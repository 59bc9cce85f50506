/**
 * Descriptive statistics of one indicator: n, min, max, mean, population sd (ddof 0, as
 * everywhere in Sozialatlas) and quantiles with linear interpolation between order
 * statistics (numpy's default "linear" method, R type 7).
 */
import { quantileSorted } from './class-breaks.js';

export interface Description {
  n: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  sd: number | null;
  quantiles: { p10: number | null; p25: number | null; p50: number | null; p75: number | null; p90: number | null };
}

export function describe(values: readonly number[]): Description {
  const xs = values.filter(Number.isFinite);
  const n = xs.length;
  if (n === 0)
    return {
      n,
      min: null,
      max: null,
      mean: null,
      sd: null,
      quantiles: { p10: null, p25: null, p50: null, p75: null, p90: null },
    };
  const sorted = Float64Array.from(xs).sort();
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  const q = (p: number) => quantileSorted(sorted, p);
  return {
    n,
    min: sorted[0],
    max: sorted[n - 1],
    mean,
    sd: Math.sqrt(ss / n),
    quantiles: { p10: q(0.1), p25: q(0.25), p50: q(0.5), p75: q(0.75), p90: q(0.9) },
  };
}
