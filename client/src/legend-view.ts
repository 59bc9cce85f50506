/** Renders a Legend (legend.ts) into the map corner and the print layout. */
import { h, fill } from './dom.js';
import type { Legend } from './legend.js';

export function renderLegend(el: HTMLElement, legend: Legend | null): void {
  if (!legend) {
    fill(el);
    el.hidden = true;
    return;
  }
  el.hidden = false;
  fill(
    el,
    h('h2', { class: 'legend-title', testid: 'legend-title' }, legend.title),
    legend.subtitle ? h('p', { class: 'legend-sub' }, legend.subtitle) : null,
    h(
      'ul',
      { class: 'legend-list' },
      ...legend.entries.map((e, i) =>
        h(
          'li',
          { testid: 'legend-entry', 'data-index': i, 'data-from': e.from ?? null, 'data-to': e.to ?? null },
          h('span', { class: 'swatch', style: `background:${e.colour}`, 'aria-hidden': 'true' }),
          h('span', { class: 'legend-label' }, e.label),
          e.count !== undefined ? h('span', { class: 'legend-count' }, `(${e.count})`) : null,
        ),
      ),
      legend.noData
        ? h(
            'li',
            { testid: 'legend-nodata' },
            h('span', { class: 'swatch', style: `background:${legend.noData.colour}`, 'aria-hidden': 'true' }),
            h('span', { class: 'legend-label' }, legend.noData.label),
          )
        : null,
    ),
    legend.note ? h('p', { class: 'legend-note' }, legend.note) : null,
  );
}
