/** Sortable ranking table of the current indicator; a row click (or Enter) selects and flies to the area. */
import { h, fill } from './dom.js';
import { formatValue } from './format.js';
import type { Values } from './types.js';

export type SortKey = 'name' | 'value';

export function renderRanking(el: HTMLElement, values: Values, onPick: (code: string) => void, sort: { key: SortKey; desc: boolean } = { key: 'value', desc: true }): void {
  const rows = values.values.filter((r) => !r.suppressed && r.value !== null);
  rows.sort((a, b) => {
    const d = sort.key === 'name' ? a.name.localeCompare(b.name, 'de') : (a.value as number) - (b.value as number);
    return sort.desc ? -d : d;
  });
  const header = (key: SortKey, label: string) =>
    h(
      'th',
      { scope: 'col', 'aria-sort': sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none' },
      h('button', { type: 'button', testid: `ranking-sort-${key}`, onclick: () => renderRanking(el, values, onPick, { key, desc: sort.key === key ? !sort.desc : key === 'value' }) }, label, sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''),
    );
  fill(
    el,
    h(
      'table',
      { class: 'ranking', testid: 'ranking-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Nr.'), header('name', 'Gebiet'), header('value', 'Wert'))),
      h(
        'tbody',
        {},
        ...rows.map((r, i) =>
          h(
            'tr',
            {
              tabindex: 0,
              testid: 'ranking-row',
              'data-code': r.code,
              'data-value': r.value,
              onclick: () => onPick(r.code),
              onkeydown: (ev: Event) => {
                if ((ev as KeyboardEvent).key === 'Enter') onPick(r.code);
              },
            },
            h('td', { class: 'num' }, String(i + 1)),
            h('td', {}, r.name),
            h('td', { class: 'num' }, formatValue(r.value, values.unit)),
          ),
        ),
      ),
    ),
  );
}
