/** Renders a Legend (legend.ts) into the map corner and the print layout. */
import { h, fill } from './dom.js';
import { hatchedBackground, swatchBackground, type Legend, type LegendEntry } from './legend.js';

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
          ...entryParts(e),
        ),
      ),
      legend.noData
        ? h(
            'li',
            { testid: 'legend-nodata' },
            h('span', {
              class: legend.noData.hatched ? 'swatch swatch-hatch' : 'swatch',
              style: legend.noData.hatched
                ? hatchedBackground(legend.noData.colour)
                : `background:${legend.noData.colour}`,
              'aria-hidden': 'true',
              'data-hatched': legend.noData.hatched ? '1' : null,
            }),
            h('span', { class: 'legend-label' }, legend.noData.label),
          )
        : null,
      legend.incomplete
        ? h(
            'li',
            { testid: 'legend-incomplete' },
            h('span', { class: 'swatch swatch-incomplete', 'aria-hidden': 'true' }),
            h('span', { class: 'legend-label' }, legend.incomplete.label),
            h('span', { class: 'legend-count' }, `(${legend.incomplete.count})`),
          )
        : null,
      legend.estimated
        ? h('li', { testid: 'legend-estimated' }, h('span', { class: 'legend-label' }, legend.estimated))
        : null,
    ),
    legend.note ? h('p', { class: 'legend-note' }, legend.note) : null,
    // What is drawn over the fill gets its own part, so fill classes and hatching are not mixed up.
    legend.overlay
      ? h(
          'div',
          { class: 'legend-overlay', testid: 'legend-overlay' },
          h('h3', { class: 'legend-title', testid: 'legend-overlay-title' }, legend.overlay.title),
          legend.overlay.subtitle ? h('p', { class: 'legend-sub' }, legend.overlay.subtitle) : null,
          h(
            'ul',
            { class: 'legend-list' },
            ...legend.overlay.entries.map((e, i) =>
              h('li', { testid: 'legend-overlay-entry', 'data-index': i }, ...entryParts(e)),
            ),
          ),
          legend.overlay.note ? h('p', { class: 'legend-note' }, legend.overlay.note) : null,
        )
      : null,
  );
}

function entryParts(e: LegendEntry): HTMLElement[] {
  return [
    h('span', {
      class: e.pattern ? 'swatch swatch-hatch' : 'swatch',
      style: swatchBackground(e),
      'aria-hidden': 'true',
    }),
    h('span', { class: 'legend-label' }, e.label),
    ...(e.count !== undefined ? [h('span', { class: 'legend-count' }, `(${e.count})`)] : []),
  ];
}
