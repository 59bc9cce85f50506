/**
 * Pure helpers of the "Daten" view for uploads of areas, point layers and indicator metadata
 * (view-data.ts): the kinds offered, what the reader found, the CLI's dry-run report in German,
 * and the PATCH body of the kind's settings. No DOM, no fetch.
 */
import type { ImportFileInfo, ImportKind, ImportKindReport, ImportPreview } from '../../server/api-types.js';
import { germanDate } from './upload-data.js';

/** The kinds in the selector, with the files each takes (the file input's accept list). */
export const KINDS: { kind: ImportKind; label: string; accept: string; files: string }[] = [
  { kind: 'indicators', label: 'Indikatorwerte', accept: '.csv,.txt,.xlsx,.xlsm,.ods', files: 'CSV, XLSX oder ODS' },
  {
    kind: 'areas',
    label: 'Gebiete',
    accept: '.geojson,.json,.zip,.csv',
    files: 'GeoJSON, Shapefile als ZIP oder WKT-CSV',
  },
  {
    kind: 'points',
    label: 'Punktdaten',
    accept: '.geojson,.json,.zip,.csv',
    files: 'GeoJSON, Shapefile als ZIP oder CSV mit Koordinaten',
  },
  { kind: 'meta', label: 'Indikator-Metadaten', accept: '.csv,.json', files: 'CSV oder JSON' },
];

/** What one row of the kind is called in German (plural). */
export function kindUnit(kind: ImportKind): string {
  return { indicators: 'Werte', areas: 'Gebiete', points: 'Punkte', meta: 'Indikator-Definitionen' }[kind];
}

const FORMATS: Record<ImportFileInfo['format'], string> = {
  geojson: 'GeoJSON',
  shapefile: 'Shapefile',
  csv: 'CSV-Text',
  json: 'JSON',
};

/** One line per property the reader found ("Koordinatensystem: EPSG:25833 (aus der .prj)"). */
export function fileInfoLines(f: ImportFileInfo, kind: ImportKind): string[] {
  const lines = [`Format: ${FORMATS[f.format]}`, `Zeichenkodierung: ${f.encoding.toUpperCase()}`];
  if (kind !== 'meta')
    lines.push(
      f.srid === null
        ? 'Koordinatensystem: nicht angegeben'
        : `Koordinatensystem: EPSG:${f.srid}${f.sridSource ? ` (${f.sridSource})` : ''}`,
    );
  lines.push(`${f.format === 'csv' || kind === 'meta' ? 'Zeilen' : 'Objekte'}: ${f.count}`);
  if (f.fields.length > 0) lines.push(`Felder: ${f.fields.join(', ')}`);
  return lines;
}

const list = (codes: string[], max = 10) =>
  codes.length > max ? `${codes.slice(0, max).join(', ')} … (${codes.length})` : codes.join(', ');

/** The CLI's report in German: what the commit writes (preview) or wrote. */
export function kindReportText(r: ImportKindReport): string {
  if (r.kind === 'areas') {
    const parts = [`${r.total} Gebiete der Ebene ${r.level ?? ''}: ${r.added} neu, ${r.replaced ?? 0} ersetzt`];
    const c = r.areaChanges;
    if (c) {
      if (c.geometry.length > 0) parts.push(`Grenze geändert: ${list(c.geometry)}`);
      if (c.added.length > 0) parts.push(`neue Schlüssel: ${list(c.added)}`);
      if (c.vanished.length > 0) parts.push(`fehlen in der Datei (bleiben unverändert): ${list(c.vanished)}`);
      parts.push(`gültig ab ${germanDate(c.validFrom)}`);
    }
    if (r.repaired && r.repaired.length > 0) parts.push(`${r.repaired.length} Geometrien repariert`);
    return `${parts.join('; ')}.`;
  }
  if (r.kind === 'points') {
    const parts = [
      `${r.total} Punkte im Layer ${r.layer ?? ''}, Stand ${germanDate(r.period ?? '')}: ${r.added} neu, ${r.removed ?? 0} entfernt, ${r.moved ?? 0} verschoben, ${r.unchanged ?? 0} unverändert`,
    ];
    for (const o of r.outside ?? [])
      if (o.count > 0) parts.push(`${o.count} außerhalb der Ebene ${o.level} (${list(o.ids)})`);
    return `${parts.join('; ')}.`;
  }
  return `${r.total} Indikator-Definitionen: ${r.added} neu, ${r.replaced ?? 0} ersetzt.`;
}

/** The settings form of areas and points; '' = not set (the server proposes or the CLI's default applies). */
export type KindForm = Record<string, string>;

/** The form fields of a kind: [setting, German label, input type]; select = one of the file's fields. */
export function kindFields(kind: ImportKind): [string, string, 'text' | 'date' | 'number' | 'field' | 'level'][] {
  if (kind === 'areas')
    return [
      ['level', 'Gebietsebene (Schlüssel; neu oder vorhanden)', 'text'],
      ['levelLabel', 'Bezeichnung einer neuen Ebene', 'text'],
      ['codeField', 'Feld mit dem Gebietsschlüssel', 'field'],
      ['nameField', 'Feld mit dem Gebietsnamen', 'field'],
      ['parentLevel', 'Übergeordnete Ebene', 'level'],
      ['parentField', 'Feld mit dem übergeordneten Schlüssel', 'field'],
      ['parentCodePrefix', 'oder: übergeordneter Schlüssel = erste N Zeichen', 'number'],
      ['srid', 'Koordinatensystem (EPSG), falls die Datei keins nennt', 'number'],
      ['validFrom', 'Neue Grenzen gelten ab', 'date'],
    ];
  if (kind === 'points')
    return [
      ['layer', 'Schlüssel des Punktlayers', 'text'],
      ['label', 'Bezeichnung', 'text'],
      ['period', 'Stand', 'date'],
      ['idField', 'Feld mit der Kennung', 'field'],
      ['nameField', 'Feld mit dem Namen', 'field'],
      ['address', 'Adresse aus Feldern, z. B. {strasse} {hnr}, {plz} Berlin', 'text'],
      ['attribution', 'Quelle und Lizenz', 'text'],
      ['srid', 'Koordinatensystem (EPSG), falls die Datei keins nennt', 'number'],
    ];
  return [];
}

/** The form as the preview's settings fill it. */
export function kindFormOf(p: ImportPreview): KindForm {
  const out: KindForm = {};
  for (const [key] of kindFields(p.kind)) {
    const v = p.settings[key];
    out[key] = v === undefined || v === null ? '' : String(v);
  }
  return out;
}

/** The PATCH body of /api/imports/{id}: only what is set; numbers as numbers. */
export function kindSettingsPatch(kind: ImportKind, form: KindForm): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, , type] of kindFields(kind)) {
    const v = (form[key] ?? '').trim();
    if (v === '') continue;
    body[key] = type === 'number' ? Number(v) : v;
  }
  return body;
}
