/** The Sozialstruktur-Profil of the selected area (planner view). */
import { h, fill, message } from './dom.js';
import { formatPeriod, formatRank, formatValue, decimalsFor } from './format.js';
import { seriesPanels } from './series-data.js';
import type { AreaDetail } from './types.js';

export function renderProfile(el: HTMLElement, area: AreaDetail, highlight: string, onClose: () => void): void {
  const rows = area.indicators.map((i) =>
    h(
      'tr',
      { testid: `profile-row-${i.key}`, 'data-key': i.key, 'data-value': i.value ?? '', class: i.key === highlight ? 'current' : null },
      h(
        'th',
        { scope: 'row', title: i.key },
        i.label,
        // An indicator not updated at this date shows its latest earlier value, and says so.
        i.period && i.period !== area.period ? h('span', { class: 'stand', testid: `profile-stand-${i.key}` }, ` (Stand ${formatPeriod(i.period)})`) : null,
      ),
      h('td', { class: 'num', testid: `profile-value-${i.key}` }, i.suppressed ? 'geheim' : formatValue(i.value, i.unit, undefined, decimalsFor(i.unit))),
      h('td', { class: 'num' }, formatValue(i.parentValue, i.unit)),
      h('td', { class: 'num' }, formatValue(i.regionValue, i.unit)),
      h('td', { class: 'num' }, formatRank(i.rank, i.n)),
    ),
  );
  const charts = h('div', { class: 'profile-charts' }, message('Diagramme werden geladen …'));
  fill(
    el,
    h(
      'header',
      { class: 'panel-head' },
      h('h2', { testid: 'area-name' }, area.name),
      h('button', { type: 'button', class: 'close', 'aria-label': 'Profil schließen', onclick: onClose }, '×'),
    ),
    h(
      'p',
      { class: 'panel-meta' },
      `Gebiet ${area.code}`,
      area.parent ? ` · in ${area.parent.name}` : '',
      area.population !== null ? ` · ${formatValue(area.population, 'Einw.', 'count')}` : '',
      ` · Stand ${formatPeriod(area.period)}`,
    ),
    h(
      'table',
      { class: 'profile', testid: 'profile-table' },
      h('caption', {}, 'Sozialstruktur-Profil'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Indikator'), h('th', { scope: 'col' }, 'Wert'), h('th', { scope: 'col' }, area.parent ? 'Über\u00ADgeordnet' : '–'), h('th', { scope: 'col' }, 'Gesamt'), h('th', { scope: 'col' }, 'Rang'))),
      h('tbody', {}, ...rows),
    ),
    charts,
    h('p', {}, h('a', { href: `/profile/${encodeURIComponent(area.level)}/${encodeURIComponent(area.code)}`, target: '_blank', rel: 'noopener', testid: 'profile-print-link' }, 'Druckfassung des Profils öffnen')),
  );
  void import('./charts.js')
    .then((c) => {
      const bars = area.indicators
        .filter((i) => i.value !== null && i.regionValue && i.polarity !== 0)
        .map((i) => ({ label: i.label.length > 24 ? i.label.slice(0, 23) + '…' : i.label, value: (100 * i.value!) / i.regionValue!, parent: i.parentValue !== null ? (100 * i.parentValue) / i.regionValue! : null }));
      const parts: HTMLElement[] = [];
      if (bars.length) parts.push(c.profileBars(bars));
      // Every indicator with several periods, not only the selected one: trends side by side.
      const series = seriesPanels(area.indicators, highlight);
      if (series.length) parts.push(c.seriesMultiples(series));
      fill(charts, ...parts);
    })
    .catch(() => fill(charts, message('Diagramme konnten nicht geladen werden.', 'error')));
}
