/**
 * The sidebar of the research view: level and period, the indicators with their correlation
 * check, standardisation, PCA, k, restarts, seed and bootstrap, the token, the run button with
 * its progress, the run history and the combined-view controls. Inputs write the settings object.
 */
import { h, fill, message, select } from './dom.js';
import { getToken, setToken } from './api.js';
import { formatPeriod } from './format.js';
import { showCorrelation } from './research-correlation.js';
import { combinedControls } from './research-combined.js';
import { silhouetteSwitch } from './research-silhouette.js';
import { moranScatterBox } from './moran-scatter.js';
import { renderHistory } from './research-history.js';
import { runTypology, type RunFeedback } from './research-run.js';
import { fitIndicators, preselectIndicators, settings } from './research-settings.js';
import { levelOptions } from './levels.js';
import type { Ctx } from './ctx.js';
import type { TypologyParams } from './types.js';

/** Fills ctx.controls with the form; returns the elements that report a run (for reruns from the panel). */
export function renderResearchForm(ctx: Ctx): RunFeedback {
  const { store } = ctx;
  const s = store.state;
  const usable = ctx.indicators.filter((i) => i.kind !== 'class' && i.key !== 'EW');
  fitIndicators(
    settings,
    usable.map((i) => i.key),
  );
  preselectIndicators(
    settings,
    usable.map((i) => i.key),
  );
  const level = ctx.levels.find((l) => l.key === s.level);
  const corrBox = h('div', { testid: 'correlation' });
  const feedback: RunFeedback = {
    progress: h('progress', { max: 1, value: 0, testid: 'run-progress', hidden: true }),
    status: h('div', { 'aria-live': 'polite', testid: 'run-status' }),
    history: h('div', { testid: 'run-history' }, message('Verlauf wird geladen …')),
  };
  const num = (id: string, label: string, value: number, min: number, max: number, on: (v: number) => void) =>
    h(
      'div',
      {},
      h('label', { for: id }, label),
      h('input', {
        id,
        type: 'number',
        min,
        max,
        value,
        testid: id,
        onchange: (ev: Event) => on(Number((ev.target as HTMLInputElement).value)),
      }),
    );
  const tokenInput = h('input', {
    id: 'token',
    type: 'password',
    value: getToken(),
    autocomplete: 'off',
    testid: 'token-input',
    onchange: (ev: Event) => setToken((ev.target as HTMLInputElement).value.trim()),
  });
  const kRangeRadio = h('input', {
    type: 'radio',
    name: 'kmode',
    checked: settings.kMode === 'range',
    testid: 'k-mode-range',
    onchange: () => (settings.kMode = 'range'),
  });
  const kFixedRadio = h('input', {
    type: 'radio',
    name: 'kmode',
    checked: settings.kMode === 'fixed',
    testid: 'k-mode-fixed',
    onchange: () => (settings.kMode = 'fixed'),
  });
  fill(
    ctx.controls,
    h('h2', {}, 'Forschung: Sozialraumtypen'),
    h(
      'div',
      { class: 'row' },
      h(
        'div',
        {},
        h('label', { for: 'r-level' }, 'Ebene'),
        select({ id: 'r-level', testid: 'research-level' }, levelOptions(ctx.levels), s.level, (v) =>
          store.set({ level: v, area: '' }),
        ),
      ),
      h(
        'div',
        {},
        h('label', { for: 'r-period' }, 'Zeitpunkt'),
        select(
          { id: 'r-period', testid: 'research-period' },
          (level?.periods ?? []).map((p) => ({ value: p, label: formatPeriod(p) })),
          s.period,
          (v) => store.set({ period: v }),
        ),
      ),
    ),
    h(
      'fieldset',
      { class: 'indicator-list', testid: 'research-indicators' },
      h('legend', {}, 'Indikatoren'),
      ...usable.map((i) =>
        h(
          'label',
          { class: 'check' },
          h('input', {
            type: 'checkbox',
            value: i.key,
            checked: settings.indicators.includes(i.key),
            testid: `ind-${i.key}`,
            onchange: (ev: Event) => {
              const on = (ev.target as HTMLInputElement).checked;
              settings.indicators = on
                ? [...settings.indicators, i.key]
                : settings.indicators.filter((k) => k !== i.key);
            },
          }),
          `${i.label} (${i.key})`,
        ),
      ),
    ),
    h(
      'button',
      {
        type: 'button',
        testid: 'correlation-button',
        onclick: () => void showCorrelation(ctx, corrBox, settings.indicators),
      },
      'Korrelationen prüfen',
    ),
    corrBox,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Verfahren'),
      h('label', { for: 'r-std' }, 'Standardisierung'),
      select(
        { id: 'r-std', testid: 'research-standardize' },
        [
          { value: 'z', label: 'z-Werte (Standardabweichung der Grundgesamtheit)' },
          { value: 'robust', label: 'robust (Median/MAD)' },
          { value: 'minmax', label: 'Min-Max (0 bis 1)' },
        ],
        settings.standardize,
        (v) => (settings.standardize = v as TypologyParams['standardize']),
      ),
      h('label', { for: 'r-pca' }, 'Hauptkomponenten'),
      select(
        { id: 'r-pca', testid: 'research-pca' },
        [
          { value: 'none', label: 'keine' },
          { value: 'kaiser', label: 'Kaiser-Kriterium (Eigenwert > 1)' },
          ...[2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} Komponenten` })),
        ],
        settings.pca,
        (v) => (settings.pca = v),
      ),
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          checked: settings.rotation,
          testid: 'research-varimax',
          onchange: (ev: Event) => (settings.rotation = (ev.target as HTMLInputElement).checked),
        }),
        'Varimax-Rotation',
      ),
      h('label', { for: 'r-on' }, 'Clustern auf'),
      select(
        { id: 'r-on', testid: 'research-cluster-on' },
        [
          { value: 'z', label: 'standardisierten Indikatoren' },
          { value: 'pcs', label: 'Hauptkomponenten-Werten' },
        ],
        settings.clusterOn,
        (v) => (settings.clusterOn = v as TypologyParams['clusterOn']),
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Anzahl der Typen (k)'),
      h('label', { class: 'radio' }, kRangeRadio, 'Bereich vergleichen'),
      h('label', { class: 'radio' }, kFixedRadio, 'festes k'),
      h(
        'div',
        { class: 'row' },
        num('k-from', 'von', settings.kFrom, 2, 20, (v) => (settings.kFrom = v)),
        num('k-to', 'bis', settings.kTo, 2, 20, (v) => (settings.kTo = v)),
        num('k-fixed', 'k', settings.k, 2, 20, (v) => {
          // Typing a k means running that k.
          settings.k = v;
          settings.kMode = 'fixed';
          kFixedRadio.checked = true;
        }),
      ),
      h(
        'div',
        { class: 'row' },
        num('restarts', 'Neustarts', settings.restarts, 1, 500, (v) => (settings.restarts = v)),
        num('seed', 'Startwert', settings.seed, 0, 2 ** 31, (v) => (settings.seed = v)),
        num('bootstrap', 'Bootstrap', settings.bootstrap, 0, 1000, (v) => (settings.bootstrap = v)),
      ),
    ),
    h('label', { for: 'token' }, 'Zugangstoken (nur für diese Sitzung gespeichert)'),
    tokenInput,
    h(
      'button',
      { type: 'button', class: 'primary', testid: 'run-typology', onclick: () => void runTypology(ctx, feedback) },
      'Typologie berechnen',
    ),
    feedback.progress,
    feedback.status,
    h('details', { open: true }, h('summary', {}, 'Frühere Läufe'), feedback.history),
    h('details', {}, h('summary', {}, 'Kombinierte Ansicht'), combinedControls(ctx)),
    silhouetteSwitch(ctx),
    moranScatterBox(ctx),
  );
  void renderHistory(ctx, feedback.history);
  return feedback;
}
