/**
 * The level hierarchy as chains from a finest level up to its top level (plr → bzr → pgr → bez).
 * Aggregation runs child before parent, and confidentiality is decided along each chain, so both
 * need the levels in this order. Pure.
 */

export interface LevelLink {
  key: string;
  parentLevel: string | null;
}

/**
 * Every chain that starts at a level nobody names as parent (a finest level) and follows
 * parent_level upwards. A cycle in parent_level (which the importers never create) stops the chain.
 */
export function levelChains(levels: readonly LevelLink[]): string[][] {
  const parentOf = new Map(levels.map((l) => [l.key, l.parentLevel]));
  const isParent = new Set(levels.map((l) => l.parentLevel).filter((p): p is string => p !== null));
  const chains: string[][] = [];
  for (const l of levels) {
    if (isParent.has(l.key)) continue;
    const chain = [l.key];
    let next = parentOf.get(l.key) ?? null;
    while (next !== null && parentOf.has(next) && !chain.includes(next)) {
      chain.push(next);
      next = parentOf.get(next) ?? null;
    }
    chains.push(chain);
  }
  return chains.sort((a, b) => a[0].localeCompare(b[0]));
}

/** All levels, each after every level below it (children first): the order of aggregation. */
export function levelsChildrenFirst(levels: readonly LevelLink[]): string[] {
  const depth = new Map<string, number>();
  for (const chain of levelChains(levels)) {
    chain.forEach((key, i) => depth.set(key, Math.max(depth.get(key) ?? 0, i)));
  }
  return [...depth.keys()].sort((a, b) => depth.get(a)! - depth.get(b)! || a.localeCompare(b));
}
