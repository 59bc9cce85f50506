/**
 * Turning command-line flag text into the request objects the API receives, without judging it:
 * validation is the job of the request schemas the API uses (services/typology/request.ts,
 * services/hotspot-request.ts, …), so a bad flag gets the API's German message and the CLI's
 * error exit (guard.ts) instead of a second, drifting set of checks here. A value that is not what
 * it should be is passed on unchanged, for the schema to name it.
 */

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

/** "12", "0.05", "1e-4" → a number; anything else stays text (the schema reports "expected number"). */
export function numberFlag(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  return NUMBER.test(t) ? Number(t) : value;
}

/** "none" | "kaiser" stay, "2" or "0.8" become numbers (the typology's --pca). */
export function pcaFlag(value: string | undefined): number | string | undefined {
  return value === 'none' || value === 'kaiser' ? value : numberFlag(value);
}

/** "2..10" → [2, 10]; other text stays text. */
export function rangeFlag(value: string | undefined): [number, number] | string | undefined {
  const m = value === undefined ? null : /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(value);
  return m ? [Number(m[1]), Number(m[2])] : value;
}
