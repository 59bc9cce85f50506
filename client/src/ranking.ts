/**
 * Sortable ranking table of the current indicator; a row click (or Enter) selects and flies to the area.
 * Hidden areas are not ranked: they follow in their own part of the table with the reason
 * ("geheim (Einwohnerzahl)", "geheim (Schutz vor Rückrechnung)"), so the list still names every area.
 * An aggregate below the coverage threshold is ranked and marked "unvollständig".
 *
 * The table is one tab stop: the two sort buttons and the rows form one list with a roving
 * tabindex; arrow keys, Home/End and PageUp/PageDown move inside it (ranking-filter.ts), Enter or
 * Space picks. Search and Bezirk filter (ranking-controls.ts) hide rows but keep their ranks.
 */
import { h, fill } from './dom.js';
import { formatValue } from './format.js';
import { hiddenExplanation, hiddenText } from './hidden-reason.js';
import { INCOMPLETE } from './value-source.js';
import { applyFilter, nextIndex, NO_FILTER, rankRows, type RankingFilter, type RankingSort } from './ranking-filter.js';
import type { ValueRow, Values } from './types.js';

export type { SortKey } from './ranking-filter.js';

export interface RankingOptions {
  sort?: RankingSort;
  /** Default: no filter. */
  filter?: RankingFilter;
  /** Called with the numbers of rows shown and of all areas after each render. */
  onCount?: (shown: number, total: number) => void;
}

export function renderRanking(
  el: HTMLElement,
  values: Values,
  onPick: (code: string) => void,
  options: RankingOptions = {},
  /** Set on a re-render by a sort button: that button keeps the focus. */
  focusSort?: RankingSort['key'],
): void {
  const sort = options.sort ?? { key: 'value', desc: true };
  const filter = options.filter ?? NO_FILTER;
  const all = rankRows(values, sort);
  const rows = applyFilter(all.ranked, filter);
  const hidden = applyFilter(all.hidden, filter);
  options.onCount?.(rows.length + hidden.length, all.ranked.length + all.hidden.length);
  const anyIncomplete = rows.some((r) => r.row.incomplete);
  const header = (key: RankingSort['key'], label: string) =>
    h(
      'th',
      { scope: 'col', 'aria-sort': sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none' },
      h(
        'button',
        {
          type: 'button',
          tabindex: -1,
          class: 'rove',
          testid: `ranking-sort-${key}`,
          onclick: () =>
            renderRanking(
              el,
              values,
              onPick,
              { ...options, sort: { key, desc: sort.key === key ? !sort.desc : key === 'value' } },
              key,
            ),
        },
        label,
        sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : '',
      ),
    );
  const pickable = (r: ValueRow, attrs: Record<string, string | number | null>, ...cells: HTMLElement[]) =>
    h(
      'tr',
      {
        ...attrs,
        tabindex: -1,
        class: 'rove',
        'data-code': r.code,
        onclick: () => onPick(r.code),
        onkeydown: (ev: Event) => {
          const k = (ev as KeyboardEvent).key;
          if (k === 'Enter' || k === ' ') {
            ev.preventDefault();
            onPick(r.code);
          }
        },
      },
      ...cells,
    );
  const table = h(
    'table',
    {
      class: 'ranking',
      testid: 'ranking-table',
      'aria-label': 'Rangliste; Pfeiltasten bewegen, Eingabe wählt das Gebiet',
    },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Nr.'), header('name', 'Gebiet'), header('value', 'Wert'))),
    h(
      'tbody',
      {},
      ...rows.map(({ row: r, rank }) =>
        pickable(
          r,
          {
            testid: 'ranking-row',
            'data-value': r.value,
            'data-rank': rank,
            'data-incomplete': r.incomplete ? '1' : null,
          },
          h('td', { class: 'num' }, String(rank)),
          h('td', {}, r.name),
          h(
            'td',
            { class: 'num', title: r.incomplete ? `${INCOMPLETE}: nicht genug Teilgebiete erfasst` : null },
            formatValue(r.value, values.unit),
            r.incomplete ? ' *' : '',
          ),
        ),
      ),
    ),
    hidden.length
      ? h(
          'tbody',
          { class: 'ranking-hidden', testid: 'ranking-hidden' },
          h(
            'tr',
            {},
            h('th', { scope: 'rowgroup', colspan: 3 }, `Ohne Rang: ${hidden.length} geheim gehaltene Gebiete`),
          ),
          ...hidden.map(({ row: r }) =>
            pickable(
              r,
              {
                testid: 'ranking-hidden-row',
                'data-reason': r.suppressionReason ?? null,
                title: hiddenExplanation(r.suppressionReason) || null,
              },
              h('td', { class: 'num' }, '–'),
              // Name and reason over both columns: the reason is longer than a number.
              h('td', { colspan: 2 }, r.name, h('span', { class: 'hidden-value' }, hiddenText(r.suppressionReason))),
            ),
          ),
        )
      : null,
  );
  roveFocus(table);
  fill(
    el,
    table,
    rows.length + hidden.length === 0
      ? h('p', { class: 'hint', testid: 'ranking-empty' }, 'Kein Gebiet gefunden.')
      : null,
    anyIncomplete
      ? h(
          'p',
          { class: 'ranking-note', testid: 'ranking-note' },
          `* ${INCOMPLETE}: aus zu wenigen Teilgebieten summiert`,
        )
      : null,
  );
  if (focusSort) table.querySelector<HTMLElement>(`[data-testid="ranking-sort-${focusSort}"]`)?.focus();
}

/**
 * One tab stop for the whole table: the items (sort buttons, then rows) have tabindex −1 but the
 * current one 0; keys move the current item and its focus. The first row starts as current.
 */
function roveFocus(table: HTMLElement): void {
  const items = () => [...table.querySelectorAll<HTMLElement>('.rove')];
  const list = items();
  const start = list.find((e) => e.tagName === 'TR') ?? list[0];
  if (start) start.tabIndex = 0;
  table.addEventListener('keydown', (ev) => {
    const all = items();
    const i = all.indexOf(ev.target as HTMLElement);
    if (i < 0) return;
    const j = nextIndex(i, ev.key, all.length);
    if (j === null) return;
    ev.preventDefault();
    all[i].tabIndex = -1;
    all[j].tabIndex = 0;
    all[j].focus();
  });
  // A click (or focus by other means) makes that item the current one.
  table.addEventListener('focusin', (ev) => {
    const t = ev.target as HTMLElement;
    if (!t.classList.contains('rove')) return;
    for (const e of items()) e.tabIndex = e === t ? 0 : -1;
  });
}
