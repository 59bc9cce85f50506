/**
 * The planner's "Gebiete vergleichen" box: the planner picks 2–4 areas of the level (from a list or
 * the area selected on the map) and sees every indicator side by side with the first area's parent,
 * Berlin as a whole and each area's difference to the first, at the shown period. The chosen areas
 * live here, not in the URL, and survive a re-render of the sidebar; a new level starts afresh
 * (codes belong to one level). The numbers are compare-data.ts.
 */
import { h, fill, message, select } from './dom.js';
import { api } from './data.js';
import { errorMessage, fetchJson, q } from './api.js';
import { formatNumber, formatPeriod } from './format.js';
import {
  addCompareCode,
  barShare,
  cityIndex,
  compareTable,
  removeCompareCode,
  MAX_COMPARE,
  MIN_COMPARE,
  type CompareAnswer,
  type CompareParent,
} from './compare-data.js';
import type { Ctx } from './ctx.js';

/** The chosen areas and the level they belong to. */
const chosen = { level: '', codes: [] as string[] };

export function renderComparePanel(ctx: Ctx, box: HTMLElement): void {
  const s = ctx.store.state;
  if (chosen.level !== s.level) Object.assign(chosen, { level: s.level, codes: [] });
  const names = new Map<string, string>();
  const picker = h('div', {});
  const list = h('ul', { class: 'compare-chosen', testid: 'compare-chosen' });
  const result = h('div', { testid: 'compare-result', 'aria-live': 'polite' });
  const status = h('p', { class: 'hint', role: 'status', testid: 'compare-status' });

  const update = () => {
    fill(
      list,
      ...chosen.codes.map((c) =>
        h(
          'li',
          { 'data-code': c, testid: 'compare-area' },
          names.get(c) ?? c,
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              'aria-label': `${names.get(c) ?? c} aus dem Vergleich entfernen`,
              onclick: () => {
                chosen.codes = removeCompareCode(chosen.codes, c);
                update();
              },
            },
            'entfernen',
          ),
        ),
      ),
    );
    status.textContent =
      chosen.codes.length < MIN_COMPARE
        ? `Bitte mindestens ${MIN_COMPARE} Gebiete wählen (höchstens ${MAX_COMPARE}).`
        : `${chosen.codes.length} von höchstens ${MAX_COMPARE} Gebieten gewählt.`;
    if (chosen.codes.length >= MIN_COMPARE) void loadTable(ctx, result);
    else fill(result);
  };
  const add = (code: string) => {
    const before = chosen.codes.length;
    chosen.codes = addCompareCode(chosen.codes, code);
    if (chosen.codes.length === before && !chosen.codes.includes(code))
      status.textContent = `Höchstens ${MAX_COMPARE} Gebiete: bitte zuerst eines entfernen.`;
    else update();
  };

  fill(
    box,
    h('p', { class: 'hint' }, 'Alle Indikatoren nebeneinander, mit dem übergeordneten Gebiet und Berlin insgesamt.'),
    picker,
    h(
      'button',
      {
        type: 'button',
        testid: 'compare-add-selected',
        onclick: () => {
          const area = ctx.store.state.area;
          if (area) add(area);
          else status.textContent = 'Auf der Karte ist kein Gebiet ausgewählt.';
        },
      },
      'Ausgewähltes Gebiet hinzufügen',
    ),
    list,
    status,
    result,
  );

  // The area list comes with the values of the shown indicator (every area, hidden ones too).
  api
    .values(s.indicator, s.period, s.level)
    .then((v) => {
      for (const r of v.values) names.set(r.code, r.name);
      const options = [...v.values]
        .sort((a, b) => a.name.localeCompare(b.name, 'de'))
        .map((r) => ({ value: r.code, label: `${r.name} (${r.code})` }));
      const sel = select({ id: 'compare-pick', testid: 'compare-pick' }, options, options[0]?.value ?? '', () => {});
      fill(
        picker,
        h('label', { for: 'compare-pick' }, 'Gebiet'),
        h(
          'div',
          { class: 'row' },
          sel,
          h('button', { type: 'button', testid: 'compare-add', onclick: () => add(sel.value) }, 'Hinzufügen'),
        ),
      );
      update();
    })
    .catch((err) => fill(picker, message(errorMessage(err), 'error')));
}

/** The table for the chosen areas; the first area's parent comes from its profile. */
async function loadTable(ctx: Ctx, box: HTMLElement): Promise<void> {
  const s = ctx.store.state;
  const codes = [...chosen.codes];
  fill(box, message('Vergleich wird geladen …'));
  try {
    const [answer, profile] = await Promise.all([
      fetchJson<CompareAnswer>(`/api/compare${q({ codes: codes.join(','), level: s.level, period: s.period })}`),
      api.area(codes[0], s.level, s.period).catch(() => null),
    ]);
    if (codes.join(',') !== chosen.codes.join(',')) return; // a newer choice won
    const parent: CompareParent | null = profile?.parent
      ? { name: profile.parent.name, values: new Map(profile.indicators.map((i) => [i.key, i.parentValue])) }
      : null;
    const t = compareTable(answer, parent);
    fill(
      box,
      compareBars(answer, t.areas),
      h(
        'button',
        { type: 'button', class: 'secondary', testid: 'compare-wide', onclick: () => openWide(t) },
        'Große Ansicht',
      ),
      h(
        'div',
        { class: 'compare-scroll', tabindex: 0, role: 'region', 'aria-label': 'Vergleichstabelle' },
        compareTableElement(t, ''),
      ),
    );
  } catch (err) {
    fill(box, message(errorMessage(err), 'error'));
  }
}

type CompareTableView = ReturnType<typeof compareTable>;

/**
 * The comparison as a table. `suffix` keeps the test ids of the copy in the wide dialog apart
 * from the sidebar's ('' in the sidebar, '-wide' in the dialog).
 */
function compareTableElement(t: CompareTableView, suffix: string): HTMLElement {
  return h(
    'table',
    { class: 'compare', testid: `compare-table${suffix}` },
    h('caption', {}, `Stand ${formatPeriod(t.period)}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Indikator'),
        ...t.areas.map((a) => h('th', { scope: 'col', 'data-code': a.code }, a.name)),
        t.parentName ? h('th', { scope: 'col' }, t.parentName) : null,
        h('th', { scope: 'col' }, 'Berlin'),
        ...t.differenceHeaders.map((d) => h('th', { scope: 'col' }, `Differenz ${d}`)),
      ),
    ),
    h(
      'tbody',
      {},
      ...t.rows.map((r) =>
        h(
          'tr',
          { testid: `compare-row${suffix}`, 'data-indicator': r.indicator },
          h('th', { scope: 'row' }, r.label),
          ...r.cells.map((c) => h('td', { class: 'num' }, c)),
          t.parentName ? h('td', { class: 'num' }, r.parent ?? '') : null,
          h('td', { class: 'num' }, r.region),
          ...r.differenceText.map((d, i) => h('td', { class: 'num diff', 'data-diff': r.differences[i] ?? '' }, d)),
        ),
      ),
    ),
  );
}

/**
 * The sidebar shows one or two columns of a wide comparison; the dialog shows all of them at
 * once. It is modal (Escape or "Schließen" closes it, focus returns to the button) and is removed
 * when closed, so only one copy of the table exists besides the sidebar's.
 */
function openWide(t: CompareTableView): void {
  const close = h(
    'button',
    { type: 'button', testid: 'compare-wide-close', onclick: () => dialog.close() },
    'Schließen',
  );
  const dialog = h(
    'dialog',
    { class: 'compare-dialog', 'aria-labelledby': 'compare-wide-title', testid: 'compare-dialog' },
    h('div', { class: 'compare-dialog-head' }, h('h2', { id: 'compare-wide-title' }, 'Gebiete vergleichen'), close),
    compareTableElement(t, '-wide'),
  ) as HTMLDialogElement;
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

/** Bar colours of the areas in order (colour-blind safe, distinct from the map's classes). */
const AREA_COLOURS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a'];

/**
 * Bars per indicator: each area's value as an index of Berlin's (Berlin = 100, the marked line), so
 * indicators of different units sit side by side; the exact numbers are in the table below.
 */
function compareBars(answer: CompareAnswer, areas: { code: string; name: string }[]): HTMLElement {
  const legend = h(
    'p',
    { class: 'hint' },
    'Balken: Wert im Verhältnis zu Berlin (Strich = Berlin, 100); ',
    ...areas.map((a, i) =>
      h(
        'span',
        { class: 'compare-key' },
        h('span', { class: 'swatch', style: `background:${AREA_COLOURS[i]}` }),
        a.name,
        ' ',
      ),
    ),
  );
  const rows = answer.rows
    .filter((r) => r.values.some((v) => cityIndex(v, r.region) !== null))
    .map((r) =>
      h(
        'div',
        { class: 'compare-bar-row', testid: 'compare-bars-row', 'data-indicator': r.indicator },
        h('div', { class: 'compare-bar-label' }, r.label),
        ...r.values.map((v, i) => {
          const idx = cityIndex(v, r.region);
          return h(
            'div',
            {
              class: 'compare-bar-track',
              title:
                idx === null
                  ? `${areas[i]?.name}: keine Angabe`
                  : `${areas[i]?.name}: ${formatNumber(idx, 0)} (Berlin = 100)`,
            },
            h('div', {
              class: 'compare-bar',
              'data-index': idx === null ? '' : idx.toFixed(3),
              style: `width:${(barShare(idx) * 100).toFixed(1)}%;background:${AREA_COLOURS[i]}`,
            }),
          );
        }),
      ),
    );
  return h('details', { testid: 'compare-bars' }, h('summary', {}, 'Als Balken (Berlin = 100)'), legend, ...rows);
}
