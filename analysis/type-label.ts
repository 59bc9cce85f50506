/**
 * Plain-German names and descriptions of types from their z-profiles, e.g.
 * "deutlich überdurchschnittlich: Kinderarmut (+1,8 SD), Transferbezug (+1,5 SD);
 *  unterdurchschnittlich: Wohndauer über 5 Jahre (−0,9 SD)".
 *
 * Bands on the mean z (rounded to one decimal first, so the printed number and its band agree):
 *   ≥ +1.0 deutlich überdurchschnittlich, ≥ +0.5 überdurchschnittlich,
 *   ≤ −0.5 unterdurchschnittlich,        ≤ −1.0 deutlich unterdurchschnittlich;
 * indicators in between are average and not listed. Within a band the strongest comes first.
 * Numbers use the German decimal comma and a real minus sign (U+2212). No jargon beyond
 * "überdurchschnittlich"/"unterdurchschnittlich": planners read these.
 */

import { formatDecimal, formatSigned } from './number-format.js';

export interface LabelIndicator {
  key: string;
  /** German label, e.g. "Kinderarmut". */
  label: string;
}

export interface TypeText {
  /** Short name, e.g. "Typ 4: überdurchschnittliche Belastung". */
  label: string;
  description: string;
}

const BANDS = [
  { name: 'deutlich überdurchschnittlich', test: (z: number) => z >= 1 },
  { name: 'überdurchschnittlich', test: (z: number) => z >= 0.5 && z < 1 },
  { name: 'unterdurchschnittlich', test: (z: number) => z <= -0.5 && z > -1 },
  { name: 'deutlich unterdurchschnittlich', test: (z: number) => z <= -1 },
];

/** "+1,8 SD", "−0,9 SD". */
export function formatSd(z: number): string {
  const rounded = Math.round(z * 10) / 10;
  return `${rounded === 0 ? `±${formatDecimal(0, 1)}` : formatSigned(rounded, 1)} SD`;
}

export function describeType(
  type: number,
  meanZ: ArrayLike<number>,
  needScore: number,
  indicators: LabelIndicator[],
  hasPolarity = true,
): TypeText {
  const parts: string[] = [];
  for (const band of BANDS) {
    const members = indicators
      .map((ind, j) => ({ ind, z: Math.round(meanZ[j] * 10) / 10 }))
      .filter((m) => Number.isFinite(m.z) && band.test(m.z))
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
    if (members.length > 0)
      parts.push(`${band.name}: ${members.map((m) => `${m.ind.label} (${formatSd(m.z)})`).join(', ')}`);
  }
  const description =
    parts.length > 0 ? parts.join('; ') : 'in allen Indikatoren durchschnittlich (keine Abweichung über 0,5 SD)';
  const base = hasPolarity ? `Typ ${type}: ${needWord(needScore)}` : `Typ ${type}`;
  return { label: `${base}${signatureOf(meanZ, indicators)}`, description };
}

/**
 * The type's most distinctive indicator (largest |mean z|, at least 0.5 SD), e.g.
 * ", Kinderarmut deutlich überdurchschnittlich": two types with the same need band still get
 * different names. Empty when every indicator is average.
 */
function signatureOf(meanZ: ArrayLike<number>, indicators: LabelIndicator[]): string {
  let best = -1;
  for (let j = 0; j < indicators.length; j++) {
    if (Number.isFinite(meanZ[j]) && (best < 0 || Math.abs(meanZ[j]) > Math.abs(meanZ[best]))) best = j;
  }
  if (best < 0) return '';
  const z = Math.round(meanZ[best] * 10) / 10;
  const band = BANDS.find((b) => b.test(z));
  return band ? `, ${indicators[best].label} ${band.name}` : '';
}

/** The need band of a type's mean polarity-adjusted z, in the same words as the description. */
function needWord(needScore: number): string {
  const z = Math.round(needScore * 10) / 10;
  if (z >= 1) return 'deutlich überdurchschnittliche Belastung';
  if (z >= 0.5) return 'überdurchschnittliche Belastung';
  if (z <= -1) return 'deutlich unterdurchschnittliche Belastung';
  if (z <= -0.5) return 'unterdurchschnittliche Belastung';
  return 'durchschnittliche Belastung';
}
