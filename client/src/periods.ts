/**
 * Which period the map shows. Indicators of one level need not share their periods (the Berlin
 * sample: MSS indicators at 31.12.2020, the Einwohnerregister also 2021–2024), so a period that
 * suits one indicator may be empty for the next. Pure, so it is tested apart from the browser.
 */

/**
 * The period to show for an indicator: the current one while the indicator has values there,
 * otherwise the level's default period if the indicator has it, otherwise the indicator's latest.
 * Without indicator periods (no indicator chosen) the current period or the level's default.
 */
export function periodFor(
  current: string,
  indicatorPeriods: readonly string[] | undefined,
  levelDefault: string | null | undefined,
): string {
  if (!indicatorPeriods || indicatorPeriods.length === 0) return current || levelDefault || '';
  if (current && indicatorPeriods.includes(current)) return current;
  if (levelDefault && indicatorPeriods.includes(levelDefault)) return levelDefault;
  return indicatorPeriods[indicatorPeriods.length - 1];
}

/**
 * The two periods of the change map: the chosen ones while the indicator has both, otherwise its
 * first and last period (the longest span). Null when the indicator has fewer than two periods.
 */
export function changePeriods(
  from: string,
  to: string,
  indicatorPeriods: readonly string[],
): { from: string; to: string } | null {
  if (indicatorPeriods.length < 2) return null;
  if (from !== to && indicatorPeriods.includes(from) && indicatorPeriods.includes(to)) return { from, to };
  return { from: indicatorPeriods[0], to: indicatorPeriods[indicatorPeriods.length - 1] };
}
