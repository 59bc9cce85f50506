/**
 * Sortable ranking table of the current indicator; a row click (or Enter) selects and flies to the area.
 * Hidden areas are not ranked: they follow in their own part of the table with the reason
 * ("geheim (Einwohnerzahl)", "geheim (Schutz vor Rückrechnung)"), so the list still names every area.
 * An aggregate below the coverage threshold is ranked and marked "unvollständig".
 */
import { h, fill } from './dom.js';
import { formatValue } from './format.js';
import { hiddenExplanation, hiddenText } from './hidden-reason.js';
import { INCOMPLETE } from './value-source.js';
import type { ValueRow, Values } from './types.js';

export type SortKey = 'name' | 'value';

export function renderRanking(
  el: HTMLElement,
  values: Values,
  onPick: (code: string) => void,
  sort: { key: SortKey; desc: boolean } = { key: 'value', desc: true },
): void {
  const rows = values.values.filter((r) => !r.suppressed && r.value !== null);
  rows.sort((a, b) => {
    const d = sort.key === 'name' ? a.name.localeCompare(b.name, 'de') : (a.value as number) - (b.value as number);
    return sort.desc ? -d : d;
  });
  // Hidden areas in name order whatever the sort: they have no value to sort by.
  const hidden = values.values.filter((r) => r.suppressed).sort((a, b) => a.name.localeCompare(b.name, 'de'));
  const anyIncomplete = rows.some((r) => r.incomplete);
  const header = (key: SortKey, label: string) =>
    h(
      'th',
      { scope: 'col', 'aria-sort': sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none' },
      h(
        'button',
        {
          type: 'button',
          testid: `ranking-sort-${key}`,
          onclick: () =>
            renderRanking(el, values, onPick, { key, desc: sort.key === key ? !sort.desc : key === 'value' }),
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
        tabindex: 0,
        'data-code': r.code,
        onclick: () => onPick(r.code),
        onkeydown: (ev: Event) => {
          if ((ev as KeyboardEvent).key === 'Enter') onPick(r.code);
        },
      },
      ...cells,
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
          pickable(
            r,
            { testid: 'ranking-row', 'data-value': r.value, 'data-incomplete': r.incomplete ? '1' : null },
            h('td', { class: 'num' }, String(i + 1)),
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
            ...hidden.map((r) =>
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
    ),
    anyIncomplete
      ? h(
          'p',
          { class: 'ranking-note', testid: 'ranking-note' },
          `* ${INCOMPLETE}: aus zu wenigen Teilgebieten summiert`,
        )
      : null,
  );
}
