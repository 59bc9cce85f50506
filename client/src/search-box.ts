/**
 * The search field of the Beratung and planning views: addresses, streets, areas, Ortsteile and
 * postcodes (GET /api/search) in a combobox list that says what each hit is (search-results.ts).
 * Keyboard: arrow keys move over the choices, Enter takes one (the first without a move), Escape
 * closes. "Nichts gefunden." when nothing matches. A chosen area is selected and flown to, and on a
 * narrow screen the answer (the side panel) is scrolled into view.
 */
import { h, fill } from './dom.js';
import { api } from './data.js';
import { errorMessage } from './api.js';
import { resultSummary, searchRows, type SearchRow } from './search-results.js';
import type { Ctx } from './ctx.js';
import type { SearchHit } from './types.js';

export interface SearchBoxOptions {
  /** id of the input (the label's for=). */
  id: string;
  placeholder?: string;
}

/** The input with its result list and status line; the caller puts a label before it. */
export function searchBox(ctx: Ctx, opts: SearchBoxOptions): HTMLElement {
  const listId = `${opts.id}-list`;
  const input = h('input', {
    id: opts.id,
    type: 'search',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    autocomplete: 'off',
    placeholder: opts.placeholder ?? 'z. B. Ackerstraße 1B, 10115 oder Wedding',
    testid: 'search-input',
  });
  const list = h('ul', {
    id: listId,
    role: 'listbox',
    class: 'suggestions',
    testid: 'search-suggestions',
    hidden: true,
  });
  const status = h('p', { class: 'search-status', role: 'status', 'aria-live': 'polite', testid: 'search-status' });
  let rows: SearchRow[] = [];
  let active = -1;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const options = () => rows.filter((r): r is Extract<SearchRow, { type: 'option' }> => r.type === 'option');

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };
  const choose = (hit: SearchHit, text: string) => {
    input.value = text;
    close();
    fill(status);
    const s = ctx.store.state;
    if (hit.level && hit.level !== s.level && ctx.levels.some((l) => l.key === hit.level))
      ctx.store.set({ level: hit.level });
    ctx.selectArea(hit.code, true);
    revealPanel(ctx.panel);
  };
  const show = () => {
    fill(
      list,
      ...rows.map((r) =>
        r.type === 'group'
          ? h(
              'li',
              { role: 'presentation', class: 'suggestion-group', testid: 'search-group' },
              `${r.label} · ${r.kindLabel} in ${r.count} Gebieten:`,
            )
          : h(
              'li',
              {
                role: 'option',
                id: `${opts.id}-opt-${r.option}`,
                class: r.grouped ? 'grouped' : null,
                'aria-selected': r.option === active ? 'true' : 'false',
                testid: 'search-suggestion',
                'data-code': r.hit.code,
                'data-kind': r.hit.kind ?? 'area',
                onmousedown: (ev: Event) => (ev.preventDefault(), choose(r.hit, r.text)),
              },
              h('span', { class: 'hit-text' }, r.text),
              h('span', { class: 'hit-kind' }, r.detail),
            ),
      ),
    );
    const n = options().length;
    list.hidden = n === 0;
    input.setAttribute('aria-expanded', String(n > 0));
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', `${opts.id}-opt-${active}`);
      list.querySelector(`#${opts.id}-opt-${active}`)?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const search = (text: string) => {
    const my = ++seq;
    api
      .search(text, ctx.store.state.level)
      .then((hits) => {
        if (my !== seq) return;
        rows = searchRows(hits);
        active = -1;
        show();
        fill(status, resultSummary(rows));
        status.classList.toggle('none-found', options().length === 0);
      })
      .catch((err) => {
        if (my !== seq) return;
        rows = [];
        show();
        fill(status, `Suche nicht möglich: ${errorMessage(err)}`);
      });
  };
  input.addEventListener('input', () => {
    const text = input.value.trim();
    clearTimeout(timer);
    if (text.length < 2) {
      seq++;
      rows = [];
      show();
      fill(status);
      return;
    }
    // A short pause while typing: one request per word, not per letter.
    timer = setTimeout(() => search(text), 120);
  });
  input.addEventListener('keydown', (ev) => {
    const opt = options();
    if (ev.key === 'ArrowDown' && opt.length) {
      active = (active + 1) % opt.length;
      show();
      ev.preventDefault();
    } else if (ev.key === 'ArrowUp' && opt.length) {
      active = (active - 1 + opt.length) % opt.length;
      show();
      ev.preventDefault();
    } else if (ev.key === 'Enter') {
      const r = opt[active >= 0 ? active : 0];
      if (r) choose(r.hit, r.text);
      ev.preventDefault();
    } else if (ev.key === 'Escape') {
      rows = [];
      show();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  input.addEventListener('focus', () => {
    if (options().length) show();
  });
  return h('div', { class: 'search-box' }, h('div', { class: 'combo' }, input, list), status);
}

/**
 * On a narrow screen the answer lies below the search field: bring it into view once it is there.
 * On a wide screen the panel is a column beside the map and already visible.
 */
function revealPanel(panel: HTMLElement): void {
  requestAnimationFrame(() => {
    const top = panel.getBoundingClientRect().top;
    if (!panel.hidden && (top > window.innerHeight * 0.6 || top < 0)) panel.scrollIntoView({ block: 'start' });
  });
}
