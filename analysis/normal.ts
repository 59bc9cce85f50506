/**
 * The standard normal distribution, accurate to about 1e-15 relative, for p-values that must
 * agree with R's pnorm() to 1e-9 and beyond (R uses Cody's algorithm; any method accurate to
 * double precision gives the same digits).
 *
 * erfc(x) for x ≥ 0 is computed two ways, each where it converges fast and loses nothing to
 * cancellation:
 * - x < 2.5: erf from the all-positive series erf(x) = 2/√π · e^{−x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)),
 *   then erfc = 1 − erf (erfc ≥ 4e-4 there, so the subtraction keeps ~13 significant digits);
 * - x ≥ 2.5: the Laplace continued fraction erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
 *   evaluated with the modified Lentz method.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT2 = Math.SQRT2;

/** Complementary error function erfc(x) = 1 − erf(x). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) return 1 - erfSeries(x);
  return erfcContinuedFraction(x);
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x; // 2ⁿ x^{2n+1} / (1·3·…·(2n+1)) for n = 0
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

function erfcContinuedFraction(x: number): number {
  // f = x + a1/(x + a2/(x + …)) with a_k = k/2; modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** P(Z > z) for a standard normal Z. */
export function normalUpper(z: number): number {
  return 0.5 * erfc(z / SQRT2);
}

/** P(Z ≤ z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/** Two-sided p-value P(|Z| ≥ |z|); NaN stays NaN. */
export function twoSidedP(z: number): number {
  return erfc(Math.abs(z) / SQRT2);
}

/**
 * The z with P(Z > z) = p (inverse upper tail), by bisection on normalUpper: 200 halvings of
 * [−40, 40] reach the double-precision limit. Only used a handful of times per run (thresholds),
 * so robustness beats speed here.
 */
export function normalUpperQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p <= 0 ? Infinity : -Infinity;
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (normalUpper(mid) > p) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-15 * Math.max(1, Math.abs(mid))) break;
  }
  return 0.5 * (lo + hi);
}
