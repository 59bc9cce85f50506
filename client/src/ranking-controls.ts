/**
 * Search field and Bezirk filter above the planner's ranking. The filter is kept here (not in the
 * URL) so it survives the re-render of the sidebar when the indicator or period changes; typing
 * narrows the table at once and a status line says how many areas are shown.
 */
import { h, fill, select } from './dom.js';
import { api } from './data.js';
import { renderRanking } from './ranking.js';
import { filterLevel, filterSummary, type RankingFilter } from './ranking-filter.js';
import type { Ctx } from './ctx.js';
import type { Values } from './types.js';

const filter: RankingFilter = { text: '', prefix: '' };
/** The level the prefix belongs to: another level's filter is not applied. */
let filterFor = '';

export function renderRankingWithControls(
  ctx: Ctx,
  box: HTMLElement,
  values: Values,
  onPick: (code: string) => void,
  ...before: HTMLElement[]
): void {
  const level = ctx.store.state.level;
  if (filterFor !== level) {
    filterFor = level;
    filter.prefix = '';
  }
  const table = h('div', {});
  const count = h('p', { class: 'hint', role: 'status', testid: 'ranking-count' });
  const draw = () =>
    renderRanking(table, values, onPick, {
      filter: { ...filter },
      onCount: (shown, total) => (count.textContent = filterSummary(shown, total)),
    });
  const search = h('input', {
    id: 'ranking-search',
    type: 'search',
    testid: 'ranking-search',
    value: filter.text,
    autocomplete: 'off',
    placeholder: 'Name oder Schlüssel',
    oninput: (ev: Event) => {
      filter.text = (ev.target as HTMLInputElement).value;
      draw();
    },
  });
  const bezirk = h('div', {});
  fill(box, ...before, h('label', { for: 'ranking-search' }, 'In der Rangliste suchen'), search, bezirk, count, table);
  draw();
  const top = filterLevel(ctx.levels, level);
  if (top) void bezirkSelect(top.key, top.label, bezirk, draw);
}

/** The areas of the top level (Bezirke) as a select; their codes are the prefixes of the level's codes. */
async function bezirkSelect(topKey: string, label: string, box: HTMLElement, draw: () => void): Promise<void> {
  try {
    const inds = await api.indicators(topKey);
    const ind = inds.find((i) => (i.periods ?? []).length > 0);
    if (!ind?.periods?.length) return;
    const v = await api.values(ind.key, ind.periods[ind.periods.length - 1], topKey);
    const options = [
      { value: '', label: `alle (${label})` },
      ...[...v.values]
        .sort((a, b) => a.name.localeCompare(b.name, 'de'))
        .map((r) => ({ value: r.code, label: r.name })),
    ];
    if (!options.some((o) => o.value === filter.prefix)) filter.prefix = '';
    fill(
      box,
      h('label', { for: 'ranking-bezirk' }, label),
      select({ id: 'ranking-bezirk', testid: 'ranking-bezirk' }, options, filter.prefix, (code) => {
        filter.prefix = code;
        draw();
      }),
    );
  } catch {
    /* without the list the ranking works unfiltered */
  }
}
