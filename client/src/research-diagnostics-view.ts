/**
 * The research view's sections about a run itself: its diagnostics (k-choice reasons and votes, k at
 * the edge of the range, redundant indicators, explained variance, a skipped rotation, warnings), the
 * numeric table of the quality measures per k, and the editor's actions on a stored run: load its
 * parameters into the form and publish it for planning and counselling (PUT /api/typologies/{id}/published,
 * token). The reading is pure (research-diagnostics.ts); this module only renders.
 */
import { h, fill, message } from './dom.js';
import { errorMessage, fetchJson, canWrite } from './api.js';
import { api } from './data.js';
import { formatNumber, formatShare } from './format.js';
import { elbowOf, qualityRows, runDiagnostics } from './research-diagnostics.js';
import type { TypologyRun } from './types.js';

/** The diagnostics of a run, or null when the run JSON carries none. */
export function diagnosticsSection(run: TypologyRun, label: (key: string) => string): HTMLElement | null {
  const d = runDiagnostics(run);
  const items: (HTMLElement | null)[] = [];
  if (d.reasons.length)
    items.push(
      h('h4', {}, 'Wahl von k'),
      h('ul', { testid: 'diag-reasons' }, ...d.reasons.map((r) => h('li', {}, r))),
      d.votes.length
        ? h(
            'p',
            { testid: 'diag-votes' },
            'Stimmen: ',
            d.votes.map((v) => `k = ${v.k}: ${v.criteria.length} (${v.criteria.join(', ')})`).join('; '),
          )
        : null,
    );
  if (d.kAtEdge) items.push(h('p', { class: 'warning', testid: 'diag-k-edge' }, d.kAtEdge));
  if (d.rotationSkipped) items.push(h('p', { class: 'warning', testid: 'diag-rotation' }, d.rotationSkipped));
  if (d.redundant.length)
    items.push(
      h('h4', {}, 'Fast redundante Indikatoren'),
      h(
        'ul',
        { testid: 'diag-redundant' },
        ...d.redundant.map((p) =>
          h('li', {}, `${label(p.a)} und ${label(p.b)}: r = ${formatNumber(p.r, 3)} (diese Dimension zählt doppelt)`),
        ),
      ),
    );
  if (d.explained.length)
    items.push(
      h('h4', {}, 'Erklärte Varianz der Hauptkomponenten'),
      h(
        'table',
        { class: 'numeric', testid: 'diag-explained' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Komponente'), h('th', {}, 'Anteil'), h('th', {}, 'kumuliert'))),
        h(
          'tbody',
          {},
          ...d.explained.map((e) =>
            h(
              'tr',
              { class: d.retained !== null && e.component <= d.retained ? 'current' : null },
              h('td', {}, `HK ${e.component}`),
              h('td', { class: 'num' }, formatShare(e.ratio, 1)),
              h('td', { class: 'num' }, formatShare(e.cumulative, 1)),
            ),
          ),
        ),
      ),
      d.retained !== null ? h('p', { class: 'hint' }, `Behalten: ${d.retained} Komponente(n).`) : null,
    );
  if (d.warnings.length)
    items.push(
      h('h4', {}, 'Hinweise des Laufs'),
      h('ul', { testid: 'diag-warnings' }, ...d.warnings.map((w) => h('li', {}, w))),
    );
  if (!items.some(Boolean)) return null;
  return h('section', { testid: 'run-diagnostics' }, h('h3', {}, 'Diagnose des Laufs'), ...items);
}

/** The quality measures per k as numbers; the best value of each measure bold, the chosen k marked. */
export function qualityTable(run: TypologyRun): HTMLElement | null {
  if (!run.byK?.length) return null;
  const rows = qualityRows(run.byK, run.chosenK, elbowOf(run));
  const cell = (v: number, decimals: number, best: boolean) =>
    h(
      'td',
      { class: best ? 'num best' : 'num' },
      best ? h('strong', {}, formatNumber(v, decimals)) : formatNumber(v, decimals),
    );
  return h(
    'table',
    { class: 'numeric', testid: 'quality-table' },
    h('caption', {}, 'Gütemaße je k (fett: bestes Maß; Fehlerquadratsumme: Ellbogen)'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'k'),
        h('th', {}, 'Fehlerquadratsumme'),
        h('th', {}, 'Silhouette'),
        h('th', {}, 'Calinski-Harabasz'),
        h('th', {}, 'Davies-Bouldin'),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-k': String(r.k), class: r.chosen ? 'current' : null, testid: 'quality-row' },
          h('td', {}, r.chosen ? `${r.k} (gewählt)` : String(r.k)),
          cell(r.inertia, 1, r.best.inertia),
          cell(r.silhouette, 3, r.best.silhouette),
          cell(r.calinskiHarabasz, 1, r.best.calinskiHarabasz),
          cell(r.daviesBouldin, 3, r.best.daviesBouldin),
        ),
      ),
    ),
  );
}

/**
 * "Parameter übernehmen" (loads the run's parameters into the form) and "Veröffentlichen" (the run
 * becomes the one planning and counselling show for its level; the token is needed).
 */
export function runActions(run: TypologyRun, adopt: (run: TypologyRun) => void): HTMLElement {
  const status = h('div', { 'aria-live': 'polite', testid: 'publish-status' });
  const published = (run as unknown as { published?: boolean }).published === true;
  const setPublished = async (on: boolean) => {
    if (!canWrite())
      return fill(
        status,
        message('Zum Veröffentlichen bitte zuerst anmelden oder das Zugangstoken eintragen.', 'error'),
      );
    try {
      const res = await fetchJson<{ id: number; level: string; published: boolean; unpublished: number | null }>(
        `/api/typologies/${encodeURIComponent(String(run.runId))}/published`,
        { method: 'PUT', body: JSON.stringify({ published: on }), auth: true },
      );
      api.forget('/api/typologies');
      fill(
        status,
        message(
          res.published
            ? `Lauf ${res.id} ist veröffentlicht: Planung und Beratung zeigen ihn für die Ebene ${res.level}${res.unpublished !== null ? ` (statt Lauf ${res.unpublished})` : ''}.`
            : `Lauf ${res.id} ist nicht mehr veröffentlicht.`,
        ),
      );
    } catch (err) {
      fill(status, message(errorMessage(err), 'error'));
    }
  };
  return h(
    'section',
    { testid: 'run-actions' },
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', testid: 'adopt-params', onclick: () => adopt(run) }, 'Parameter übernehmen'),
      h(
        'button',
        { type: 'button', testid: 'publish-run', onclick: () => void setPublished(!published) },
        published ? 'Veröffentlichung zurücknehmen' : 'Veröffentlichen',
      ),
    ),
    h(
      'p',
      { class: 'hint', testid: 'publish-state' },
      published
        ? 'Dieser Lauf ist veröffentlicht: Planung und Beratung zeigen ihn.'
        : 'Forschungslauf: nicht veröffentlicht, Planung und Beratung zeigen ihn nicht.',
    ),
    status,
  );
}
