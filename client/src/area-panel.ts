/**
 * The Sozialstruktur-Profil of the selected area (planner view), on every level: each value with
 * its origin (imported, summed from the child level with its coverage, or by formula), an
 * "unvollständig" mark where the sum covers too little of the population, and the reason of a
 * hidden value.
 */
import { h, fill, message } from './dom.js';
import { formatPeriod, formatRank, formatValue, decimalsFor } from './format.js';
import { seriesPanels } from './series-data.js';
import { hiddenExplanation, hiddenText } from './hidden-reason.js';
import { INCOMPLETE, sourceText } from './value-source.js';
import type { AreaDetail, AreaIndicator } from './types.js';

/**
 * @param childLabel label of the level this area's values are summed from ("Planungsraum"); null on the lowest level
 */
export function renderProfile(
  el: HTMLElement,
  area: AreaDetail,
  highlight: string,
  onClose: () => void,
  childLabel: string | null = null,
  printUrl: string | null = null,
): void {
  const origin = (i: AreaIndicator) => sourceText(i, childLabel);
  // A sum that misses children says so in its row; a complete one only in the title (no noise).
  const partial = (i: AreaIndicator) =>
    !i.suppressed &&
    (i.incomplete ||
      (typeof i.nChildren === 'number' && typeof i.nChildrenTotal === 'number' && i.nChildren < i.nChildrenTotal));
  const rows = area.indicators.map((i) =>
    h(
      'tr',
      {
        testid: `profile-row-${i.key}`,
        'data-key': i.key,
        'data-value': i.value ?? '',
        'data-incomplete': i.incomplete ? '1' : null,
        class: i.key === highlight ? 'current' : null,
      },
      h(
        'th',
        { scope: 'row', title: [i.key, origin(i)].filter(Boolean).join(' · ') },
        i.label,
        // An indicator not updated at this date shows its latest earlier value, and says so.
        i.period && i.period !== area.period
          ? h('span', { class: 'stand', testid: `profile-stand-${i.key}` }, ` (Stand ${formatPeriod(i.period)})`)
          : null,
        partial(i) ? h('span', { class: 'source', testid: `profile-source-${i.key}` }, origin(i)) : null,
      ),
      h(
        'td',
        {
          class: i.suppressed ? 'num hidden-value' : 'num',
          testid: `profile-value-${i.key}`,
          title: i.suppressed ? hiddenExplanation(i.suppressionReason) || null : null,
        },
        i.suppressed ? hiddenText(i.suppressionReason) : formatValue(i.value, i.unit, undefined, decimalsFor(i.unit)),
        i.incomplete && !i.suppressed
          ? h('span', { class: 'incomplete-badge', testid: `profile-incomplete-${i.key}` }, INCOMPLETE)
          : null,
      ),
      h('td', { class: 'num' }, formatValue(i.parentValue, i.unit)),
      h('td', { class: 'num' }, formatValue(i.regionValue, i.unit)),
      h('td', { class: 'num' }, formatRank(i.rank, i.n)),
    ),
  );
  const charts = h('div', { class: 'profile-charts' }, message('Diagramme werden geladen …'));
  const current = area.indicators.find((i) => i.key === highlight);
  // Hidden areas are hidden as a whole (one decision per area and period): explain the reason once.
  const hiddenReason = (current?.suppressed ? current : area.indicators.find((i) => i.suppressed))?.suppressionReason;
  const hiddenNote = hiddenExplanation(hiddenReason);
  const currentOrigin = current && !current.suppressed ? origin(current) : '';
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
      `${area.levelLabel ?? 'Gebiet'} ${area.code}`,
      area.parent ? ` · in ${area.parent.name}` : '',
      area.population !== null ? ` · ${formatValue(area.population, 'Einw.', 'count')}` : '',
      ` · Stand ${formatPeriod(area.period)}`,
    ),
    // Where the value on the map comes from: "Kinderarmut: aus 12 von 13 Planungsräumen, 97 % der Einwohner".
    current && currentOrigin
      ? h(
          'p',
          { class: 'value-source', testid: 'value-source', 'data-key': current.key },
          h('span', { testid: 'value-source-text' }, `${current.label}: ${currentOrigin}`),
          current.incomplete
            ? h('span', { class: 'incomplete-badge', testid: 'value-source-incomplete' }, INCOMPLETE)
            : null,
        )
      : null,
    hiddenNote
      ? h('p', { class: 'value-source', testid: 'hidden-note' }, `${hiddenText(hiddenReason)}: ${hiddenNote}`)
      : null,
    h(
      'table',
      { class: 'profile', testid: 'profile-table' },
      h('caption', {}, 'Sozialstruktur-Profil'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Indikator'),
          h('th', { scope: 'col' }, 'Wert'),
          h('th', { scope: 'col' }, area.parent ? 'Über\u00ADgeordnet' : '–'),
          h('th', { scope: 'col' }, 'Gesamt'),
          h('th', { scope: 'col' }, 'Rang'),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
    charts,
    h(
      'p',
      {},
      h(
        'a',
        {
          href: printUrl ?? `/profile/${encodeURIComponent(area.level)}/${encodeURIComponent(area.code)}`,
          target: '_blank',
          rel: 'noopener',
          testid: 'profile-print-link',
        },
        'Druckfassung des Profils öffnen',
      ),
    ),
  );
  void import('./charts.js')
    .then((c) => {
      const bars = area.indicators
        .filter((i) => i.value !== null && i.regionValue && i.polarity !== 0)
        .map((i) => ({
          label: i.label.length > 24 ? i.label.slice(0, 23) + '…' : i.label,
          value: (100 * i.value!) / i.regionValue!,
          parent: i.parentValue !== null ? (100 * i.parentValue) / i.regionValue! : null,
        }));
      const parts: HTMLElement[] = [];
      if (bars.length) parts.push(c.profileBars(bars));
      // Every indicator with several periods, not only the selected one: trends side by side.
      const series = seriesPanels(area.indicators, highlight);
      if (series.length) parts.push(c.seriesMultiples(series));
      fill(charts, ...parts);
    })
    .catch(() => fill(charts, message('Diagramme konnten nicht geladen werden.', 'error')));
}
