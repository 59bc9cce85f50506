/**
 * Plain words for the Beratung view. Pure.
 * Type descriptions from the typology carry effect sizes such as "(+1,8 SD)" for researchers;
 * advisors and residents get the same sentence without them.
 */

/** Remove "(+1,8 SD)", "(−0,9 SD)" and similar parentheses, and tidy the spaces they leave. */
export function withoutStatistics(text: string): string {
  return text
    .replace(/\s*\([+\-−±]?\s*\d+(?:[.,]\d+)?\s*(?:SD|Standardabweichungen?|σ)\)/g, '')
    .replace(/\s+([,;.:])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
