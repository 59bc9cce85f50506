/**
 * The search field's results as rows to show. Pure, tested in node.
 * Each hit of GET /api/search names what matched (an address, a street, an area, an Ortsteil, a
 * postcode) and the area it leads to. The list says the kind in plain words; a street or postcode
 * that lies in several areas becomes one heading with its areas as the choices under it, so the
 * user picks the area instead of guessing among equal-looking lines.
 */
import type { SearchHit } from './types.js';

export type HitKind = NonNullable<SearchHit['kind']>;

export const KIND_LABELS: Readonly<Record<HitKind, string>> = {
  address: 'Adresse',
  street: 'Straße',
  area: 'Gebiet',
  ortsteil: 'Ortsteil',
  postcode: 'Postleitzahl',
};

/** A hit with kind and label filled in (an older server sent the area alone: kind "area", label = name). */
export function normalizeHit(hit: SearchHit): Required<Pick<SearchHit, 'kind' | 'label'>> & SearchHit {
  const kind = hit.kind && hit.kind in KIND_LABELS ? hit.kind : 'area';
  return { ...hit, kind, label: hit.label || hit.name };
}

export type SearchRow =
  /** A street or postcode found in several areas: a heading, not a choice. */
  | { type: 'group'; label: string; kindLabel: string; count: number }
  /**
   * A choice. text: what to show first; detail: the kind in plain words and the area it leads to;
   * option: the position among the choices (arrow keys move over choices only).
   */
  | { type: 'option'; hit: SearchHit; text: string; detail: string; option: number; grouped: boolean };

/** Rows in the server's order; hits with the same kind and label after the first are gathered under it. */
export function searchRows(hits: readonly SearchHit[]): SearchRow[] {
  const norm = hits.map(normalizeHit);
  const groups = new Map<string, typeof norm>();
  for (const h of norm) {
    const key = `${h.kind}\u0000${h.label.toLocaleLowerCase('de')}`;
    const g = groups.get(key);
    if (g) g.push(h);
    else groups.set(key, [h]);
  }
  const rows: SearchRow[] = [];
  let option = 0;
  for (const g of groups.values()) {
    const first = g[0];
    const kindLabel = KIND_LABELS[first.kind];
    // The same area twice (two house numbers of one street in one area) is one choice.
    const areas = g.filter((h, i) => g.findIndex((x) => x.code === h.code && x.level === h.level) === i);
    if (areas.length > 1) {
      rows.push({ type: 'group', label: first.label, kindLabel, count: areas.length });
      for (const h of areas)
        rows.push({
          type: 'option',
          hit: h,
          text: h.name,
          detail: `${kindLabel} in diesem Gebiet`,
          option: option++,
          grouped: true,
        });
    } else {
      const detail = first.label === first.name ? kindLabel : `${kindLabel} · im Gebiet ${first.name}`;
      rows.push({ type: 'option', hit: first, text: first.label, detail, option: option++, grouped: false });
    }
  }
  return rows;
}

/** "1 Treffer" / "3 Treffer in 2 Gebieten" … for the screen-reader status; "Nichts gefunden." for none. */
export function resultSummary(rows: readonly SearchRow[]): string {
  const n = rows.filter((r) => r.type === 'option').length;
  if (n === 0) return 'Nichts gefunden.';
  return n === 1
    ? '1 Treffer. Mit Enter übernehmen.'
    : `${n} Treffer. Mit den Pfeiltasten wählen, mit Enter übernehmen.`;
}
