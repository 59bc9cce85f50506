/** Sidebar of the planner view (Sozialplanung): indicator, period, classification, hotspots, change, ranking. */
import { h, fill, message, select } from './dom.js';
import { indicatorSourceLine } from './indicator-source.js';
import { CLASS_METHODS, MIN_CLASSES, MAX_CLASSES, type ClassMethod } from './classify.js';
import { formatPeriod } from './format.js';
import { periodFor, changePeriods } from './periods.js';
import { api, unwrap } from './data.js';
import { canWrite, errorMessage, postJson } from './api.js';
import { changeLinks, rankingLinks } from './excel-links.js';
import { excelLinksRow } from './excel-links-view.js';
import { renderRankingWithControls } from './ranking-controls.js';
import { changeRanking } from './ranking-data.js';
import { renderWarnings } from './warnings-panel.js';
import { HOTSPOT_DEFAULTS } from '../../analysis/hotspot-defaults.js';
import type { Ctx } from './ctx.js';
import type { HotspotRunSummary } from './types.js';
import type { HotspotMode, PlannerLayer } from './url-state.js';
import { OVERLAY_LEVELS, type OverlayLevel } from './hotspot-overlay.js';
import { levelOptions } from './levels.js';
import { searchBox } from './search-box.js';
import { renderComparePanel } from './compare-panel.js';
import { appendIndexLine } from './index-map.js';

export function indicatorOptions(ctx: Ctx): { value: string; label: string }[] {
  return ctx.indicators
    .filter((i) => i.kind !== 'class')
    .map((i) => ({ value: i.key, label: `${i.label}${i.unit ? ` (${i.unit})` : ''}` }));
}

export function renderPlanner(ctx: Ctx): void {
  const { store } = ctx;
  const s = store.state;
  const level = ctx.levels.find((l) => l.key === s.level);
  const periods = (ctx.indicators.find((i) => i.key === s.indicator)?.periods ?? level?.periods ?? []).map((p) => ({
    value: p,
    label: formatPeriod(p),
  }));
  const layerRadio = (value: PlannerLayer, label: string) =>
    h(
      'label',
      { class: 'radio' },
      h('input', {
        type: 'radio',
        name: 'layer',
        value,
        checked: s.layer === value,
        testid: `layer-${value}`,
        onchange: () => store.set({ layer: value }),
      }),
      label,
    );
  const hotBox = h('div', { class: 'sub', testid: 'hotspot-controls' });
  const changeBox = h('div', { class: 'sub', testid: 'change-controls' });
  const overlayBox = h('div', { class: 'sub', testid: 'overlay-controls' });
  const ranking = h('div', { class: 'ranking-box' }, message('Rangliste wird geladen …'));
  const warningsBox = h('div', { testid: 'warnings' });
  const compareBox = h('div', { testid: 'compare' });
  const indexLayer = s.layer === 'status' || s.layer === 'dynamik';
  fill(
    ctx.controls,
    h('h2', {}, 'Sozialplanung'),
    h('label', { for: 'plan-search' }, 'Adresse, Straße oder Gebiet suchen'),
    searchBox(ctx, { id: 'plan-search' }),
    h('label', { for: 'sel-level' }, 'Gebietsebene'),
    // An area code belongs to one level: the selection is cleared with the level.
    select({ id: 'sel-level', testid: 'select-level' }, levelOptions(ctx.levels), s.level, (v) =>
      store.set({ level: v, area: '' }),
    ),
    h('label', { for: 'sel-indicator' }, 'Indikator'),
    select({ id: 'sel-indicator', testid: 'select-indicator' }, indicatorOptions(ctx), s.indicator, (v) =>
      // An indicator without values at the current period brings its own period along.
      store.set({
        indicator: v,
        period: periodFor(store.state.period, ctx.indicators.find((i) => i.key === v)?.periods, level?.defaultPeriod),
      }),
    ),
    h(
      'p',
      { class: 'hint', testid: 'indicator-description' },
      ctx.indicators.find((i) => i.key === s.indicator)?.description ?? '',
    ),
    h(
      'p',
      {
        class: 'hint',
        testid: 'indicator-source',
        hidden: !indicatorSourceLine(ctx.indicators.find((i) => i.key === s.indicator)),
      },
      indicatorSourceLine(ctx.indicators.find((i) => i.key === s.indicator)),
    ),
    // The change map has its own two periods (von/bis): the single period does not apply there.
    h(
      'div',
      { hidden: s.layer === 'veraenderung', testid: 'period-control' },
      h('label', { for: 'sel-period' }, 'Zeitpunkt'),
      select({ id: 'sel-period', testid: 'select-period' }, periods, s.period, (v) => store.set({ period: v })),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Darstellung'),
      layerRadio('indikator', 'Indikatorkarte'),
      layerRadio('hotspots', 'Hotspots'),
      layerRadio('veraenderung', 'Veränderung'),
      layerRadio('status', 'MSS-Status-Index'),
      layerRadio('dynamik', 'MSS-Dynamik-Index'),
    ),
    indexLayer
      ? h(
          'p',
          { class: 'hint', testid: 'index-hint' },
          'Monitoring Soziale Stadtentwicklung: Klassen aus den Index-Indikatoren zum gewählten Zeitpunkt; unabhängig vom gewählten Indikator.',
        )
      : null,
    h(
      'div',
      // Fixed classes (hotspots, MSS index): the classification does not apply.
      { class: 'row', hidden: s.layer === 'hotspots' || indexLayer },
      h(
        'div',
        {},
        h('label', { for: 'sel-method' }, 'Klassenbildung'),
        select(
          { id: 'sel-method', testid: 'select-method' },
          CLASS_METHODS.map((m) => ({ value: m.key, label: m.label })),
          s.method,
          (v) => store.set({ method: v as ClassMethod }),
        ),
      ),
      h(
        'div',
        {},
        h('label', { for: 'sel-classes' }, 'Klassen'),
        select(
          { id: 'sel-classes', testid: 'select-classes' },
          Array.from({ length: MAX_CLASSES - MIN_CLASSES + 1 }, (_, i) => ({
            value: String(i + MIN_CLASSES),
            label: String(i + MIN_CLASSES),
          })),
          String(s.classes),
          (v) => store.set({ classes: Number(v) }),
        ),
      ),
    ),
    s.layer === 'indikator' ? overlayBox : null,
    s.layer === 'hotspots' ? hotBox : null,
    s.layer === 'veraenderung' ? changeBox : null,
    h('details', { open: true }, h('summary', {}, 'Rangliste'), ranking),
    h(
      'details',
      {
        testid: 'warnings-box',
        ontoggle: (ev: Event) => {
          const d = ev.currentTarget as HTMLDetailsElement;
          if (d.open && !d.dataset.loaded) {
            d.dataset.loaded = '1';
            void renderWarnings(ctx, warningsBox);
          }
        },
      },
      h('summary', {}, 'Frühwarnungen'),
      warningsBox,
    ),
    h(
      'details',
      {
        testid: 'compare-box',
        ontoggle: (ev: Event) => {
          const d = ev.currentTarget as HTMLDetailsElement;
          if (d.open && !d.dataset.loaded) {
            d.dataset.loaded = '1';
            renderComparePanel(ctx, compareBox);
          }
        },
      },
      h('summary', {}, 'Gebiete vergleichen'),
      compareBox,
    ),
  );
  if (indexLayer && s.area) void appendIndexLine(ctx.panel, s.level, s.period, s.area);
  if (s.layer === 'hotspots') void renderHotspotControls(ctx, hotBox);
  if (s.layer === 'indikator') renderOverlayControls(ctx, overlayBox);
  const selectedInd = ctx.indicators.find((i) => i.key === s.indicator);
  const rerender = (patch: { from?: string; to?: string }) => {
    store.set(patch);
    renderPlanner(ctx);
    ctx.controls.querySelector<HTMLElement>(patch.from !== undefined ? '#sel-from' : '#sel-to')?.focus();
  };
  if (s.layer === 'veraenderung') {
    const all = periods;
    fill(
      changeBox,
      all.length < 2
        ? message('Für diesen Indikator gibt es nur einen Zeitpunkt; eine Veränderung lässt sich nicht berechnen.')
        : null,
      selectedInd && selectedInd.polarity === 0
        ? h(
            'p',
            { class: 'hint', testid: 'change-no-direction' },
            'Dieser Indikator hat keine Richtung: die Farben zeigen Zu- und Abnahme, nicht besser oder schlechter.',
          )
        : null,
      h('label', { for: 'sel-from' }, 'von'),
      select({ id: 'sel-from', testid: 'select-from' }, all, s.from || all[0]?.value || '', (v) =>
        // The ranking follows the periods (the store re-renders the planner only for its own keys).
        rerender({ from: v }),
      ),
      h('label', { for: 'sel-to' }, 'bis'),
      select({ id: 'sel-to', testid: 'select-to' }, all, s.to || all[all.length - 1]?.value || '', (v) =>
        rerender({ to: v }),
      ),
    );
    // A new indicator may lack the chosen periods: fall back to its longest span.
    const pair = changePeriods(
      s.from,
      s.to,
      all.map((p) => p.value),
    );
    if (pair && (pair.from !== s.from || pair.to !== s.to)) store.set(pair);
  }
  const ind = ctx.indicators.find((i) => i.key === s.indicator);
  const pick = (code: string) => ctx.selectArea(code, true);
  const from = store.state.from;
  const to = store.state.to;
  if (ind && s.layer === 'veraenderung' && from && to && from !== to) {
    // On the change map the ranking sorts by the change between the two periods.
    const unit = ind.kind === 'rate' ? 'Prozentpunkte' : ind.unit;
    Promise.all([api.values(ind.key, to, s.level), api.change(ind.key, s.level, from, to)])
      .then(([v, c]) => {
        renderRankingWithControls(
          ctx,
          ranking,
          changeRanking(v, c.members, unit),
          pick,
          h(
            'p',
            { class: 'hint', testid: 'ranking-change' },
            `Veränderung ${formatPeriod(from)} → ${formatPeriod(to)}`,
          ),
          excelLinksRow(changeLinks(ind.key, s.level, from, to), 'ranking-downloads'),
        );
      })
      .catch((err) => fill(ranking, message(errorMessage(err), 'error')));
  } else if (ind && s.period) {
    api
      .values(ind.key, s.period, s.level)
      .then((v) =>
        renderRankingWithControls(
          ctx,
          ranking,
          v,
          pick,
          excelLinksRow(rankingLinks(ind.key, s.level, v.period), 'ranking-downloads'),
        ),
      )
      .catch((err) => fill(ranking, message(errorMessage(err), 'error')));
  }
}

/**
 * "Hotspots überlagern": a hotspot run hatched over the indicator map. The run, method (Gi* or LISA)
 * and a new analysis come from the same controls as the "Hotspots" fill; the level of confidence
 * is the overlay's own. Shown and hidden in place (no re-render), so the focus stays on the box.
 */
function renderOverlayControls(ctx: Ctx, box: HTMLElement): void {
  const { store } = ctx;
  const on = store.state.hotspotOverlay > 0;
  const runBox = h('div', {});
  const levelSel = select(
    { id: 'sel-overlay-level', testid: 'overlay-level' },
    OVERLAY_LEVELS.map((l) => ({ value: String(l), label: `mindestens ${l} % sicher` })),
    String(store.state.hotspotOverlay || 90),
    (v) => store.set({ hotspotOverlay: Number(v) as OverlayLevel }),
  );
  const settings = h(
    'div',
    { testid: 'overlay-settings' },
    h('p', { class: 'hint' }, 'Schraffiert über der Indikatorkarte; die Legende erklärt die Schraffur.'),
    h('label', { for: 'sel-overlay-level' }, 'Sicherheit'),
    levelSel,
    runBox,
  );
  let loaded = false;
  const show = (visible: boolean) => {
    settings.hidden = !visible;
    // Runs are listed (and the newest chosen) only when the overlay is wanted.
    if (visible && !loaded) {
      loaded = true;
      void renderHotspotControls(ctx, runBox);
    }
  };
  const toggle = h('input', {
    type: 'checkbox',
    checked: on,
    testid: 'overlay-toggle',
    onchange: (ev: Event) => {
      const checked = (ev.target as HTMLInputElement).checked;
      store.set({ hotspotOverlay: checked ? (Number(levelSel.value) as OverlayLevel) : 0 });
      show(checked);
    },
  });
  fill(box, h('label', { class: 'check' }, toggle, 'Hotspots überlagern'), settings);
  show(on);
}

async function renderHotspotControls(ctx: Ctx, box: HTMLElement): Promise<void> {
  const { store } = ctx;
  const s = store.state;
  const modeSel = select(
    { id: 'sel-hotmode', testid: 'select-hotspot-mode' },
    [
      { value: 'gi', label: 'Hot- und Coldspots (Gi*)' },
      { value: 'lisa', label: 'Lokale Cluster (LISA)' },
      { value: 'lisap', label: 'Signifikanz lokaler Cluster (LISA, p-Werte)' },
    ],
    s.hotspotMode,
    (v) => store.set({ hotspotMode: v as HotspotMode }),
  );
  const status = h('div', {});
  const runBtn = h(
    'button',
    { type: 'button', testid: 'hotspot-run', onclick: () => void run() },
    'Hotspot-Analyse für diesen Indikator berechnen',
  );
  // Settings of a new run, starting with the server's defaults GeoDa and PySAL users know (queen, 999, FDR 5 %).
  const settings = {
    weights: HOTSPOT_DEFAULTS.weights as string,
    correction: HOTSPOT_DEFAULTS.correction as string,
    alpha: String(HOTSPOT_DEFAULTS.alpha),
    permutations: String(HOTSPOT_DEFAULTS.permutations),
  };
  const setting = (key: keyof typeof settings, label: string, options: { value: string; label: string }[]) =>
    h(
      'div',
      {},
      h('label', { for: `hot-${key}` }, label),
      select({ id: `hot-${key}`, testid: `hotspot-${key}` }, options, settings[key], (v) => (settings[key] = v)),
    );
  const settingsBox = h(
    'details',
    { class: 'sub', testid: 'hotspot-settings' },
    h('summary', {}, 'Einstellungen für eine neue Analyse'),
    setting('weights', 'Nachbarschaft', [
      { value: 'queen', label: 'Gemeinsame Grenze oder Ecke (Queen)' },
      { value: 'rook', label: 'Gemeinsame Grenze (Rook)' },
      { value: 'knn:6', label: '6 nächste Nachbarn' },
      { value: 'distance:1500', label: 'Umkreis 1,5 km' },
    ]),
    setting('correction', 'Korrektur für viele Tests', [
      { value: 'fdr', label: 'Falscherkennungsrate (Benjamini-Hochberg)' },
      { value: 'bonferroni', label: 'Bonferroni (streng)' },
      { value: 'none', label: 'keine' },
    ]),
    setting('alpha', 'Signifikanzniveau', [
      { value: '0.1', label: '10 %' },
      { value: '0.05', label: '5 %' },
      { value: '0.01', label: '1 %' },
    ]),
    setting('permutations', 'Permutationen', [
      { value: '999', label: '999' },
      { value: '9999', label: '9 999 (genauer, langsamer)' },
    ]),
  );
  const slot = h('div', { id: 'hotrun-slot' }, message('Analysen werden geladen …'));
  fill(
    box,
    h('label', { for: 'sel-hotmode' }, 'Verfahren'),
    modeSel,
    h('label', { for: 'sel-hotrun' }, 'Analyse'),
    slot,
    settingsBox,
    runBtn,
    status,
  );
  try {
    const runs = unwrap<HotspotRunSummary>((await api.hotspotRuns()) as HotspotRunSummary[], 'runs').filter(
      (r) => r.indicator === s.indicator && r.level === s.level,
    );
    if (!runs.length) fill(slot, message('Für diesen Indikator gibt es noch keine Hotspot-Analyse.'));
    else {
      // Newest run first; an unknown or empty choice falls back to it.
      runs.sort((a, b) => Number(b.id) - Number(a.id));
      const current = runs.some((r) => String(r.id) === s.hotspots) ? s.hotspots : String(runs[0].id);
      fill(
        slot,
        select(
          { id: 'sel-hotrun', testid: 'select-hotspot-run' },
          runs.map((r) => ({
            value: String(r.id),
            label: `Nr. ${r.id} · ${formatPeriod(r.period)} · ${String(r.params?.weights ?? '')}`,
          })),
          current,
          (v) => store.set({ hotspots: v }),
        ),
      );
      if (current !== s.hotspots) store.set({ hotspots: current });
    }
  } catch (err) {
    fill(slot, message(`Hotspot-Analysen: ${errorMessage(err)}`, 'error'));
  }
  async function run(): Promise<void> {
    if (!canWrite()) {
      fill(
        status,
        message('Zum Berechnen bitte anmelden oder ein Zugangstoken eintragen (Ansicht „Forschung“).', 'error'),
      );
      return;
    }
    fill(status, message('Die Analyse läuft …'));
    try {
      const res = await postJson<{ runId: number | string }>('/api/hotspots', {
        level: s.level,
        period: s.period,
        indicator: s.indicator,
        seed: HOTSPOT_DEFAULTS.seed,
        weights: settings.weights,
        correction: settings.correction,
        alpha: Number(settings.alpha),
        permutations: Number(settings.permutations),
      });
      store.set({ hotspots: String(res.body.runId) });
      fill(status, message('Fertig.'));
      void renderHotspotControls(ctx, box);
    } catch (err) {
      fill(status, message(errorMessage(err), 'error'));
    }
  }
}
