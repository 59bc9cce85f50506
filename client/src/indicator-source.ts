/**
 * The catalogue's source and terms of use of an indicator (sql/016) as one short line under its
 * description: "Quelle: Amt für Statistik Berlin-Brandenburg · CC BY 3.0 DE"; '' when neither is set.
 */
export function indicatorSourceLine(i: { source?: string | null; attribution?: string | null } | undefined): string {
  const parts = [i?.source, i?.attribution].filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return parts.length > 0 ? `Quelle: ${parts.join(' · ')}` : '';
}
