/**
 * Beratung (advice centre): one calm map with names, a search field, the area's type in plain
 * words and a few key figures in large type. No statistics vocabulary on this screen.
 */
import { h, fill, message, select } from './dom.js';
import { api, unwrap } from './data.js';
import { errorMessage } from './api.js';
import { keyFigures } from './key-figures.js';
import { formatToday } from './format.js';
import { withoutStatistics } from './plain-language.js';
import { levelOptions } from './levels.js';
import { hiddenExplanation } from './hidden-reason.js';
import type { Ctx } from './ctx.js';
import type { AreaDetail, SearchHit, TypologyMember } from './types.js';

export function renderBeratung(ctx: Ctx): void {
  const input = h('input', {
    id: 'search',
    type: 'search',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': 'search-list',
    autocomplete: 'off',
    placeholder: 'z. B. Stülerstraße',
    testid: 'search-input',
  });
  const list = h('ul', {
    id: 'search-list',
    role: 'listbox',
    class: 'suggestions',
    testid: 'search-suggestions',
    hidden: true,
  });
  let hits: SearchHit[] = [];
  let active = -1;
  let seq = 0;
  const choose = (hit: SearchHit) => {
    input.value = hit.name;
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    ctx.selectArea(hit.code, true);
  };
  const show = () => {
    fill(
      list,
      ...hits.map((hit, i) =>
        h(
          'li',
          {
            role: 'option',
            id: `opt-${i}`,
            'aria-selected': i === active ? 'true' : 'false',
            testid: 'search-suggestion',
            'data-code': hit.code,
            onmousedown: (ev: Event) => (ev.preventDefault(), choose(hit)),
          },
          hit.name,
          h('span', { class: 'code' }, ` ${hit.code}`),
        ),
      ),
    );
    list.hidden = hits.length === 0;
    input.setAttribute('aria-expanded', String(hits.length > 0));
    if (active >= 0) input.setAttribute('aria-activedescendant', `opt-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };
  input.addEventListener('input', () => {
    const text = input.value.trim();
    const my = ++seq;
    if (text.length < 2) {
      hits = [];
      show();
      return;
    }
    api
      .search(text, ctx.store.state.level)
      .then((r) => {
        if (my !== seq) return;
        hits = r;
        active = -1;
        show();
      })
      .catch((err) => fill(status, message(`Suche: ${errorMessage(err)}`, 'error')));
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' && hits.length) {
      active = (active + 1) % hits.length;
      show();
      ev.preventDefault();
    } else if (ev.key === 'ArrowUp' && hits.length) {
      active = (active - 1 + hits.length) % hits.length;
      show();
      ev.preventDefault();
    } else if (ev.key === 'Enter') {
      const hit = hits[active >= 0 ? active : 0];
      if (hit) choose(hit);
      ev.preventDefault();
    } else if (ev.key === 'Escape') {
      hits = [];
      show();
    }
  });
  const status = h('div', {});
  fill(
    ctx.controls,
    h('h2', {}, 'Beratung'),
    // Search, map and figures follow the level: Planungsräume for a street, Bezirke for an overview.
    h('label', { for: 'b-level', class: 'big' }, 'Gebietsebene'),
    select({ id: 'b-level', testid: 'beratung-level' }, levelOptions(ctx.levels), ctx.store.state.level, (v) =>
      ctx.store.set({ level: v, area: '' }),
    ),
    h('label', { for: 'search', class: 'big' }, 'Gebiet oder Straße suchen'),
    h('div', { class: 'combo' }, input, list),
    status,
    h(
      'p',
      { class: 'hint' },
      'Tippen Sie mindestens zwei Buchstaben. Mit den Pfeiltasten wählen, mit Enter bestätigen.',
    ),
    h(
      'button',
      { type: 'button', class: 'print', testid: 'print-button', onclick: () => window.print() },
      'Karte drucken (A4)',
    ),
  );
}

export async function renderBeratungPanel(ctx: Ctx, panel: HTMLElement, area: AreaDetail): Promise<void> {
  const figures = keyFigures(area, 5);
  // An area hidden for confidentiality has no figures to show: say why instead of showing nothing.
  const hiddenReason = figures.length ? null : area.indicators.find((i) => i.suppressed)?.suppressionReason;
  const typeBox = h('div', { class: 'type-box', testid: 'type-box' }, message('Gebietstyp wird ermittelt …'));
  fill(
    panel,
    h('h2', { class: 'big-name', testid: 'area-name' }, area.name),
    area.parent ? h('p', { class: 'panel-meta' }, `liegt in ${area.parent.name}`) : null,
    typeBox,
    hiddenReason
      ? h(
          'p',
          { class: 'hidden-figures', testid: 'hidden-figures' },
          `Die Zahlen dieses Gebiets sind geheim. ${hiddenExplanation(hiddenReason)}`,
        )
      : null,
    h(
      'dl',
      { class: 'key-figures', testid: 'key-figures' },
      ...figures.flatMap((f) => [
        h('dt', {}, f.label),
        h(
          'dd',
          { 'data-key': f.key },
          h('span', { class: 'figure' }, f.value),
          f.comparison ? h('span', { class: 'comparison' }, f.comparison) : null,
          h('span', { class: 'stand' }, `Stand ${f.stand}`),
        ),
      ]),
    ),
    h('p', { class: 'print-only' }, `Gedruckt am ${formatToday()}`),
  );
  const runId = ctx.store.state.run;
  if (!runId) {
    fill(typeBox, h('p', {}, 'Für dieses Gebiet liegt noch keine Einteilung in Gebietstypen vor.'));
    return;
  }
  try {
    const [run, mem] = await Promise.all([api.typology(runId), api.typologyMembers(runId)]);
    const m = unwrap<TypologyMember>(mem as TypologyMember[], 'members').find((x) => x.code === area.code);
    const t = m ? run.types.find((x) => x.type === m.type) : undefined;
    if (!t) {
      fill(typeBox, h('p', {}, 'Dieses Gebiet ist keinem Gebietstyp zugeordnet (zu wenige Angaben).'));
      return;
    }
    fill(
      typeBox,
      h('p', { class: 'type-name', testid: 'type-label' }, `Gebietstyp: ${t.label || `Typ ${t.type}`}`),
      h('p', { class: 'type-description', testid: 'type-description' }, withoutStatistics(t.description)),
    );
  } catch (err) {
    fill(typeBox, message(`Gebietstyp nicht verfügbar: ${errorMessage(err)}`, 'error'));
  }
}
