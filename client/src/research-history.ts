/**
 * The run history of the research view: every stored typology run as a table row (a click or
 * Enter shows it), and the comparison of two runs (adjusted Rand index and transition heatmap).
 */
import { h, fill, message } from './dom.js';
import { api, unwrap } from './data.js';
import { errorMessage, fetchJson } from './api.js';
import { transitionCells } from './typology-data.js';
import { formatNumber } from './format.js';
import { describeParams } from './run-description.js';
import type { Ctx } from './ctx.js';
import type { RunSummary } from './types.js';

export async function renderHistory(ctx: Ctx, box: HTMLElement): Promise<void> {
  try {
    const runs = unwrap<RunSummary>((await api.typologies()) as RunSummary[], 'runs');
    if (!runs.length) return fill(box, h('p', {}, 'Noch keine Läufe.'));
    const sel = ctx.store.state.run;
    const show = (r: RunSummary) => ctx.store.set({ run: String(r.id), k: 0 });
    const pickA = h(
      'select',
      { 'aria-label': 'Lauf A', testid: 'compare-a' },
      ...runs.map((r) => h('option', { value: String(r.id) }, `Nr. ${r.id}`)),
    );
    const pickB = h(
      'select',
      { 'aria-label': 'Lauf B', testid: 'compare-b' },
      ...runs.map((r, i) => h('option', { value: String(r.id), selected: i === 1 }, `Nr. ${r.id}`)),
    );
    const cmpBox = h('div', { testid: 'compare-result' });
    fill(
      box,
      h(
        'table',
        { class: 'history' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, 'Nr.'), h('th', {}, 'erstellt'), h('th', {}, 'Parameter'), h('th', {}, 'k')),
        ),
        h(
          'tbody',
          {},
          ...runs.map((r) =>
            h(
              'tr',
              {
                tabindex: 0,
                testid: 'history-row',
                'data-run': String(r.id),
                class: String(r.id) === sel ? 'current' : null,
                onclick: () => show(r),
                onkeydown: (ev: Event) => (ev as KeyboardEvent).key === 'Enter' && show(r),
              },
              h('td', {}, String(r.id)),
              h('td', {}, r.createdAt ? new Date(r.createdAt).toLocaleString('de-DE') : ''),
              h('td', { class: 'params' }, describeParams(r.params, r)),
              h('td', { class: 'num' }, String(r.chosenK)),
            ),
          ),
        ),
      ),
      runs.length > 1
        ? h(
            'div',
            { class: 'row' },
            pickA,
            pickB,
            h(
              'button',
              {
                type: 'button',
                testid: 'compare-button',
                onclick: () => void compare(pickA.value, pickB.value, cmpBox),
              },
              'Vergleichen',
            ),
          )
        : null,
      cmpBox,
    );
  } catch (err) {
    fill(box, message(`Verlauf: ${errorMessage(err)}`, 'error'));
  }
}

async function compare(a: string, b: string, box: HTMLElement): Promise<void> {
  if (a === b) return fill(box, message('Bitte zwei verschiedene Läufe wählen.'));
  fill(box, message('Vergleich wird berechnet …'));
  try {
    const res = await fetchJson<{ ari?: number; adjustedRandIndex?: number; table?: unknown; transitions?: unknown }>(
      `/api/typologies/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`,
    );
    const cells = transitionCells(res.table ?? res.transitions);
    const ari = res.ari ?? res.adjustedRandIndex ?? NaN;
    const charts = await import('./charts.js');
    fill(
      box,
      h('p', { testid: 'compare-ari' }, `Übereinstimmung (bereinigter Rand-Index): ${formatNumber(ari, 3)}`),
      charts.heatmap(
        cells.map((c) => ({ x: `B: Typ ${c.to}`, y: `A: Typ ${c.from}`, v: c.count })),
        {
          label: `Übergänge von Lauf ${a} (Zeilen) zu Lauf ${b} (Spalten), Anzahl Gebiete`,
          testid: 'chart-transition',
        },
      ),
    );
  } catch (err) {
    fill(box, message(errorMessage(err), 'error'));
  }
}
