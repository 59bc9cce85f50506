/**
 * Input checks shared by the spatial statistics. Bad input is a typed error with a reason code,
 * which the API turns into a 400 naming the reason; it is never a NaN that travels on.
 */
import { HOTSPOT_DEFAULTS } from './hotspot-defaults.js';

export type HotspotInputReason = 'too_few_areas' | 'constant_indicator' | 'too_many_permutations' | 'bad_permutations';

export class HotspotInputError extends Error {
  constructor(
    readonly reason: HotspotInputReason,
    message: string,
  ) {
    super(message);
  }
}

/** Upper bound for permutations: 99 999 keeps a 100 000-area run within memory and minutes. */
export const MAX_PERMUTATIONS = 99_999;
/** Default permutations, kept under this name for moran.ts; the value lives in hotspot-defaults.ts. */
export const DEFAULT_PERMUTATIONS = HOTSPOT_DEFAULTS.permutations;

/** At least 3 areas: with 2, E[I] and every variance formula divide by zero. */
export function checkValues(values: Float64Array): void {
  if (values.length < 3) {
    throw new HotspotInputError('too_few_areas', `Zu wenige Gebiete mit Werten: ${values.length} (mindestens 3 nötig)`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`Wert ${i} ist nicht endlich: fehlende Werte vorher entfernen`);
  }
  const first = values[0];
  let constant = true;
  for (let i = 1; i < values.length; i++) {
    if (values[i] !== first) {
      constant = false;
      break;
    }
  }
  if (constant) {
    throw new HotspotInputError(
      'constant_indicator',
      `Der Indikator ist in allen ${values.length} Gebieten gleich (${first}): keine Streuung, keine räumliche Statistik möglich`,
    );
  }
}

export function checkPermutations(permutations: number): void {
  if (!Number.isInteger(permutations) || permutations < 0) {
    throw new HotspotInputError(
      'bad_permutations',
      `Permutationen müssen eine ganze Zahl ≥ 0 sein, nicht ${permutations}`,
    );
  }
  if (permutations > MAX_PERMUTATIONS) {
    throw new HotspotInputError(
      'too_many_permutations',
      `Höchstens ${MAX_PERMUTATIONS} Permutationen, nicht ${permutations}`,
    );
  }
}

/** Deviations from the mean, z_i = x_i − x̄ (not scaled: the statistics scale themselves). */
export function deviations(values: Float64Array): { mean: number; z: Float64Array } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  const z = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) z[i] = values[i] - mean;
  return { mean, z };
}

/**
 * Splits areas into those with a finite value (analysed) and those without (dropped and listed,
 * never zero-filled: esda#215 turned NaN into "LL" clusters).
 */
export function dropMissing(
  codes: readonly string[],
  values: ArrayLike<number | null | undefined>,
): { codes: string[]; values: Float64Array; dropped: string[] } {
  const kept: string[] = [];
  const keptValues: number[] = [];
  const dropped: string[] = [];
  for (let i = 0; i < codes.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) dropped.push(codes[i]);
    else {
      kept.push(codes[i]);
      keptValues.push(v);
    }
  }
  return { codes: kept, values: Float64Array.from(keptValues), dropped };
}
