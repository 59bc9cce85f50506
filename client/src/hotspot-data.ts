/**
 * Reading hotspot members for the map. Pure.
 * The LISA quadrant (HH/LL/HL/LH) is reported for every area, significant or not, so a cluster
 * map must keep only the significant ones, as GeoDa's cluster map does. The p-value used is the
 * corrected one when the run applied a correction, else the permutation pseudo p.
 */

export interface HotspotMember {
  code: string;
  class: number | null;
  quadrant: string | null;
  giZ?: number | null;
  lisaP?: number | null;
  lisaPPermutation?: number | null;
  lisaPAdjusted?: number | null;
}

export function lisaPValue(m: HotspotMember): number | null {
  const p = m.lisaPAdjusted ?? m.lisaPPermutation ?? m.lisaP;
  return typeof p === 'number' && Number.isFinite(p) ? p : null;
}

/** The quadrant if the area is a significant local cluster or outlier at alpha, else null. */
export function significantQuadrant(m: HotspotMember, alpha: number): string | null {
  const p = lisaPValue(m);
  if (p === null || !m.quadrant) return null;
  return p <= alpha ? m.quadrant : null;
}

/** Members with the quadrant replaced by the significant one. */
export function significantMembers(members: readonly HotspotMember[], alpha: number): HotspotMember[] {
  return members.map((m) => ({ ...m, quadrant: significantQuadrant(m, alpha) }));
}
