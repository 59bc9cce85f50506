/**
 * "Daten" (for editors): a file in through the browser and the indicator catalogue.
 * Choose a CSV or Excel file → the preview (what was recognised, the settings and the column
 * mapping to change, every problem with row, column and value, the first rows) → "Übernehmen";
 * the history with "Rückgängig machen"; the catalogue with an edit form. Nothing is written
 * before "Übernehmen". Texts and the PATCH body come from upload-data.ts (pure, tested).
 */
import { h, fill, message } from './dom.js';
import { canWrite, fetchJson, errorMessage, getToken, setToken, q } from './api.js';
import {
  canCommit,
  detectedLines,
  historyCells,
  problemReason,
  problemWhere,
  settingsPatch,
  summaryText,
  type DataForm,
} from './upload-data.js';
import {
  KINDS,
  fileInfoLines,
  kindFields,
  kindFormOf,
  kindReportText,
  kindSettingsPatch,
  kindUnit,
} from './upload-kinds.js';
import type { Ctx } from './ctx.js';
import type {
  ImportCommitResult,
  ImportHistoryEntry,
  ImportKind,
  ImportKindReport,
  ImportPreview,
  ImportUndoResult,
} from '../../server/api-types.js';

/** One catalogue row as GET /api/indicators/catalogue answers it. */
interface CatalogueRow {
  key: string;
  label: string;
  unit: string | null;
  topic: string | null;
  polarity: number;
  target: number | null;
  target_direction: 'max' | 'min' | null;
  description: string | null;
  source: string | null;
  attribution: string | null;
  visibility: 'public' | 'grunddaten';
}

const authed = { auth: true } as const;

export function renderData(ctx: Ctx): void {
  const preview = h('div', { id: 'data-preview', testid: 'data-preview' });
  const history = h('div', { id: 'data-history', testid: 'data-history' });
  const catalogue = h('div', { id: 'data-catalogue', testid: 'data-catalogue' });
  const status = h('div', { testid: 'data-status' });
  const fileInput = h('input', {
    type: 'file',
    id: 'data-file',
    accept: KINDS[0].accept,
    testid: 'data-file',
  });
  const fileLabel = h('label', { for: 'data-file' }, `Datei (${KINDS[0].files})`);
  const kindSelect = h(
    'select',
    {
      id: 'data-kind',
      testid: 'data-kind',
      onchange: () => {
        const k = KINDS.find((x) => x.kind === kindSelect.value) ?? KINDS[0];
        fileInput.accept = k.accept;
        fill(fileLabel, `Datei (${k.files})`);
      },
    },
    ...KINDS.map((k) => h('option', { value: k.kind }, k.label)),
  );
  const periodInput = h('input', { type: 'date', id: 'data-period', testid: 'data-period' });
  const tokenInput = h('input', {
    type: 'password',
    id: 'data-token',
    autocomplete: 'off',
    value: getToken(),
    testid: 'data-token',
    onchange: () => setToken(tokenInput.value.trim()),
  });

  const upload = async (): Promise<void> => {
    const file = fileInput.files?.[0];
    if (!file) return fill(status, message('Bitte zuerst eine Datei wählen.', 'error'));
    fill(status, message('Datei wird gelesen …'));
    try {
      const kind = kindSelect.value as ImportKind;
      const query = {
        name: file.name,
        kind,
        period: kind === 'indicators' || kind === 'points' ? periodInput.value : '',
      };
      const p = await fetchJson<ImportPreview>(`/api/imports${q(query)}`, {
        method: 'POST',
        body: file,
        headers: { 'Content-Type': 'application/octet-stream' },
        ...authed,
      });
      fill(status);
      showPreview(ctx, preview, status, p, () => void loadHistory());
      void loadHistory();
    } catch (err) {
      fill(status, message(errorMessage(err), 'error'));
    }
  };

  const loadHistory = async (): Promise<void> => {
    try {
      const entries = await fetchJson<ImportHistoryEntry[]>('/api/imports', authed);
      showHistory(history, status, entries, () => void loadHistory());
    } catch (err) {
      fill(history, message(`Verlauf: ${errorMessage(err)}`, 'error'));
    }
  };
  const loadCatalogue = async (): Promise<void> => {
    try {
      const rows = await fetchJson<CatalogueRow[]>('/api/indicators/catalogue', authed);
      showCatalogue(catalogue, rows, () => void loadCatalogue());
    } catch (err) {
      fill(catalogue, message(`Katalog: ${errorMessage(err)}`, 'error'));
    }
  };

  fill(
    ctx.controls,
    h('h2', {}, 'Daten'),
    h(
      'p',
      { class: 'hint' },
      'Indikatorwerte, Gebiete, Punktdaten oder Indikator-Metadaten hochladen. Vor dem Übernehmen wird nichts gespeichert.',
    ),
    h('label', { for: 'data-token' }, 'Zugangstoken (falls nicht angemeldet)'),
    tokenInput,
    h('label', { for: 'data-kind' }, 'Art der Daten'),
    kindSelect,
    fileLabel,
    fileInput,
    h('label', { for: 'data-period' }, 'Stichtag (bei einer Spalte je Indikator) oder Stand der Punktdaten'),
    periodInput,
    h('button', { type: 'button', testid: 'data-upload', onclick: () => void upload() }, 'Datei prüfen'),
    status,
    preview,
    h('h3', {}, 'Bisherige Importe'),
    h('button', { type: 'button', class: 'secondary', onclick: () => void loadHistory() }, 'Verlauf laden'),
    history,
    h('h3', {}, 'Indikatorkatalog'),
    h('button', { type: 'button', class: 'secondary', onclick: () => void loadCatalogue() }, 'Katalog laden'),
    catalogue,
  );
  if (canWrite()) {
    void loadHistory();
    void loadCatalogue();
  }
}

/** The preview: recognised settings, the form, problems, what would be written, the first rows. */
/** Sends changed settings (PATCH /api/imports/{id}) and shows the preview the server answers. */
async function repreview(
  ctx: Ctx,
  box: HTMLElement,
  status: HTMLElement,
  id: number,
  settings: unknown,
  onChange: () => void,
): Promise<void> {
  fill(status, message('Vorschau wird neu berechnet …'));
  try {
    const next = await fetchJson<ImportPreview>(`/api/imports/${id}`, {
      method: 'PATCH',
      body: JSON.stringify(settings),
      ...authed,
    });
    fill(status);
    showPreview(ctx, box, status, next, onChange);
  } catch (err) {
    fill(status, message(errorMessage(err), 'error'));
  }
}

function showPreview(ctx: Ctx, box: HTMLElement, status: HTMLElement, p: ImportPreview, onChange: () => void): void {
  if (p.kind !== 'indicators') return showKindPreview(ctx, box, status, p, onChange);
  const form: DataForm = {
    level: p.mapping.level ?? '',
    codeField: p.mapping.codeField ?? '',
    period: p.mapping.period ?? '',
    decimal: p.detected?.decimal ?? '',
    missing: ((p.settings.missing as string[] | undefined) ?? []).join(' '),
    columns: Object.fromEntries(p.mapping.columns.map((c) => [c.column, c.indicator ?? ''])),
  };
  const refresh = () => repreview(ctx, box, status, p.id, settingsPatch(form), onChange);
  const commit = async (): Promise<void> => {
    fill(status, message('Wird übernommen …'));
    try {
      const r = await fetchJson<ImportCommitResult>(`/api/imports/${p.id}/commit`, { method: 'POST', ...authed });
      const created = 'newIndicators' in r.report ? r.report.newIndicators?.[0] : undefined;
      const shown = created ?? p.mapping.columns.find((c) => c.indicator)?.indicator ?? '';
      fill(
        box,
        message(
          `Übernommen: ${r.report.total} Werte, ${r.report.added} neu, ${r.report.replaced} ersetzt (Import ${r.entry.id}).`,
        ),
        ...r.report.warnings.map((w) => h('p', { class: 'hint' }, w)),
        h(
          'button',
          { type: 'button', testid: 'data-show-map', onclick: () => showOnMap(ctx, r.report.level ?? '', shown) },
          'Auf der Karte zeigen',
        ),
      );
      fill(status);
      onChange();
    } catch (err) {
      fill(status, message(errorMessage(err), 'error'));
    }
  };

  const levelSelect = h(
    'select',
    {
      id: 'data-level',
      testid: 'data-level',
      onchange: (e: Event) => (form.level = (e.target as HTMLSelectElement).value),
    },
    h('option', { value: '' }, '– bitte wählen –'),
    ...p.levels.map((l) => h('option', { value: l.key, selected: l.key === form.level }, `${l.label} (${l.key})`)),
  );
  const codeSelect = h(
    'select',
    {
      id: 'data-code',
      testid: 'data-code',
      onchange: (e: Event) => (form.codeField = (e.target as HTMLSelectElement).value),
    },
    ...p.header.map((c) => h('option', { value: c, selected: c === form.codeField }, c)),
  );
  const text = (id: string, value: string, set: (v: string) => void, type = 'text') =>
    h('input', { id, type, value, testid: id, onchange: (e: Event) => set((e.target as HTMLInputElement).value) });
  const errors = p.problems.filter((x) => x.severity === 'error');
  const warnings = p.problems.filter((x) => x.severity === 'warning');

  fill(
    box,
    h('h3', {}, `Vorschau: ${p.fileName}`),
    p.detected
      ? h(
          'ul',
          { class: 'data-detected', testid: 'data-detected' },
          ...detectedLines(p.detected).map((l) => h('li', {}, l)),
        )
      : null,
    h('h4', {}, 'Prüfung'),
    h('p', { testid: 'data-summary', class: errors.length > 0 ? 'msg msg-error' : 'msg' }, summaryText(p)),
    errors.length + warnings.length > 0
      ? h(
          'ul',
          { class: 'data-problems', testid: 'data-problems' },
          ...[...errors, ...warnings].map((x) =>
            h(
              'li',
              { class: x.severity === 'error' ? 'problem-error' : 'problem-warning', 'data-row': x.row ?? '' },
              h('strong', {}, x.severity === 'error' ? 'Fehler' : 'Hinweis'),
              ' ',
              problemWhere(x) ? `${problemWhere(x)}: ` : '',
              problemReason(x),
            ),
          ),
        )
      : null,
    ...p.warnings.map((w) => h('p', { class: 'hint' }, w)),
    h('h4', {}, 'Einstellungen'),
    h('label', { for: 'data-level' }, 'Gebietsebene'),
    levelSelect,
    h('label', { for: 'data-code' }, 'Spalte mit dem Gebietsschlüssel'),
    codeSelect,
    h('label', { for: 'data-period-set' }, 'Stichtag'),
    text('data-period-set', form.period, (v) => (form.period = v), 'date'),
    h('label', { for: 'data-decimal' }, 'Dezimalzeichen'),
    h(
      'select',
      { id: 'data-decimal', onchange: (e: Event) => (form.decimal = (e.target as HTMLSelectElement).value) },
      h('option', { value: ',', selected: form.decimal === ',' }, 'Komma (12,5)'),
      h('option', { value: '.', selected: form.decimal === '.' }, 'Punkt (12.5)'),
    ),
    h('label', { for: 'data-missing' }, 'Zeichen für fehlende Werte (durch Leerzeichen getrennt)'),
    text('data-missing', form.missing, (v) => (form.missing = v)),
    p.mapping.columns.length > 0 ? h('h4', {}, 'Spalten → Indikatoren') : null,
    p.mapping.columns.length > 0
      ? h(
          'table',
          { class: 'data-mapping', testid: 'data-mapping' },
          h('tr', {}, h('th', {}, 'Spalte'), h('th', {}, 'Indikator (leer = weglassen)'), h('th', {}, '')),
          ...p.mapping.columns.map((c) =>
            h(
              'tr',
              {},
              h('td', {}, c.column),
              h(
                'td',
                {},
                h('input', {
                  type: 'text',
                  value: c.indicator ?? '',
                  'aria-label': `Indikator für Spalte ${c.column}`,
                  'data-column': c.column,
                  testid: 'data-map-input',
                  onchange: (e: Event) => (form.columns[c.column] = (e.target as HTMLInputElement).value),
                }),
              ),
              h(
                'td',
                {},
                c.status === 'existing'
                  ? `vorhanden: ${c.label ?? ''}`
                  : c.status === 'new'
                    ? 'wird neu angelegt'
                    : 'weggelassen',
              ),
            ),
          ),
        )
      : null,
    h('button', { type: 'button', testid: 'data-refresh', onclick: () => void refresh() }, 'Vorschau aktualisieren'),
    h(
      'button',
      { type: 'button', testid: 'data-commit', disabled: !canCommit(p), onclick: () => void commit() },
      'Übernehmen',
    ),
    h('h4', {}, `Erste ${p.rows.length} Zeilen`),
    h(
      'div',
      { class: 'data-table-wrap' },
      h(
        'table',
        { class: 'data-rows', testid: 'data-rows' },
        h('tr', {}, h('th', {}, 'Zeile'), ...p.header.map((c) => h('th', {}, c))),
        ...p.rows.map((r, i) => h('tr', {}, h('td', {}, String(i + 1)), ...r.map((c) => h('td', {}, c)))),
      ),
    ),
  );
}

/** The history table with "Rückgängig machen" on committed imports. */
function showHistory(box: HTMLElement, status: HTMLElement, entries: ImportHistoryEntry[], reload: () => void): void {
  const undo = async (e: ImportHistoryEntry): Promise<void> => {
    try {
      const r = await fetchJson<ImportUndoResult>(`/api/imports/${e.id}`, { method: 'DELETE', ...authed });
      fill(
        status,
        message(
          `Import ${e.id} rückgängig gemacht: ${r.restored} ${kindUnit(e.kind)} wiederhergestellt, ${r.removed} entfernt.`,
        ),
      );
      reload();
    } catch (err) {
      fill(status, message(errorMessage(err), 'error'));
    }
  };
  const committed = entries.filter((e) => e.status !== 'preview');
  if (committed.length === 0) return fill(box, h('p', { class: 'hint' }, 'Noch nichts übernommen.'));
  fill(
    box,
    h(
      'div',
      { class: 'data-table-wrap' },
      h(
        'table',
        { class: 'data-history' },
        h(
          'tr',
          {},
          ...['Zeitpunkt', 'Wer', 'Datei', 'Ebene', 'Stichtage', 'neu', 'ersetzt', 'Status', ''].map((t) =>
            h('th', {}, t),
          ),
        ),
        ...committed.map((e) =>
          h(
            'tr',
            { 'data-import': e.id },
            ...historyCells(e).map((c) => h('td', {}, c)),
            h(
              'td',
              {},
              e.status === 'committed'
                ? h(
                    'button',
                    { type: 'button', class: 'secondary', testid: 'data-undo', onclick: () => void undo(e) },
                    'Rückgängig machen',
                  )
                : null,
            ),
          ),
        ),
      ),
    ),
  );
}

/** The catalogue with one edit form at a time. */
function showCatalogue(box: HTMLElement, rows: CatalogueRow[], reload: () => void): void {
  const form = h('div', { class: 'data-edit' });
  const edit = (r: CatalogueRow): void => {
    const field = (name: string, label: string, value: string) =>
      h('label', {}, label, h('input', { type: 'text', name, value }));
    const out = h('div', {});
    const f = h(
      'form',
      { testid: 'data-edit-form' },
      h('h4', {}, `${r.key} bearbeiten`),
      field('label', 'Bezeichnung', r.label),
      field('unit', 'Einheit', r.unit ?? ''),
      field('topic', 'Lebenslage', r.topic ?? ''),
      h(
        'label',
        {},
        'Richtung',
        h(
          'select',
          { name: 'polarity' },
          h('option', { value: '1', selected: r.polarity === 1 }, 'höher = mehr Bedarf'),
          h('option', { value: '0', selected: r.polarity === 0 }, 'ohne Richtung'),
          h('option', { value: '-1', selected: r.polarity === -1 }, 'höher = weniger Bedarf'),
        ),
      ),
      field('target', 'Zielwert', r.target === null ? '' : String(r.target).replace('.', ',')),
      h(
        'label',
        {},
        'Ziel bedeutet',
        h(
          'select',
          { name: 'target_direction' },
          h('option', { value: '', selected: r.target_direction === null }, '–'),
          h('option', { value: 'max', selected: r.target_direction === 'max' }, 'höchstens'),
          h('option', { value: 'min', selected: r.target_direction === 'min' }, 'mindestens'),
        ),
      ),
      h('label', {}, 'Beschreibung', h('textarea', { name: 'description', rows: 4 }, r.description ?? '')),
      field('source', 'Quelle', r.source ?? ''),
      field('attribution', 'Nutzungsbedingungen / Namensnennung', r.attribution ?? ''),
      h(
        'label',
        {},
        'Sichtbarkeit',
        h(
          'select',
          { name: 'visibility' },
          h('option', { value: 'public', selected: r.visibility === 'public' }, 'öffentlich'),
          h(
            'option',
            { value: 'grunddaten', selected: r.visibility === 'grunddaten' },
            'nur Grunddaten (nicht im Katalog)',
          ),
        ),
      ),
      h('button', { type: 'submit' }, 'Speichern'),
      out,
    );
    f.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const data = new FormData(f);
      const str = (k: string) => String(data.get(k) ?? '').trim();
      const target = str('target').replace(',', '.');
      const body = {
        label: str('label'),
        unit: str('unit') || null,
        topic: str('topic') || null,
        polarity: Number(str('polarity')),
        target: target === '' ? null : Number(target),
        target_direction: str('target_direction') || null,
        description: str('description') || null,
        source: str('source') || null,
        attribution: str('attribution') || null,
        visibility: str('visibility'),
      };
      void fetchJson(`/api/indicators/${encodeURIComponent(r.key)}`, {
        method: 'PATCH',
        body: JSON.stringify(body),
        ...authed,
      })
        .then(() => reload())
        .catch((err: unknown) => fill(out, message(errorMessage(err), 'error')));
    });
    fill(form, f);
  };
  fill(
    box,
    h(
      'div',
      { class: 'data-table-wrap' },
      h(
        'table',
        { class: 'data-catalogue' },
        h('tr', {}, ...['Schlüssel', 'Bezeichnung', 'Einheit', 'Lebenslage', 'Quelle', ''].map((t) => h('th', {}, t))),
        ...rows.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, r.key),
            h('td', {}, r.label),
            h('td', {}, r.unit ?? ''),
            h('td', {}, r.topic ?? ''),
            h('td', {}, [r.source, r.attribution].filter(Boolean).join(' · ')),
            h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => edit(r) }, 'Bearbeiten')),
          ),
        ),
      ),
    ),
    form,
  );
}

/** Opens the planner map on the imported indicator; a reload loads the new catalogue. */
function showOnMap(ctx: Ctx, level: string, indicator: string): void {
  ctx.store.set({ view: 'planung', ...(level ? { level } : {}), ...(indicator ? { indicator } : {}) });
  // The catalogue of the page was read at start: read it again with the new indicator.
  setTimeout(() => location.reload(), 50);
}

/**
 * The preview of an areas, points or metadata upload: what the reader found, the CLI's dry-run
 * report (for areas: new, changed and missing codes), every problem with its feature or row, the
 * kind's settings (the CLI's flags), and the first features or rows as read.
 */
function showKindPreview(
  ctx: Ctx,
  box: HTMLElement,
  status: HTMLElement,
  p: ImportPreview,
  onChange: () => void,
): void {
  const form = kindFormOf(p);
  const refresh = () => repreview(ctx, box, status, p.id, kindSettingsPatch(p.kind, form), onChange);
  const commit = async (): Promise<void> => {
    fill(status, message('Wird übernommen …'));
    try {
      const r = await fetchJson<ImportCommitResult>(`/api/imports/${p.id}/commit`, { method: 'POST', ...authed });
      const report = r.report as ImportKindReport;
      fill(
        box,
        message(`Übernommen (Import ${r.entry.id}): ${kindReportText(report)}`),
        ...report.warnings.map((w) => h('p', { class: 'hint' }, w)),
      );
      fill(status);
      onChange();
    } catch (err) {
      fill(status, message(errorMessage(err), 'error'));
    }
  };
  const fields = p.file?.fields ?? [];
  const input = (key: string, type: string) => {
    const id = `data-set-${key}`;
    const set = (e: Event) => (form[key] = (e.target as HTMLInputElement | HTMLSelectElement).value);
    if (type === 'field' || type === 'level') {
      const options = type === 'field' ? fields : p.levels.map((l) => l.key);
      return h(
        'select',
        { id, testid: id, onchange: set },
        h('option', { value: '' }, '–'),
        ...options.map((o) => h('option', { value: o, selected: o === form[key] }, o)),
      );
    }
    return h('input', { id, testid: id, type, value: form[key] ?? '', onchange: set });
  };
  const errors = p.problems.filter((x) => x.severity === 'error');
  const canCommitKind = p.status === 'preview' && p.report != null && errors.length === 0;
  fill(
    box,
    h('h3', {}, `Vorschau: ${p.fileName}`),
    p.file
      ? h(
          'ul',
          { class: 'data-detected', testid: 'data-detected' },
          ...fileInfoLines(p.file, p.kind).map((l) => h('li', {}, l)),
        )
      : null,
    h('h4', {}, 'Prüfung'),
    h(
      'p',
      { testid: 'data-summary', class: errors.length > 0 ? 'msg msg-error' : 'msg' },
      errors.length > 0
        ? `${errors.length} Fehler: so kann die Datei nicht übernommen werden.`
        : p.report
          ? kindReportText(p.report)
          : 'Die Datei kann so nicht übernommen werden.',
    ),
    errors.length > 0
      ? h(
          'ul',
          { class: 'data-problems', testid: 'data-problems' },
          ...errors.map((x) =>
            h('li', { class: 'problem-error', 'data-row': x.row ?? '' }, h('strong', {}, 'Fehler'), ' ', x.message),
          ),
        )
      : null,
    ...p.warnings.map((w) => h('p', { class: 'hint' }, w)),
    kindFields(p.kind).length > 0 ? h('h4', {}, 'Einstellungen') : null,
    ...kindFields(p.kind).flatMap(([key, label, type]) => [
      h('label', { for: `data-set-${key}` }, label),
      input(key, type),
    ]),
    kindFields(p.kind).length > 0
      ? h('button', { type: 'button', testid: 'data-refresh', onclick: () => void refresh() }, 'Vorschau aktualisieren')
      : null,
    h(
      'button',
      { type: 'button', testid: 'data-commit', disabled: !canCommitKind, onclick: () => void commit() },
      'Übernehmen',
    ),
    h('h4', {}, `Erste ${p.rows.length} ${p.kind === 'meta' || p.file?.format === 'csv' ? 'Zeilen' : 'Objekte'}`),
    h(
      'div',
      { class: 'data-table-wrap' },
      h(
        'table',
        { class: 'data-rows', testid: 'data-rows' },
        h('tr', {}, h('th', {}, 'Nr.'), ...p.header.map((c) => h('th', {}, c))),
        ...p.rows.map((r, i) => h('tr', {}, h('td', {}, String(i + 1)), ...r.map((c) => h('td', {}, c)))),
      ),
    ),
  );
}
