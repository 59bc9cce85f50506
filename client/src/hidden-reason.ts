/**
 * Why a value is hidden, in German words for panel, tooltip and ranking. Pure.
 * The server decides confidentiality once per level × period × area and names its reason
 * (suppressionReason): 'population' — too few residents to publish figures about them —, or
 * 'secondary' — the area is hidden too so that a hidden neighbour cannot be recovered by
 * subtracting the visible areas from the published parent total.
 */

/** The reasons the API sends (GET /api/values, /api/areas/{code}, tiles). */
export type SuppressionReason = 'population' | 'secondary';

const SHORT: Readonly<Record<SuppressionReason, string>> = {
  population: 'geheim (Einwohnerzahl)',
  secondary: 'geheim (Schutz vor Rückrechnung)',
};

const LONG: Readonly<Record<SuppressionReason, string>> = {
  population: 'Zu wenige Einwohnerinnen und Einwohner: Werte dieses Gebiets werden nicht veröffentlicht.',
  secondary: 'Verborgen, damit der geheime Wert eines Nachbargebiets nicht aus der Summe zurückgerechnet werden kann.',
};

const isReason = (r: unknown): r is SuppressionReason => r === 'population' || r === 'secondary';

/** "geheim (Einwohnerzahl)", "geheim (Schutz vor Rückrechnung)"; plain "geheim" when the reason is unknown. */
export function hiddenText(reason: string | null | undefined): string {
  return isReason(reason) ? SHORT[reason] : 'geheim';
}

/** One sentence explaining the reason (title attributes, notes); empty when the reason is unknown. */
export function hiddenExplanation(reason: string | null | undefined): string {
  return isReason(reason) ? LONG[reason] : '';
}
