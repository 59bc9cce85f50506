/** The texts and the PATCH body of the "Daten" view (client/src/upload-data.ts). */
import { describe, expect, it } from 'vitest';
import {
  canCommit,
  detectedLines,
  germanDate,
  historyCells,
  problemReason,
  problemWhere,
  settingsPatch,
  summaryText,
} from '../../client/src/upload-data.js';
import type { ImportHistoryEntry, ImportPreview } from '../../server/api-types.js';

const preview = (over: Partial<ImportPreview>): ImportPreview => ({
  id: 1,
  created: '2026-12-02T10:00:00.000Z',
  actor: 'token',
  fileName: 'a.csv',
  sha256: 'x',
  size: 1,
  kind: 'indicators',
  status: 'preview',
  detected: null,
  settings: {},
  header: [],
  rows: [],
  mapping: { level: 'plr', codeField: 'code', period: null, columns: [] },
  problems: [],
  summary: { total: 6, added: 4, replaced: 2, newIndicators: ['NEU'], periods: ['2020-12-31'] },
  warnings: [],
  levels: [],
  ...over,
});

describe('upload-data', () => {
  it('names where a problem is and strips the file prefix of the CLI message', () => {
    const p = {
      severity: 'error' as const,
      row: 2,
      field: 'S4',
      value: 'abc',
      message: 'a.csv, Zeile 2, Feld "S4", Wert "abc": keine Zahl',
    };
    expect(problemWhere(p)).toBe('Zeile 2, Spalte „S4“, Wert „abc“');
    expect(problemReason(p)).toBe('keine Zahl');
    expect(problemWhere({ severity: 'error', message: 'x' })).toBe('');
  });

  it('describes what was detected in planners’ words', () => {
    expect(
      detectedLines({
        format: 'csv',
        encoding: 'utf-8',
        delimiter: ';',
        decimal: ',',
        thousands: '.',
        headerRow: 1,
        missing: ['–'],
        codesAsNumbers: false,
      }),
    ).toEqual([
      'Format: CSV-Text',
      'Zeichenkodierung: UTF-8',
      'Trennzeichen: Semikolon',
      'Dezimalzeichen: Komma',
      'Tausendertrennzeichen: Punkt',
      'Kopfzeile: Zeile 1',
      'Zeichen für fehlende Werte: „–“',
    ]);
    const xlsx = detectedLines({
      format: 'xlsx',
      encoding: 'utf-8',
      decimal: '.',
      thousands: null,
      headerRow: 3,
      missing: [],
      codesAsNumbers: true,
    });
    expect(xlsx).toContain('Kopfzeile: Zeile 3 (Titel darüber übersprungen)');
    expect(xlsx).toContain('Gebietsschlüssel als Zahlen gespeichert: führende Nullen werden ergänzt');
  });

  it('summarises a clean preview and refuses a commit with errors', () => {
    expect(summaryText(preview({}))).toBe('6 Werte: 4 neu, 2 ersetzt; Stichtag 31.12.2020; neue Indikatoren: NEU.');
    expect(canCommit(preview({}))).toBe(true);
    const bad = preview({ problems: [{ severity: 'error', message: 'x' }], summary: null });
    expect(summaryText(bad)).toBe('1 Fehler: so kann die Datei nicht übernommen werden.');
    expect(canCommit(bad)).toBe(false);
    expect(canCommit(preview({ status: 'committed' }))).toBe(false);
    // A warning alone does not block.
    expect(canCommit(preview({ problems: [{ severity: 'warning', message: 'y' }] }))).toBe(true);
  });

  it('builds the PATCH body from the form: only what is set, empty key leaves a column out', () => {
    expect(
      settingsPatch({
        level: 'plr',
        codeField: '',
        period: '2020-12-31',
        decimal: ',',
        missing: '– x  -9999',
        columns: { S4: 'S4', 'Anteil neu': ' ANTEIL_NEU ', Name: '' },
      }),
    ).toEqual({
      level: 'plr',
      period: '2020-12-31',
      decimal: ',',
      missing: ['–', 'x', '-9999'],
      columns: { S4: 'S4', 'Anteil neu': 'ANTEIL_NEU', Name: null },
    });
    expect(settingsPatch({ level: '', codeField: '', period: '', decimal: '', missing: '', columns: {} })).toEqual({});
  });

  it('history cells: committed time and person, German dates, status', () => {
    const e: ImportHistoryEntry = {
      id: 3,
      created: '2026-12-02T10:00:00.000Z',
      actor: 'anna',
      fileName: 'daten.csv',
      sha256: 'h',
      size: 10,
      kind: 'indicators',
      status: 'undone',
      level: 'plr',
      periods: ['2020-12-31', '2021-12-31'],
      added: 5,
      replaced: 0,
      committed: null,
      committedBy: null,
      undone: null,
      undoneBy: null,
    };
    const cells = historyCells(e);
    expect(cells.slice(1)).toEqual([
      'anna',
      'daten.csv',
      'plr',
      '31.12.2020, 31.12.2021',
      '5',
      '0',
      'rückgängig gemacht',
    ]);
    expect(germanDate('2020-01-05')).toBe('05.01.2020');
  });
});
