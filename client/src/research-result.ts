/**
 * The result panel of the research view: a typology run at the k of the URL with its validity
 * charts per k and the k choice, principal components, the types with stability and description,
 * the profile heatmap and the export. A slower answer for an older run is dropped.
 */
import { h, fill, message, select } from './dom.js';
import { typologyAt } from './data.js';
import { errorMessage } from './api.js';
import { eigenvalues, loadingCells, profileZ, typeStability } from './typology-data.js';
import { formatNumber } from './format.js';
import { typeColour } from './palettes.js';
import { describeParams, standardizationText } from './run-description.js';
import { exportSection } from './research-export.js';
import { diagnosticsSection, qualityTable, runActions } from './research-diagnostics-view.js';
import { typeNameEditor } from './type-name-editor.js';
import type { Ctx } from './ctx.js';
import type { TypologyRun } from './types.js';

/** Starts a new run with the parameters of `run` and another chosen k (needs the token). */
export type Rerun = (run: TypologyRun, k: number) => void;
/** Loads a stored run's parameters into the settings form ("Parameter übernehmen"). */
export type Adopt = (run: TypologyRun) => void;

/** Stability (mean Jaccard) below which a type is called unstable. */
const UNSTABLE_BELOW = 0.6;

/** Number of the latest showRun; an answer for an older one is dropped. */
let showSeq = 0;

export async function showRun(ctx: Ctx, runId: string, rerun: Rerun, adopt: Adopt): Promise<void> {
  const panel = ctx.panel;
  const seq = ++showSeq;
  fill(panel, h('h2', {}, `Lauf ${runId}`), message('Ergebnis wird geladen …'));
  try {
    // The types of the k in the URL come stored with the run: no token, no new run.
    const [{ run, members, k: shownK, chosen }, charts] = await Promise.all([
      typologyAt(runId, ctx.store.state.k),
      import('./charts.js'),
    ]);
    if (seq !== showSeq || ctx.store.state.run !== runId || ctx.store.state.view !== 'forschung') return;
    const keys = run.params?.indicators ?? [];
    const label = (k: string) => ctx.indicators.find((i) => i.key === k)?.label ?? k;
    const k = run.types.length;
    const eig = eigenvalues(run);
    const loads = loadingCells(run);
    const profile = run.types.flatMap((t) =>
      Object.entries(profileZ(t, keys)).map(([ind, v]) => ({ x: ind, y: `Typ ${t.type}`, v })),
    );
    const available = run.availableK ?? [run.chosenK];
    // A new run is still the way to bootstrap stability for another k, or to get any other k of a
    // run stored before every k was kept: an explicit button, never a side effect of the k choice.
    const rerunButton = (kNew: number) =>
      h(
        'button',
        { type: 'button', testid: 'rerun-k', onclick: () => rerun(run, kNew) },
        `Neuen Lauf mit k = ${kNew} berechnen (mit Stabilitätsprüfung, braucht das Token)`,
      );
    const kNote = h('div', { testid: 'k-note' });
    const noteFor = (kWanted: number) => {
      if (kWanted === run.chosenK) return fill(kNote);
      if (!available.includes(kWanted))
        return fill(
          kNote,
          h('p', { class: 'hint' }, `Dieser Lauf ist älter und speichert nur die Typen für k = ${run.chosenK}.`),
          rerunButton(kWanted),
        );
      fill(
        kNote,
        h(
          'p',
          { class: 'hint' },
          `Gespeicherte Typen für k = ${kWanted} aus diesem Lauf (im Lauf gewählt: k = ${run.chosenK}). Die Stabilität (Bootstrap) ist nur für das gewählte k berechnet.`,
        ),
        rerunButton(kWanted),
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
                run.byK.map((b) => ({
                  value: String(b.k),
                  label: b.k === run.chosenK ? `${b.k} (gewählt)` : String(b.k),
                })),
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
    fill(
      panel,
      h(
        'h2',
        { testid: 'run-title' },
        chosen ? `Lauf ${run.runId}: ${k} Typen` : `Lauf ${run.runId}: ${k} Typen (k = ${shownK})`,
      ),
      h('p', { class: 'panel-meta' }, describeParams(run.params)),
      run.standardization
        ? h(
            'p',
            { class: 'hint', testid: 'run-standardization' },
            `Standardisierung: ${standardizationText(run.standardization)}`,
          )
        : null,
      runActions(run, adopt),
      // Names for counselling; after saving, the map's legend is drawn again with the new names.
      typeNameEditor(run, chosen ? undefined : shownK, () => ctx.refreshMap()),
      run.byK && run.byK.length > 1
        ? h('section', {}, h('h3', {}, 'Wahl von k'), charts.byKCharts(run.byK, shownK), qualityTable(run), kPick)
        : null,
      diagnosticsSection(run, label),
      eig.length
        ? h(
            'section',
            {},
            h('h3', {}, 'Hauptkomponenten'),
            charts.scree(eig),
            loads.length
              ? charts.heatmap(
                  loads.map((c) => ({ x: c.component, y: label(c.indicator), v: c.value })),
                  { label: 'Ladungen', testid: 'chart-loadings', domain: 1, marginLeft: 190 },
                )
              : null,
          )
        : null,
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
                ` (${t.size} Gebiete${st !== null ? `, Stabilität ${formatNumber(st, 2)}${st < UNSTABLE_BELOW ? ' – instabil' : ''}` : ''})`,
                h('p', { class: 'type-description' }, t.description),
              );
            }),
        ),
        profile.length
          ? charts.heatmap(profile, {
              label: 'Typprofile: mittlere z-Werte (rot = über, blau = unter dem Durchschnitt)',
              testid: 'chart-profile-heatmap',
              xOrder: keys,
              domain: 2,
            })
          : null,
      ),
      exportSection(run, members, chosen ? undefined : shownK, (text) => panel.append(message(text, 'error'))),
    );
  } catch (err) {
    fill(panel, h('h2', {}, `Lauf ${runId}`), message(errorMessage(err), 'error'));
  }
}
