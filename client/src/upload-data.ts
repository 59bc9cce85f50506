/**
 * Pure helpers of the "Daten" view (view-data.ts): the German texts of a preview (what was
 * detected, each problem, what a commit would write), the history lines, and the PATCH body built
 * from what the user chose in the form. No DOM, no fetch: tested in test/client/upload-data.test.ts.
 */
import type { ImportDetected, ImportHistoryEntry, ImportPreview, ImportProblem } from '../../server/api-types.js';

/** "Zeile 3, Spalte „S4“, Wert „abc“" — where a problem is, as planners say it. */
export function problemWhere(p: ImportProblem): string {
  const parts: string[] = [];
  if (p.row !== undefined) parts.push(`Zeile ${p.row}`);
  if (p.field !== undefined) parts.push(`Spalte „${p.field}“`);
  if (p.value !== undefined) parts.push(`Wert „${p.value}“`);
  return parts.join(', ');
}

/** The reason of a problem without the "file, Zeile …: " prefix the CLI message starts with. */
export function problemReason(p: ImportProblem): string {
  const i = p.message.indexOf(': ');
  return i >= 0 ? p.message.slice(i + 2) : p.message;
}

const DELIMITERS: Record<string, string> = {
  ';': 'Semikolon',
  ',': 'Komma',
  '\t': 'Tabulator',
  '|': 'senkrechter Strich',
};

/** One line per detected property ("Trennzeichen: Semikolon"). */
export function detectedLines(d: ImportDetected): string[] {
  const lines = [
    `Format: ${d.format === 'csv' ? 'CSV-Text' : d.format === 'ods' ? 'OpenDocument-Tabelle' : 'Excel-Tabelle'}`,
  ];
  if (d.format === 'csv') lines.push(`Zeichenkodierung: ${d.encoding.toUpperCase()}`);
  if (d.delimiter !== undefined) lines.push(`Trennzeichen: ${DELIMITERS[d.delimiter] ?? d.delimiter}`);
  lines.push(`Dezimalzeichen: ${d.decimal === ',' ? 'Komma' : 'Punkt'}`);
  if (d.thousands)
    lines.push(
      `Tausendertrennzeichen: ${d.thousands === '.' ? 'Punkt' : d.thousands === ',' ? 'Komma' : 'Leerzeichen'}`,
    );
  lines.push(d.headerRow > 1 ? `Kopfzeile: Zeile ${d.headerRow} (Titel darüber übersprungen)` : 'Kopfzeile: Zeile 1');
  if (d.missing.length > 0) lines.push(`Zeichen für fehlende Werte: ${d.missing.map((m) => `„${m}“`).join(', ')}`);
  if (d.codesAsNumbers) lines.push('Gebietsschlüssel als Zahlen gespeichert: führende Nullen werden ergänzt');
  return lines;
}

/** What a commit would write, or why it cannot. */
export function summaryText(p: ImportPreview): string {
  const errors = p.problems.filter((x) => x.severity === 'error').length;
  if (errors > 0) return `${errors} ${errors === 1 ? 'Fehler' : 'Fehler'}: so kann die Datei nicht übernommen werden.`;
  if (!p.summary) return 'Die Datei kann so nicht übernommen werden.';
  const s = p.summary;
  const parts = [`${s.total} Werte: ${s.added} neu, ${s.replaced} ersetzt`];
  if (s.periods.length > 0) parts.push(`Stichtag ${s.periods.map(germanDate).join(', ')}`);
  if (s.newIndicators.length > 0) parts.push(`neue Indikatoren: ${s.newIndicators.join(', ')}`);
  return `${parts.join('; ')}.`;
}

/** True when the preview can be committed. */
export function canCommit(p: ImportPreview): boolean {
  return p.status === 'preview' && p.summary !== null && !p.problems.some((x) => x.severity === 'error');
}

/** 2020-12-31 → 31.12.2020 */
export function germanDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** "31.12.2020, 14:05" in the browser's time zone. */
export function germanDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getDate())}.${two(d.getMonth() + 1)}.${d.getFullYear()}, ${two(d.getHours())}:${two(d.getMinutes())}`;
}

const STATUS: Record<ImportHistoryEntry['status'], string> = {
  preview: 'nur Vorschau',
  committed: 'übernommen',
  undone: 'rückgängig gemacht',
};

/** The cells of one history row: Zeitpunkt, Wer, Datei, Ebene, Stichtage, neu, ersetzt, Status. */
export function historyCells(e: ImportHistoryEntry): string[] {
  return [
    germanDateTime(e.committed ?? e.created),
    e.committedBy ?? e.actor,
    e.fileName,
    e.level ?? '',
    e.periods.map(germanDate).join(', '),
    e.added === null ? '' : String(e.added),
    e.replaced === null ? '' : String(e.replaced),
    STATUS[e.status],
  ];
}

/** What the user chose in the form; '' means "not set" (the server detects or proposes it). */
export interface DataForm {
  level: string;
  codeField: string;
  period: string;
  decimal: string;
  missing: string;
  /** Column → indicator key; '' leaves the column out. */
  columns: Record<string, string>;
}

/** The PATCH body of /api/imports/{id} from the form (only what is set). */
export function settingsPatch(form: DataForm): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (form.level) body.level = form.level;
  if (form.codeField) body.codeField = form.codeField;
  if (form.period) body.period = form.period;
  if (form.decimal === '.' || form.decimal === ',') body.decimal = form.decimal;
  const missing = form.missing
    .split(/\s+/)
    .map((m) => m.trim())
    .filter((m) => m !== '');
  if (missing.length > 0) body.missing = missing;
  const columns = Object.entries(form.columns);
  if (columns.length > 0)
    body.columns = Object.fromEntries(columns.map(([c, k]) => [c, k.trim() === '' ? null : k.trim()]));
  return body;
}
