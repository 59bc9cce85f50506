/**
 * The nearest facilities of an area (GET /api/areas/{code}/nearby?layer=pflege|kitas) for the
 * Beratung panel: the answer's list in one shape, and distances in plain German. Pure.
 */
import { formatNumber } from './format.js';
import type { NearbyFacility } from './types.js';

/** The facility layers counselling lists, with their headings. */
export const NEARBY_LAYERS: readonly { layer: string; title: string }[] = [
  { layer: 'pflege', title: 'Pflegeheime in der Nähe' },
  { layer: 'kitas', title: 'Kitas in der Nähe' },
];

const isRec = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Facilities from the answer: a bare list, or a list under facilities/items/nearby; entries without a
 * name or a finite distance are left out, the rest sorted by distance.
 */
export function nearbyList(answer: unknown): NearbyFacility[] {
  const list = Array.isArray(answer)
    ? answer
    : isRec(answer)
      ? ([answer.facilities, answer.items, answer.nearby].find(Array.isArray) ?? [])
      : [];
  return (list as unknown[])
    .filter(isRec)
    .map((f) => ({ ...f, name: String(f.name ?? ''), distanceM: Number(f.distanceM) }) as NearbyFacility)
    .filter((f) => f.name !== '' && Number.isFinite(f.distanceM))
    .sort((a, b) => a.distanceM - b.distanceM);
}

/** "80 m", "950 m" (to 10 m), "1,2 km" from one kilometre on; "im Gebiet" for 0 (the facility lies inside it). */
export function formatDistance(m: number): string {
  if (!Number.isFinite(m) || m < 0) return '';
  if (m === 0) return 'im Gebiet';
  if (m < 995) return `${formatNumber(Math.max(10, Math.round(m / 10) * 10), 0)} m`;
  return `${formatNumber(m / 1000, 1)} km`;
}
