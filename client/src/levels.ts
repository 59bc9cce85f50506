/**
 * The levels of areas (GET /api/levels: Planungsraum, Bezirksregion, Prognoseraum, Bezirk …) and
 * which indicators a level can show. Pure. Every level answers with its own values, but index and
 * class indicators are not aggregated: on a parent level they come without periods and are left out.
 */
import type { Indicator, Level } from './types.js';

/** The level whose values are summed into this one (its child), or undefined on the lowest level. */
export function childLevel(levels: readonly Level[], key: string): Level | undefined {
  return levels.find((l) => l.parentLevel === key);
}

/** Options of a level choice: "Planungsraum (542)", in the order of the API (most areas first). */
export function levelOptions(levels: readonly Level[]): { value: string; label: string }[] {
  return levels.map((l) => ({ value: l.key, label: `${l.label} (${l.count})` }));
}

/** Indicators with at least one period of values on the level they were listed for. */
export function indicatorsWithValues(indicators: readonly Indicator[]): Indicator[] {
  return indicators.filter((i) => i.periods.length > 0);
}
