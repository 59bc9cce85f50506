/**
 * Plain words for the Beratung view. Pure.
 * Type descriptions from the typology carry effect sizes such as "(+1,8 SD)" or, for a type
 * without any marked deviation, "(keine Abweichung über 0,5 SD)" for researchers; advisors and
 * residents get the same sentence without them.
 */

/**
 * A parenthesis that speaks in standard deviations: any text with a number followed by "SD",
 * "Standardabweichung(en)" or "σ" before the closing bracket. Other parentheses ("(in %)") stay.
 */
const STATISTICS_PARENTHESIS = /\s*\([^()]*?\d+(?:[.,]\d+)?\s*(?:SD|Standardabweichungen?|σ)\)/g;

/** Remove "(+1,8 SD)", "(−0,9 SD)", "(keine Abweichung über 0,5 SD)" and the like, and tidy the spaces they leave. */
export function withoutStatistics(text: string): string {
  return text
    .replace(STATISTICS_PARENTHESIS, '')
    .replace(/\s+([,;.:])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
