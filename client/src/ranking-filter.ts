/**
 * The ranking's order, its search and Bezirk filter, and its keyboard moves. Ranks are counted over
 * the whole level before filtering, so a filtered row keeps its city-wide rank ("447." stays 447.).
 * The search folds umlauts, ß and "Straße/Str." as the street search does (analysis/text-fold.ts):
 * "stulerstrasse" finds "Stülerstraße"; it matches names and codes. Pure: tested in node.
 */
import { searchKey } from '../../analysis/text-fold.js';
import type { ValueRow, Values } from './types.js';

export type SortKey = 'name' | 'value';

export interface RankingSort {
  key: SortKey;
  desc: boolean;
}

export interface RankingFilter {
  /** Search text; '' = every area. */
  text: string;
  /** Code prefix of the chosen Bezirk (LOR codes begin with the Bezirk's, "01"); '' = all. */
  prefix: string;
}

export const NO_FILTER: Readonly<RankingFilter> = { text: '', prefix: '' };

export interface RankedRow {
  row: ValueRow;
  /** 1-based rank in the whole level under the sort; null for hidden areas (no value, no rank). */
  rank: number | null;
}

/**
 * Shown rows with a value in sort order, each with its rank, and the hidden areas by name.
 * Ties keep the API's order (Array.prototype.sort is stable).
 */
export function rankRows(values: Values, sort: RankingSort): { ranked: RankedRow[]; hidden: RankedRow[] } {
  const rows = values.values.filter((r) => !r.suppressed && r.value !== null);
  rows.sort((a, b) => {
    const d = sort.key === 'name' ? a.name.localeCompare(b.name, 'de') : (a.value as number) - (b.value as number);
    return sort.desc ? -d : d;
  });
  const hidden = values.values.filter((r) => r.suppressed).sort((a, b) => a.name.localeCompare(b.name, 'de'));
  return {
    ranked: rows.map((row, i) => ({ row, rank: i + 1 })),
    hidden: hidden.map((row) => ({ row, rank: null })),
  };
}

/** True when the row matches the search text (name or code) and lies in the chosen Bezirk. */
export function matchesFilter(row: Pick<ValueRow, 'code' | 'name'>, filter: RankingFilter): boolean {
  if (filter.prefix && !row.code.startsWith(filter.prefix)) return false;
  const text = filter.text.trim();
  if (!text) return true;
  if (row.code.startsWith(text)) return true;
  const key = searchKey(text);
  return key !== '' && searchKey(row.name).includes(key);
}

export function applyFilter(rows: readonly RankedRow[], filter: RankingFilter): RankedRow[] {
  return rows.filter((r) => matchesFilter(r.row, filter));
}

/** Rows moved per PageUp / PageDown. */
export const PAGE_STEP = 10;

/**
 * Roving focus inside the ranking (one tab stop): the new index for a key among `count` items, or
 * null when the key is not a move. Up/Down by one, Home/End to the ends, PageUp/PageDown by
 * PAGE_STEP; the ends are kept (no wrap), so holding a key stops at the first or last row.
 */
export function nextIndex(current: number, key: string, count: number): number | null {
  if (count <= 0) return null;
  const last = count - 1;
  const clamp = (i: number) => Math.max(0, Math.min(last, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(current + 1);
    case 'ArrowUp':
      return clamp(current - 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    case 'PageDown':
      return clamp(current + PAGE_STEP);
    case 'PageUp':
      return clamp(current - PAGE_STEP);
    default:
      return null;
  }
}

/** "12 von 447 Gebieten" for the status line under the search. */
export function filterSummary(shown: number, total: number): string {
  return shown === total ? `${total} Gebiete` : `${shown} von ${total} Gebieten`;
}

/**
 * The level the Bezirk filter offers: the top of the current level's chain of parents (Planungsraum →
 * Bezirksregion → Prognoseraum → Bezirk); null when the level is the top itself (or has no parent).
 */
export function filterLevel<L extends { key: string; parentLevel: string | null }>(
  levels: readonly L[],
  key: string,
): L | null {
  let cur = levels.find((l) => l.key === key);
  const seen = new Set<string>();
  while (cur?.parentLevel && !seen.has(cur.key)) {
    seen.add(cur.key);
    const parent = levels.find((l) => l.key === cur!.parentLevel);
    if (!parent) break;
    cur = parent;
  }
  return cur && cur.key !== key ? cur : null;
}
