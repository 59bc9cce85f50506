/**
 * Researcher view (Forschung): choose indicators, see their correlations, set standardisation,
 * PCA and k, run a typology with progress, read the validity charts per k, the type profiles,
 * stability and descriptions; keep a run history, compare runs, export. Results go to the panel.
 */
import { h, fill, message, select, download } from './dom.js';
import { api, typologyAt, unwrap } from './data.js';
import { ApiError, errorMessage, fetchJson, getToken, postJson, setToken } from './api.js';
import { correlationMatrix } from './correlation.js';
import { eigenvalues, normalizeRun, loadingCells, membersCsv, membersGeoJson, profileZ, transitionCells, typeStability } from './typology-data.js';
import { formatNumber, formatPeriod, formatShare } from './format.js';
import { typeColour } from './palettes.js';
import type { Ctx } from './ctx.js';
import type { HotspotRunSummary, Job, RunSummary, TypologyParams, TypologyRun } from './types.js';

/** Settings form state, kept for the page life (not in the URL: the run id is the shareable result). */
const form = {
  indicators: [] as string[],
  standardize: 'z' as TypologyParams['standardize'],
  pca: 'none' as string,
  rotation: false,
  clusterOn: 'z' as TypologyParams['clusterOn'],
  kMode: 'range' as 'range' | 'fixed',
  kFrom: 2,
  kTo: 10,
  k: 5,
  restarts: 50,
  seed: 1,
  bootstrap: 100,
};

const DEFAULT_INDICATORS = ['S1', 'S3', 'S4', 'D1', 'D3', 'D4'];

export function renderResearch(ctx: Ctx): void {
  const { store } = ctx;
  const s = store.state;
  const usable = ctx.indicators.filter((i) => i.kind !== 'class' && i.key !== 'EW');
  if (!form.indicators.length) {
    form.indicators = usable.filter((i) => DEFAULT_INDICATORS.includes(i.key)).map((i) => i.key);
    if (form.indicators.length < 2) form.indicators = usable.slice(0, 6).map((i) => i.key);
  }
  const level = ctx.levels.find((l) => l.key === s.level);
  const corrBox = h('div', { testid: 'correlation' });
  const progress = h('progress', { max: 1, value: 0, testid: 'run-progress', hidden: true });
  const runStatus = h('div', { 'aria-live': 'polite', testid: 'run-status' });
  const historyBox = h('div', { testid: 'run-history' }, message('Verlauf wird geladen …'));
  const num = (id: string, label: string, value: number, min: number, max: number, on: (v: number) => void) =>
    h('div', {}, h('label', { for: id }, label), h('input', { id, type: 'number', min, max, value, testid: id, onchange: (ev: Event) => on(Number((ev.target as HTMLInputElement).value)) }));
  const tokenInput = h('input', { id: 'token', type: 'password', value: getToken(), autocomplete: 'off', testid: 'token-input', onchange: (ev: Event) => setToken((ev.target as HTMLInputElement).value.trim()) });
  fill(
    ctx.controls,
    h('h2', {}, 'Forschung: Sozialraumtypen'),
    h(
      'div',
      { class: 'row' },
      h('div', {}, h('label', { for: 'r-level' }, 'Ebene'), select({ id: 'r-level', testid: 'research-level' }, ctx.levels.map((l) => ({ value: l.key, label: l.label })), s.level, (v) => store.set({ level: v }))),
      h('div', {}, h('label', { for: 'r-period' }, 'Zeitpunkt'), select({ id: 'r-period', testid: 'research-period' }, (level?.periods ?? []).map((p) => ({ value: p, label: formatPeriod(p) })), s.period, (v) => store.set({ period: v }))),
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
            checked: form.indicators.includes(i.key),
            testid: `ind-${i.key}`,
            onchange: (ev: Event) => {
              const on = (ev.target as HTMLInputElement).checked;
              form.indicators = on ? [...form.indicators, i.key] : form.indicators.filter((k) => k !== i.key);
            },
          }),
          `${i.label} (${i.key})`,
        ),
      ),
    ),
    h('button', { type: 'button', testid: 'correlation-button', onclick: () => void showCorrelation(ctx, corrBox) }, 'Korrelationen prüfen'),
    corrBox,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Verfahren'),
      h('label', { for: 'r-std' }, 'Standardisierung'),
      select({ id: 'r-std', testid: 'research-standardize' }, [
        { value: 'z', label: 'z-Werte (Standardabweichung der Grundgesamtheit)' },
        { value: 'robust', label: 'robust (Median/MAD)' },
        { value: 'minmax', label: 'Min-Max (0 bis 1)' },
      ], form.standardize, (v) => (form.standardize = v as TypologyParams['standardize'])),
      h('label', { for: 'r-pca' }, 'Hauptkomponenten'),
      select({ id: 'r-pca', testid: 'research-pca' }, [
        { value: 'none', label: 'keine' },
        { value: 'kaiser', label: 'Kaiser-Kriterium (Eigenwert > 1)' },
        ...[2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} Komponenten` })),
      ], form.pca, (v) => (form.pca = v)),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: form.rotation, testid: 'research-varimax', onchange: (ev: Event) => (form.rotation = (ev.target as HTMLInputElement).checked) }), 'Varimax-Rotation'),
      h('label', { for: 'r-on' }, 'Clustern auf'),
      select({ id: 'r-on', testid: 'research-cluster-on' }, [
        { value: 'z', label: 'standardisierten Indikatoren' },
        { value: 'pcs', label: 'Hauptkomponenten-Werten' },
      ], form.clusterOn, (v) => (form.clusterOn = v as TypologyParams['clusterOn'])),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Anzahl der Typen (k)'),
      h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'kmode', checked: form.kMode === 'range', testid: 'k-mode-range', onchange: () => (form.kMode = 'range') }), 'Bereich vergleichen'),
      h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'kmode', checked: form.kMode === 'fixed', testid: 'k-mode-fixed', onchange: () => (form.kMode = 'fixed') }), 'festes k'),
      h('div', { class: 'row' }, num('k-from', 'von', form.kFrom, 2, 20, (v) => (form.kFrom = v)), num('k-to', 'bis', form.kTo, 2, 20, (v) => (form.kTo = v)), num('k-fixed', 'k', form.k, 2, 20, (v) => {
        form.k = v;
        form.kMode = 'fixed';
        (document.querySelector('[data-testid="k-mode-fixed"]') as HTMLInputElement).checked = true;
      })),
      h('div', { class: 'row' }, num('restarts', 'Neustarts', form.restarts, 1, 500, (v) => (form.restarts = v)), num('seed', 'Startwert', form.seed, 0, 2 ** 31, (v) => (form.seed = v)), num('bootstrap', 'Bootstrap', form.bootstrap, 0, 1000, (v) => (form.bootstrap = v))),
    ),
    h('label', { for: 'token' }, 'Zugangstoken (nur für diese Sitzung gespeichert)'),
    tokenInput,
    h('button', { type: 'button', class: 'primary', testid: 'run-typology', onclick: () => void runTypology(ctx, progress, runStatus, historyBox) }, 'Typologie berechnen'),
    progress,
    runStatus,
    h('details', { open: true }, h('summary', {}, 'Frühere Läufe'), historyBox),
    h('details', {}, h('summary', {}, 'Kombinierte Ansicht'), combinedControls(ctx)),
  );
  void renderHistory(ctx, historyBox);
  ctx.panel.hidden = false;
  if (s.run) void showRun(ctx, s.run);
  else fill(ctx.panel, h('h2', {}, 'Ergebnisse'), h('p', {}, 'Noch kein Lauf gewählt. Stellen Sie links das Verfahren ein und berechnen Sie eine Typologie.'));
}

function combinedControls(ctx: Ctx): HTMLElement {
  const { store } = ctx;
  const box = h('div', { testid: 'combined-controls' });
  const check = h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: store.state.combined, testid: 'combined-toggle', onchange: (ev: Event) => store.set({ combined: (ev.target as HTMLInputElement).checked }) }), 'Hotspots als Schraffur über den Typen zeigen');
  fill(box, check, message('Hotspot-Analysen werden geladen …'));
  api
    .hotspotRuns()
    .then((r) => {
      const runs = unwrap<HotspotRunSummary>(r as HotspotRunSummary[], 'runs').filter((x) => x.level === store.state.level);
      if (!runs.length) return fill(box, check, message('Noch keine Hotspot-Analyse vorhanden (Ansicht Sozialplanung → Hotspots).'));
      fill(box, check, select({ testid: 'combined-hotspot-run', 'aria-label': 'Hotspot-Analyse' }, runs.map((x) => ({ value: String(x.id), label: `Nr. ${x.id}: ${x.indicator}, ${formatPeriod(x.period)}` })), store.state.hotspots, (v) => store.set({ hotspots: v })));
      if (!store.state.hotspots) store.set({ hotspots: String(runs[0].id) });
    })
    .catch((err) => fill(box, check, message(`Hotspots: ${errorMessage(err)}`, 'error')));
  return box;
}

async function showCorrelation(ctx: Ctx, box: HTMLElement): Promise<void> {
  const s = ctx.store.state;
  if (form.indicators.length < 2) return fill(box, message('Bitte mindestens zwei Indikatoren wählen.'));
  fill(box, message('Korrelationen werden berechnet …'));
  try {
    const cols = new Map<string, Map<string, number | null>>();
    const all = await Promise.all(form.indicators.map((k) => api.values(k, s.period, s.level)));
    all.forEach((v, i) => cols.set(form.indicators[i], new Map(v.values.map((r) => [r.code, r.suppressed ? null : r.value]))));
    const res = correlationMatrix(cols, 0.9);
    const cells = res.keys.flatMap((a, i) => res.keys.map((b, j) => ({ x: b, y: a, v: res.r[i][j], flag: i !== j && Math.abs(res.r[i][j]) >= 0.9 })));
    const charts = await import('./charts.js');
    fill(
      box,
      charts.heatmap(cells, { label: 'Korrelationen (Pearson r); umrandet: |r| ≥ 0,9', testid: 'chart-correlation', domain: 1, xOrder: res.keys, yOrder: res.keys, marginLeft: 50 }),
      res.redundant.length
        ? h('ul', { class: 'warnings', testid: 'redundant-pairs' }, ...res.redundant.map((p) => h('li', {}, `${p.a} und ${p.b} sind fast gleichbedeutend (r = ${formatNumber(p.r, 2)}): einen davon weglassen?`)))
        : h('p', { class: 'hint' }, 'Keine Paare mit |r| ≥ 0,9.'),
    );
  } catch (err) {
    fill(box, message(errorMessage(err), 'error'));
  }
}

function params(ctx: Ctx): TypologyParams {
  const s = ctx.store.state;
  const p: TypologyParams = {
    level: s.level,
    period: s.period,
    indicators: form.indicators,
    standardize: form.standardize,
    pca: form.pca === 'none' || form.pca === 'kaiser' ? form.pca : Number(form.pca),
    clusterOn: form.pca === 'none' ? 'z' : form.clusterOn,
    restarts: form.restarts,
    seed: form.seed,
    bootstrap: form.bootstrap,
  };
  if (form.rotation && form.pca !== 'none') p.rotation = 'varimax';
  if (form.kMode === 'fixed') p.k = form.k;
  else p.kRange = [Math.min(form.kFrom, form.kTo), Math.max(form.kFrom, form.kTo)];
  return p;
}

async function runTypology(ctx: Ctx, progress: HTMLProgressElement, status: HTMLElement, historyBox: HTMLElement, override?: Partial<TypologyParams>): Promise<void> {
  if (form.indicators.length < 2) return fill(status, message('Bitte mindestens zwei Indikatoren wählen.', 'error'));
  if (!getToken()) return fill(status, message('Bitte zuerst das Zugangstoken eintragen.', 'error'));
  // A rerun of a stored run keeps its own parameters (and k range) with another chosen k.
  const body = override ? { ...override } : params(ctx);
  progress.hidden = false;
  progress.removeAttribute('value'); // indeterminate until the server reports progress
  fill(status, message('Die Typologie wird berechnet …'));
  try {
    const res = await postJson<TypologyRun | { jobId: string }>('/api/typologies', body);
    let run: TypologyRun;
    if (res.status === 202 && 'jobId' in res.body) run = normalizeRun(await pollJob(res.body.jobId, progress, status));
    else run = normalizeRun(res.body);
    progress.value = 1;
    fill(status, message(`Fertig: Lauf ${run.runId} mit ${run.chosenK} Typen.`));
    api.forget('/api/typologies');
    ctx.store.set({ run: String(run.runId), k: 0 });
    void renderHistory(ctx, historyBox);
  } catch (err) {
    fill(status, message(errorMessage(err), 'error'));
  } finally {
    setTimeout(() => (progress.hidden = true), 800);
  }
}

async function pollJob(id: string, progress: HTMLProgressElement, status: HTMLElement): Promise<TypologyRun> {
  for (;;) {
    const job = await fetchJson<Job>(`/api/jobs/${encodeURIComponent(id)}`);
    if (Number.isFinite(job.progress)) progress.value = job.progress;
    fill(status, message(`${job.message ?? 'Berechnung läuft'} (${formatShare(job.progress ?? 0)})`));
    if (job.status === 'done' || job.status === 'completed' || job.result) {
      if (!job.result) throw new ApiError('Der Lauf ist fertig, aber ohne Ergebnis.', 500, id);
      return job.result;
    }
    if (job.status === 'failed' || job.status === 'error') throw new ApiError(job.message ?? 'Die Berechnung ist fehlgeschlagen.', 500, id);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function renderHistory(ctx: Ctx, box: HTMLElement): Promise<void> {
  try {
    const runs = unwrap<RunSummary>((await api.typologies()) as RunSummary[], 'runs');
    if (!runs.length) return fill(box, h('p', {}, 'Noch keine Läufe.'));
    const sel = ctx.store.state.run;
    const pickA = h('select', { 'aria-label': 'Lauf A', testid: 'compare-a' }, ...runs.map((r) => h('option', { value: String(r.id) }, `Nr. ${r.id}`)));
    const pickB = h('select', { 'aria-label': 'Lauf B', testid: 'compare-b' }, ...runs.map((r, i) => h('option', { value: String(r.id), selected: i === 1 }, `Nr. ${r.id}`)));
    const cmpBox = h('div', { testid: 'compare-result' });
    fill(
      box,
      h(
        'table',
        { class: 'history' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Nr.'), h('th', {}, 'erstellt'), h('th', {}, 'Parameter'), h('th', {}, 'k'))),
        h(
          'tbody',
          {},
          ...runs.map((r) =>
            h(
              'tr',
              { tabindex: 0, testid: 'history-row', 'data-run': String(r.id), class: String(r.id) === sel ? 'current' : null, onclick: () => ctx.store.set({ run: String(r.id), k: 0 }), onkeydown: (ev: Event) => (ev as KeyboardEvent).key === 'Enter' && ctx.store.set({ run: String(r.id), k: 0 }) },
              h('td', {}, String(r.id)),
              h('td', {}, r.createdAt ? new Date(r.createdAt).toLocaleString('de-DE') : ''),
              h('td', { class: 'params' }, describeParams(r.params, r)),
              h('td', { class: 'num' }, String(r.chosenK)),
            ),
          ),
        ),
      ),
      runs.length > 1 ? h('div', { class: 'row' }, pickA, pickB, h('button', { type: 'button', testid: 'compare-button', onclick: () => void compare(pickA.value, pickB.value, cmpBox) }, 'Vergleichen')) : null,
      cmpBox,
    );
  } catch (err) {
    fill(box, message(`Verlauf: ${errorMessage(err)}`, 'error'));
  }
}

function describeParams(p: TypologyParams | undefined, summary?: RunSummary): string {
  // The history list may carry the indicators at the top level instead of full params.
  if (!p && summary) p = { indicators: (summary as unknown as { indicators?: string[] }).indicators ?? [], period: summary.period } as TypologyParams;
  if (!p) return '';
  const pca = p.pca === undefined ? '' : p.pca === 'none' ? '; ohne HK' : p.pca === 'kaiser' ? '; HK Kaiser' : `; ${p.pca} HK`;
  const parts = [formatPeriod(p.period), (p.indicators ?? []).join(', ')];
  if (p.standardize) parts.push(p.standardize);
  if (p.k) parts.push(`k = ${p.k}`);
  else if (p.kRange) parts.push(`k = ${p.kRange[0]}…${p.kRange[1]}`);
  if (p.seed !== undefined) parts.push(`Startwert ${p.seed}`);
  return parts.join('; ') + pca + (p.rotation === 'varimax' ? ' varimax' : '');
}

async function compare(a: string, b: string, box: HTMLElement): Promise<void> {
  if (a === b) return fill(box, message('Bitte zwei verschiedene Läufe wählen.'));
  fill(box, message('Vergleich wird berechnet …'));
  try {
    const res = await fetchJson<{ ari?: number; adjustedRandIndex?: number; table?: unknown; transitions?: unknown }>(`/api/typologies/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
    const cells = transitionCells(res.table ?? res.transitions);
    const ari = res.ari ?? res.adjustedRandIndex ?? NaN;
    const charts = await import('./charts.js');
    fill(
      box,
      h('p', { testid: 'compare-ari' }, `Übereinstimmung (bereinigter Rand-Index): ${formatNumber(ari, 3)}`),
      charts.heatmap(
        cells.map((c) => ({ x: `B: Typ ${c.to}`, y: `A: Typ ${c.from}`, v: c.count })),
        { label: `Übergänge von Lauf ${a} (Zeilen) zu Lauf ${b} (Spalten), Anzahl Gebiete`, testid: 'chart-transition' },
      ),
    );
  } catch (err) {
    fill(box, message(errorMessage(err), 'error'));
  }
}

let showSeq = 0;

async function showRun(ctx: Ctx, runId: string): Promise<void> {
  const panel = ctx.panel;
  const seq = ++showSeq;
  fill(panel, h('h2', {}, `Lauf ${runId}`), message('Ergebnis wird geladen …'));
  try {
    // The types of the k in the URL come stored with the run: no token, no new run.
    const [{ run, members, k: shownK, chosen }, charts] = await Promise.all([typologyAt(runId, ctx.store.state.k), import('./charts.js')]);
    if (seq !== showSeq || ctx.store.state.run !== runId || ctx.store.state.view !== 'forschung') return;
    const keys = run.params?.indicators ?? [];
    const label = (k: string) => ctx.indicators.find((i) => i.key === k)?.label ?? k;
    const k = run.types.length;
    const eig = eigenvalues(run);
    const loads = loadingCells(run);
    const profile = run.types.flatMap((t) => Object.entries(profileZ(t, keys)).map(([ind, v]) => ({ x: ind, y: `Typ ${t.type}`, v })));
    const available = run.availableK ?? [run.chosenK];
    const suffix = chosen ? '' : `-k${shownK}`;
    // A new run is still the way to bootstrap stability for another k, or to get any other k of a
    // run stored before every k was kept: an explicit button, never a side effect of the k choice.
    const rerun = (kNew: number) =>
      h('button', {
        type: 'button',
        testid: 'rerun-k',
        onclick: () => {
          const progress = document.querySelector('[data-testid="run-progress"]') as HTMLProgressElement;
          const status = document.querySelector('[data-testid="run-status"]') as HTMLElement;
          const hist = document.querySelector('[data-testid="run-history"]') as HTMLElement;
          form.indicators = keys;
          void runTypology(ctx, progress, status, hist, { ...run.params, k: kNew });
        },
      }, `Neuen Lauf mit k = ${kNew} berechnen (mit Stabilitätsprüfung, braucht das Token)`);
    const kNote = h('div', { testid: 'k-note' });
    const noteFor = (kWanted: number) => {
      if (kWanted === run.chosenK) return fill(kNote);
      if (!available.includes(kWanted))
        return fill(kNote, h('p', { class: 'hint' }, `Dieser Lauf ist älter und speichert nur die Typen für k = ${run.chosenK}.`), rerun(kWanted));
      fill(
        kNote,
        h('p', { class: 'hint' }, `Gespeicherte Typen für k = ${kWanted} aus diesem Lauf (im Lauf gewählt: k = ${run.chosenK}). Die Stabilität (Bootstrap) ist nur für das gewählte k berechnet.`),
        rerun(kWanted),
      );
    };
    noteFor(shownK);
    const kPick =
      run.byK && run.byK.length > 1
        ? h(
            'div',
            {},
            h(
              'div',
              { class: 'row' },
              h('label', { for: 'pick-k' }, 'Typen anzeigen für k ='),
              select(
                { id: 'pick-k', testid: 'pick-k' },
                run.byK.map((b) => ({ value: String(b.k), label: b.k === run.chosenK ? `${b.k} (gewählt)` : String(b.k) })),
                String(shownK),
                (v) => {
                  const kNew = Number(v);
                  if (available.includes(kNew)) ctx.store.set({ k: kNew === run.chosenK ? 0 : kNew });
                  else noteFor(kNew);
                },
              ),
            ),
            kNote,
          )
        : null;
    const names = new Map<string, string>();
    fill(
      panel,
      h('h2', { testid: 'run-title' }, chosen ? `Lauf ${run.runId}: ${k} Typen` : `Lauf ${run.runId}: ${k} Typen (k = ${shownK})`),
      h('p', { class: 'panel-meta' }, describeParams(run.params)),
      run.standardization ? h('p', { class: 'hint', testid: 'run-standardization' }, `Standardisierung: ${standardizationText(run.standardization)}`) : null,
      run.byK && run.byK.length > 1 ? h('section', {}, h('h3', {}, 'Wahl von k'), charts.byKCharts(run.byK, shownK), kPick) : null,
      eig.length ? h('section', {}, h('h3', {}, 'Hauptkomponenten'), charts.scree(eig), loads.length ? charts.heatmap(loads.map((c) => ({ x: c.component, y: label(c.indicator), v: c.value })), { label: 'Ladungen', testid: 'chart-loadings', domain: 1, marginLeft: 190 }) : null) : null,
      h(
        'section',
        {},
        h('h3', {}, 'Typen'),
        h(
          'ol',
          { class: 'types', testid: 'type-list' },
          ...[...run.types]
            .sort((a, b) => a.type - b.type)
            .map((t) => {
              const st = typeStability(t);
              return h(
                'li',
                { testid: 'type-item', 'data-type': t.type },
                h('span', { class: 'swatch', style: `background:${typeColour(t.type, k)}`, 'aria-hidden': 'true' }),
                h('strong', {}, t.label || `Typ ${t.type}`),
                ` (${t.size} Gebiete${st !== null ? `, Stabilität ${formatNumber(st, 2)}${st < 0.6 ? ' – instabil' : ''}` : ''})`,
                h('p', { class: 'type-description' }, t.description),
              );
            }),
        ),
        profile.length ? charts.heatmap(profile.map((c) => ({ ...c, x: c.x })), { label: 'Typprofile: mittlere z-Werte (rot = über, blau = unter dem Durchschnitt)', testid: 'chart-profile-heatmap', xOrder: keys, domain: 2 }) : null,
      ),
      h(
        'section',
        {},
        h('h3', {}, 'Export'),
        h(
          'div',
          { class: 'row' },
          h('button', { type: 'button', testid: 'export-csv', onclick: () => void exportCsv() }, 'CSV'),
          h('button', { type: 'button', testid: 'export-geojson', onclick: () => void exportGeoJson() }, 'GeoJSON'),
          h('button', { type: 'button', testid: 'export-json', onclick: () => download(`typologie-${run.runId}${suffix}.json`, JSON.stringify(run, null, 2), 'application/json') }, 'JSON'),
        ),
      ),
    );
    async function exportCsv(): Promise<void> {
      if (!names.size) {
        try {
          const v = await api.values(keys[0], run.params.period, run.params.level);
          for (const r of v.values) names.set(r.code, r.name);
        } catch {
          /* names stay empty */
        }
      }
      download(`typologie-${run.runId}${suffix}.csv`, membersCsv(members, names, run.types), 'text/csv;charset=utf-8');
    }
    async function exportGeoJson(): Promise<void> {
      try {
        const fc = await fetchJson<Parameters<typeof membersGeoJson>[0]>(`/api/areas?level=${encodeURIComponent(run.params.level)}`);
        download(`typologie-${run.runId}${suffix}.geojson`, JSON.stringify(membersGeoJson(fc, members)), 'application/geo+json');
      } catch (err) {
        panel.append(message(errorMessage(err), 'error'));
      }
    }
  } catch (err) {
    fill(panel, h('h2', {}, `Lauf ${runId}`), message(errorMessage(err), 'error'));
  }
}

export function refreshResearchPanel(ctx: Ctx): void {
  if (ctx.store.state.view === 'forschung' && ctx.store.state.run) void showRun(ctx, ctx.store.state.run);
}

/** The server says which standardisation it used (e.g. population sd, ddof 0): show its own note. */
function standardizationText(st: unknown): string {
  if (typeof st === 'string') return st;
  const o = st as { note?: string; method?: string };
  return o.note ?? o.method ?? '';
}
