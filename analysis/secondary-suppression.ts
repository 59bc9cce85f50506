/**
 * Secondary suppression across an area hierarchy, and the subtraction attacker it defends against.
 *
 * Primary suppression hides small areas (fewer residents than the threshold, or flagged). That alone
 * is not enough: parent totals (e.g. a Bezirksregion) are published and include their hidden
 * children, so parent − Σ visible siblings gives the hidden value back. Every published total is one
 * linear equation "parent = Σ children"; the level totals add "region = Σ areas of the level" for
 * every level. A value stays secret only if no such equation has exactly one unknown.
 *
 * Rule (per period; the caller passes one period's areas):
 * - child rule: within every parent either no child or at least two children are hidden. Where
 *   exactly one is hidden, the visible sibling with the smallest population is hidden as well
 *   (ties: the lower code), because small areas carry the least published information.
 * - single child: a parent with one child equals that child. If the child is hidden, the parent is
 *   hidden too (secondary) — the only case in which an official parent total is withheld.
 * - hidden parent: a parent hidden on its own level (e.g. flagged) whose children are all visible is
 *   just their sum, so two of its children are hidden (one child if it has only one). This is the
 *   child rule read the other way round and keeps the invariant "no child or at least two".
 * - level total: the sum of all areas of a level is published (the region value), so every level is
 *   one more group: exactly one hidden area on a level makes the smallest visible one hidden.
 *
 * Algorithm: passes over the levels from finest to coarsest apply the rules above; a hidden parent
 * may require changes on the finer level again (hidden parent rule) and a hidden child on the coarser
 * one (single-child rule), so passes repeat until one pass hides nothing. It stops because areas are
 * only ever added to the hidden set, never removed, and the set is bounded by the number of areas:
 * at most N + 1 passes for N areas (in practice two or three). The order of levels, parents (by
 * code) and candidates (population, then code) is fixed, so the result is deterministic.
 *
 * Why the result holds against the attacker: at the fixpoint every parent equation has either no
 * unknown (visible parent, no hidden child) or at least two (a visible parent with ≥ 2 hidden
 * children, or a hidden parent with ≥ 1 hidden child), and every level-total equation has 0 or ≥ 2
 * unknowns. An attacker who solves equations with one unknown therefore finds nothing in the first
 * round, and so nothing in any later round either. Not covered: the top level consisting of a single
 * hidden area (it equals the region value, which the caller must then withhold), and bounds an
 * attacker can derive for non-negative counts (two hidden areas summing to 38 are each ≤ 38).
 *
 * Pure code: no I/O.
 */

/** One area of one level for one period. */
export interface SuppressionArea {
  code: string;
  /** Code of the parent on the next coarser level; null on the top level. */
  parent: string | null;
  /** Residents; null when unknown (sorted last when a sibling must be chosen). */
  population: number | null;
  /** Hidden by the primary rule (population below the threshold). */
  primary: boolean;
}

/** Why an area is hidden: 'population' = primary rule, 'secondary' = to protect another area. */
export type SuppressionReason = 'population' | 'secondary';

export interface SuppressionLevel {
  key: string;
  areas: SuppressionArea[];
}

export interface SuppressionOptions {
  /**
   * Treat every level as one more group because the region value (the total of every level) is
   * published (default true). Set false only where no region total is published anywhere.
   */
  protectLevelTotals?: boolean;
}

/** Hidden areas per level key (every level present, entries ordered by code). */
export type SuppressionResult = Map<string, Map<string, SuppressionReason>>;

interface LevelIndex {
  key: string;
  /** Areas in candidate order: population ascending (unknown last), then code. */
  byCandidateOrder: SuppressionArea[];
  /** Children (in candidate order) per parent code on the next coarser level, parents by code. */
  childrenByParent: Map<string, SuppressionArea[]>;
  hidden: Map<string, SuppressionReason>;
}

/**
 * Primary plus secondary suppression for a hierarchy, levels ordered finest first. The inputs are
 * not changed.
 */
export function suppressHierarchy(levels: SuppressionLevel[], options: SuppressionOptions = {}): SuppressionResult {
  const protectLevelTotals = options.protectLevelTotals ?? true;
  const index = indexLevels(levels);

  for (;;) {
    let added = 0;
    for (let l = 0; l < index.length; l++) {
      const level = index[l];
      const parentLevel = index[l + 1];
      if (parentLevel) {
        for (const [parentCode, children] of level.childrenByParent) {
          added += protectParentGroup(level, children, parentLevel, parentCode);
        }
      }
      if (protectLevelTotals) added += protectLevelTotal(level);
    }
    if (added === 0) break;
  }

  const result: SuppressionResult = new Map();
  for (const level of index) {
    const sorted = [...level.hidden.entries()].sort((a, b) => compareCodes(a[0], b[0]));
    result.set(level.key, new Map(sorted));
  }
  return result;
}

/** Applies the child, single-child and hidden-parent rules to one parent; returns how many it hid. */
function protectParentGroup(
  level: LevelIndex,
  children: SuppressionArea[],
  parentLevel: LevelIndex,
  parentCode: string,
): number {
  const parentHidden = parentLevel.hidden.has(parentCode);
  const hiddenChildren = children.reduce((n, c) => n + (level.hidden.has(c.code) ? 1 : 0), 0);

  if (children.length === 1) {
    if (hiddenChildren === 1 && !parentHidden) {
      parentLevel.hidden.set(parentCode, 'secondary');
      return 1;
    }
    if (hiddenChildren === 0 && parentHidden) {
      level.hidden.set(children[0].code, 'secondary');
      return 1;
    }
    return 0;
  }

  // Two or more children: reach "no child or at least two hidden"; a hidden parent needs ≥ 1 hidden child.
  const wanted = hiddenChildren === 1 || (hiddenChildren === 0 && parentHidden) ? 2 : hiddenChildren;
  return hideSmallest(level, children, wanted - hiddenChildren);
}

/** The level total is published: exactly one hidden area on a level hides the smallest visible one. */
function protectLevelTotal(level: LevelIndex): number {
  if (level.hidden.size !== 1 || level.byCandidateOrder.length < 2) return 0;
  return hideSmallest(level, level.byCandidateOrder, 1);
}

/** Hides the first `count` visible areas of a candidate-ordered list as 'secondary'. */
function hideSmallest(level: LevelIndex, candidates: SuppressionArea[], count: number): number {
  let hid = 0;
  for (const area of candidates) {
    if (hid >= count) break;
    if (level.hidden.has(area.code)) continue;
    level.hidden.set(area.code, 'secondary');
    hid++;
  }
  return hid;
}

function indexLevels(levels: SuppressionLevel[]): LevelIndex[] {
  const codeSets = levels.map((level) => {
    const codes = new Set<string>();
    for (const area of level.areas) {
      if (codes.has(area.code)) throw new Error(`Ebene ${level.key}: Gebietsschlüssel ${area.code} kommt doppelt vor`);
      codes.add(area.code);
    }
    return codes;
  });

  return levels.map((level, l) => {
    const parentCodes = codeSets[l + 1];
    const byCandidateOrder = [...level.areas].sort(compareCandidates);
    const grouped = new Map<string, SuppressionArea[]>();
    const hidden = new Map<string, SuppressionReason>();
    for (const area of byCandidateOrder) {
      if (area.primary) hidden.set(area.code, 'population');
      if (!parentCodes) {
        if (area.parent !== null)
          throw new Error(`Ebene ${level.key} ist die oberste, aber ${area.code} nennt das Obergebiet ${area.parent}`);
        continue;
      }
      if (area.parent === null || !parentCodes.has(area.parent)) {
        throw new Error(
          `Ebene ${level.key}: Gebiet ${area.code} hat kein Obergebiet auf Ebene ${levels[l + 1].key} (${area.parent ?? 'keins'})`,
        );
      }
      const siblings = grouped.get(area.parent);
      if (siblings) siblings.push(area);
      else grouped.set(area.parent, [area]);
    }
    const childrenByParent = new Map([...grouped.entries()].sort((a, b) => compareCodes(a[0], b[0])));
    return { key: level.key, byCandidateOrder, childrenByParent, hidden };
  });
}

/** Smallest population first (unknown last), ties by the lower code. */
function compareCandidates(a: SuppressionArea, b: SuppressionArea): number {
  const pa = a.population ?? Number.POSITIVE_INFINITY;
  const pb = b.population ?? Number.POSITIVE_INFINITY;
  if (pa !== pb) return pa < pb ? -1 : 1;
  return compareCodes(a.code, b.code);
}

/** Code order by UTF-16 code units: independent of the locale, so the result is the same everywhere. */
function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ───────────────────────────── the attacker ─────────────────────────────

/** What a reader sees of one level: the published value of each area (null = hidden). */
export interface PublishedLevel {
  key: string;
  /** Every area of the level with its published value of one additive quantity; null = not published. */
  values: Map<string, number | null>;
  /** Child codes (on this level) per parent code on the next coarser level; empty on the top level. */
  children: Map<string, string[]>;
}

export interface PublishedHierarchy {
  /** Levels ordered finest first, as in suppressHierarchy. */
  levels: PublishedLevel[];
  /** The published region value (total of every level); null/absent = derive it where possible. */
  regionTotal?: number | null;
}

export interface RecoveredValue {
  level: string;
  code: string;
  value: number;
}

export interface AttackOptions {
  /**
   * Repeat until nothing new is found, using recovered values like published ones (default false:
   * one round on the published values only).
   */
  untilFixpoint?: boolean;
}

/**
 * Tries to recover unpublished values by subtraction. Every parent gives the equation parent =
 * Σ children, every level region = Σ areas; an equation with exactly one unknown is solved
 * (parent − Σ visible children for a child, Σ children for a hidden parent, region − Σ visible
 * areas through the level total). Without a published region value it is the total of any fully
 * published level, otherwise one more unknown that a later round may find. Returns the recovered
 * area values in the order found, each area once.
 */
export function recoverBySubtraction(published: PublishedHierarchy, options: AttackOptions = {}): RecoveredValue[] {
  const untilFixpoint = options.untilFixpoint ?? false;
  const REGION = -1;
  const keyOf: { level: string; code: string }[] = [];
  const known: (number | null)[] = [];
  const idByLevel = published.levels.map((level) => {
    const ids = new Map<string, number>();
    for (const [code, value] of level.values) {
      ids.set(code, keyOf.length);
      keyOf.push({ level: level.key, code });
      known.push(value !== null && Number.isFinite(value) ? value : null);
    }
    return ids;
  });
  // Without a published region value, any fully published level gives it (a sum, not a recovery).
  let region = published.regionTotal ?? fullyPublishedTotal(published.levels);

  // Each equation: Σ coefficient · variable = 0 with coefficients ±1; REGION stands for the region value.
  const equations: { ids: number[]; coefficients: number[] }[] = [];
  published.levels.forEach((level, l) => {
    const parentIds = idByLevel[l + 1];
    for (const [parentCode, childCodes] of level.children) {
      const parentId = parentIds?.get(parentCode);
      if (parentId === undefined) throw new Error(`Ebene ${level.key}: Obergebiet ${parentCode} ist unbekannt`);
      const ids = [parentId, ...childCodes.map((c) => idOf(idByLevel[l], c, level.key))];
      equations.push({ ids, coefficients: ids.map((_, i) => (i === 0 ? 1 : -1)) });
    }
    const ids = [REGION, ...idByLevel[l].values()];
    equations.push({ ids, coefficients: ids.map((_, i) => (i === 0 ? 1 : -1)) });
  });

  const valueOf = (id: number): number | null => (id === REGION ? region : known[id]);
  const recovered: RecoveredValue[] = [];
  for (;;) {
    const found: { id: number; value: number }[] = [];
    for (const { ids, coefficients } of equations) {
      let unknownAt = -1;
      let sum = 0;
      for (let i = 0; i < ids.length; i++) {
        const v = valueOf(ids[i]);
        if (v !== null) sum += coefficients[i] * v;
        else if (unknownAt === -1) unknownAt = i;
        else {
          unknownAt = -2; // two or more unknowns: nothing to learn here
          break;
        }
      }
      if (unknownAt >= 0) found.push({ id: ids[unknownAt], value: -sum / coefficients[unknownAt] });
    }
    let learned = 0;
    for (const { id, value } of found) {
      if (valueOf(id) !== null) continue; // the same unknown solved by two equations
      if (id === REGION) region = value;
      else {
        known[id] = value;
        recovered.push({ ...keyOf[id], value });
      }
      learned++;
    }
    if (!untilFixpoint || learned === 0) break;
  }
  return recovered;
}

function idOf(ids: Map<string, number>, code: string, levelKey: string): number {
  const id = ids.get(code);
  if (id === undefined) throw new Error(`Ebene ${levelKey}: Gebiet ${code} fehlt in den Werten`);
  return id;
}

function fullyPublishedTotal(levels: PublishedLevel[]): number | null {
  for (const level of levels) {
    let sum = 0;
    let complete = level.values.size > 0;
    for (const value of level.values.values()) {
      if (value === null || !Number.isFinite(value)) {
        complete = false;
        break;
      }
      sum += value;
    }
    if (complete) return sum;
  }
  return null;
}
