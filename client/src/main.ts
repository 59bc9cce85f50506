/**
 * Entry point: builds the shell, the map and the three views, and keeps them in step with the
 * URL state. Views render the sidebar; the map's layers and legend follow the state through
 * map-controller.ts, the side panel through area-panel-controller.ts.
 */
import 'ol/ol.css';
import './style.css';
import { AtlasMap, DATA_ATTRIBUTION } from './map.js';
import { Store } from './store.js';
import { api } from './data.js';
import { errorMessage } from './api.js';
import { h, fill, message } from './dom.js';
import { formatToday } from './format.js';
import { periodFor } from './periods.js';
import { indicatorsWithValues } from './levels.js';
import { MapController } from './map-controller.js';
import { updateAreaPanel } from './area-panel-controller.js';
import type { AppState } from './url-state.js';
import type { Ctx } from './ctx.js';
import { renderPlanner } from './view-planner.js';
import { renderResearch, refreshResearchPanel } from './view-research.js';
import { renderBeratung } from './view-beratung.js';
import { mountFacilities } from './facility-layer.js';
import { renderData } from './view-data.js';
import { newestRunId, publishedRunId } from './published-run.js';
import { pageFriendlyGestures } from './map-gestures.js';
import { basemapAllowed } from './basemap-consent.js';
import { installSkipLinks } from './skip-link.js';
import { installMapKeyboard } from './map-keyboard.js';

const $ = (id: string) => document.getElementById(id) as HTMLElement;

async function start(): Promise<void> {
  const store = new Store();
  const map = new AtlasMap($('map'));
  mountFacilities(map); // "Einrichtungen anzeigen" in Planung and Beratung
  pageFriendlyGestures(map.map);
  const ctx: Ctx = {
    store,
    map,
    levels: [],
    indicators: [],
    controls: $('controls'),
    panel: $('panel'),
    status: $('status'),
    hoverValue: () => null,
    selectArea: (code, fly) => {
      // The map position in the URL follows on moveend after the flight.
      store.set({ area: code });
      if (fly) void flyTo(code);
    },
    refreshMap: () => void mapController.update(),
    latestRun: () => newestRunId(store.state.level),
  };
  const mapController = new MapController(ctx, {
    legend: $('legend'),
    printLegend: $('print-legend'),
    status: $('map-status'),
  });
  // Print layout has another map size: resize and draw synchronously before the page is captured.
  const resizeNow = () => {
    map.map.updateSize();
    map.map.renderSync();
  };
  window.addEventListener('beforeprint', resizeNow);
  window.addEventListener('afterprint', resizeNow);
  (window as unknown as { __sozialatlas: unknown }).__sozialatlas = { map: map.map, store, atlas: map };
  installSkipLinks();
  // Enter on the focused map selects the area under its centre (arrows pan): mouse-free selection.
  installMapKeyboard(map, (code) => ctx.selectArea(code, false));
  $('attribution').textContent = DATA_ATTRIBUTION;
  $('print-date').textContent = `Stand der Karte: ${formatToday()}`;

  // Tabs: real buttons, arrow-key free; the active one is aria-current for screen readers.
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-view]')) {
    b.addEventListener('click', () => store.set({ view: b.dataset.view as AppState['view'] }));
  }

  try {
    ctx.levels = await api.levels();
  } catch (err) {
    fill(ctx.status, message(`Die Gebietsdaten sind nicht verfügbar: ${errorMessage(err)}`, 'error'));
    return;
  }
  const st = store.state;
  const level = ctx.levels.find((l) => l.key === st.level) ?? ctx.levels[0];
  if (!level) {
    fill(ctx.status, message('Es sind noch keine Gebiete importiert.', 'error'));
    return;
  }
  if (level.key !== st.level) store.set({ level: level.key });
  // Indicators and the tile service probe (TileJSON) do not depend on each other: load them together.
  const [indicators] = await Promise.all([
    api.indicators(level.key).catch(() => []),
    map.init(level.key, level.parentLevel),
  ]);
  // Index and class indicators are not aggregated: a parent level lists them without periods.
  ctx.indicators = indicatorsWithValues(indicators);
  const indicator = ctx.indicators.find((i) => i.key === st.indicator)
    ? st.indicator
    : (ctx.indicators.find((i) => i.polarity !== 0)?.key ?? ctx.indicators[0]?.key ?? '');
  const period = periodFor(st.period, ctx.indicators.find((i) => i.key === indicator)?.periods, level.defaultPeriod);
  store.setResolved({ level: level.key, period, indicator });
  store.set({ period, indicator });

  // A basemap from a shared link is loaded only after the user agrees (basemap-consent.ts).
  if (basemapAllowed(store.state.basemap)) map.setBasemap(store.state.basemap);
  else store.set({ basemap: '' });
  map.onHover = (code, name) => {
    const v = code ? ctx.hoverValue(code) : null;
    return v ? `${name}: ${v}` : name;
  };
  map.onSelect = (code) => ctx.selectArea(code, false);
  map.onMove = (view) => {
    if (view !== store.state.map) store.set({ map: view });
  };
  if (!store.state.map || !map.setView(store.state.map)) {
    if (store.state.area) void flyTo(store.state.area, 0);
    else map.fitData();
  }

  async function flyTo(code: string, duration = 600): Promise<void> {
    try {
      const a = await api.area(code, store.state.level, store.state.period);
      if (a.bbox) map.fitBbox(a.bbox, store.state.view === 'beratung' ? 15 : 16, duration);
    } catch (err) {
      fill(ctx.status, message(`Gebiet ${code}: ${errorMessage(err)}`, 'error'));
    }
  }

  function renderView(): void {
    const s = store.state;
    document.body.dataset.view = s.view;
    for (const b of document.querySelectorAll<HTMLButtonElement>('[data-view]')) {
      if (b.dataset.view === s.view) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
    }
    map.setLabels(s.view === 'beratung', s.view === 'beratung');
    fill(ctx.controls);
    if (s.view === 'planung') renderPlanner(ctx);
    else if (s.view === 'forschung') renderResearch(ctx);
    else if (s.view === 'daten') renderData(ctx);
    else renderBeratung(ctx);
    // The map container changes size with the layout of the view.
    setTimeout(() => map.map.updateSize(), 0);
  }

  /** Another level has other indicators, periods and parent outlines. */
  async function switchLevel(key: string): Promise<void> {
    const l = ctx.levels.find((x) => x.key === key);
    if (!l) return;
    ctx.indicators = indicatorsWithValues(await api.indicators(l.key).catch(() => []));
    map.setLevel(l.key, l.parentLevel);
    const s = store.state;
    const patch: Partial<AppState> = {};
    if (!ctx.indicators.some((i) => i.key === s.indicator))
      patch.indicator = ctx.indicators.find((i) => i.polarity !== 0)?.key ?? ctx.indicators[0]?.key ?? '';
    const indicator = patch.indicator ?? s.indicator;
    const period = periodFor(
      s.period,
      ctx.indicators.find((i) => i.key === indicator)?.periods ?? l.periods,
      l.defaultPeriod,
    );
    if (period !== s.period) patch.period = period;
    if (s.run) patch.run = ''; // a run belongs to one level
    if (s.k) patch.k = 0;
    if (s.hotspots) patch.hotspots = '';
    if (Object.keys(patch).length) store.set(patch);
    renderView();
    void mapController.update();
    void updateAreaPanel(ctx);
  }

  const MAP_KEYS: (keyof AppState)[] = [
    'view',
    'indicator',
    'period',
    'layer',
    'method',
    'classes',
    'run',
    'k',
    'hotspots',
    'hotspotMode',
    'from',
    'to',
    'combined',
    'silhouette',
    'hotspotOverlay',
    'level',
  ];
  store.subscribe((s, changed) => {
    if (changed.has('basemap')) {
      if (basemapAllowed(s.basemap)) map.setBasemap(s.basemap);
      else queueMicrotask(() => store.set({ basemap: '' }));
    }
    if (changed.has('level')) {
      void switchLevel(s.level);
      return; // switchLevel re-renders everything once the level's indicators are known
    }
    if (changed.has('view')) renderView();
    // The planner sidebar lists periods and hotspot runs of the current indicator and layer.
    else if (s.view === 'planung' && (['indicator', 'period', 'layer'] as const).some((k) => changed.has(k)))
      renderPlanner(ctx);
    else if (s.view === 'forschung' && changed.has('period')) renderResearch(ctx);
    if (MAP_KEYS.some((k) => changed.has(k))) void mapController.update();
    if ((changed.has('run') || changed.has('k')) && !changed.has('view')) refreshResearchPanel(ctx);
    if (
      changed.has('area') ||
      changed.has('view') ||
      changed.has('period') ||
      (changed.has('indicator') && s.area) ||
      (changed.has('run') && s.view === 'beratung')
    )
      void updateAreaPanel(ctx);
  });

  // Beratung shows the run published for the level, whatever run a link names (a research run must
  // not reach counselling); Forschung without a run in the URL takes the newest one of this level.
  async function ensureRun(): Promise<void> {
    const { view, level, run } = store.state;
    if (view === 'planung' || view === 'daten' || (view === 'forschung' && run)) return;
    try {
      const id = view === 'beratung' ? await publishedRunId(level) : await ctx.latestRun();
      const now = store.state;
      if (now.view !== view || now.level !== level) return;
      if (view === 'beratung' ? now.run !== id : id && !now.run) store.set({ run: id });
    } catch {
      /* typologies not available: the indicator map is shown */
    }
  }
  store.subscribe((s, changed) => {
    if (changed.has('view') || changed.has('level') || (changed.has('run') && (!s.run || s.view === 'beratung')))
      void ensureRun();
  });
  await ensureRun();
  renderView();
  await mapController.update();
  void updateAreaPanel(ctx);
  document.body.dataset.ready = '1';
}

void start().catch((err) => {
  console.error(err);
  const s = document.getElementById('status');
  if (s) fill(s, h('p', { class: 'msg msg-error', role: 'alert' }, 'Die Anwendung konnte nicht gestartet werden.'));
});
