/**
 * Axis ticks whose printed labels differ. Plot's default ticks with a fixed one-decimal format
 * print "0,3 / 0,3 / 0,3" for silhouettes between 0,31 and 0,35; here the ticks are chosen on a
 * nice step (1, 2, 2,5 or 5 × 10ⁿ) and the decimals follow the step, so every label is distinct. Pure.
 */

/** Ticks on a nice step covering [lo, hi] with about `count` intervals, and the decimals their labels need. */
export function distinctTicks(lo: number, hi: number, count = 4): { ticks: number[]; decimals: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ticks: [], decimals: 0 };
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    // One value: show it alone, with enough decimals to be read back.
    return { ticks: [lo], decimals: decimalsOf(lo) };
  }
  // The step rounded up may leave a single tick inside [lo, hi] (80 wide, step 50): ask for more
  // intervals until at least two ticks fall inside.
  for (let c = Math.max(1, count); ; c++) {
    const step = niceStep((hi - lo) / c);
    const first = Math.ceil(lo / step - 1e-9);
    const last = Math.floor(hi / step + 1e-9);
    if (last - first >= 1 || c >= 4 * count + 10) {
      const ticks: number[] = [];
      for (let i = first; i <= last; i++) ticks.push(roundTo(i * step, 12));
      return { ticks, decimals: decimalsForStep(step) };
    }
  }
}

/** The nice step (1, 2, 2,5, 5 × 10ⁿ) at or above a raw step. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  const nice = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 2.5 + 1e-9 ? 2.5 : f <= 5 + 1e-9 ? 5 : 10;
  return roundTo(nice * pow, 12);
}

/** Smallest number of decimals that prints multiples of `step` exactly (0,25 → 2; 0,05 → 2; 20 → 0). */
export function decimalsForStep(step: number): number {
  for (let d = 0; d <= 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 10;
}

/** Decimals to show one lone value with three significant digits. */
function decimalsOf(v: number): number {
  if (v === 0) return 0;
  return Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(Math.abs(v)))));
}

function roundTo(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f + 0; // + 0: no −0 tick
}
