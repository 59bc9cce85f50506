/** The German texts of the areas/points/meta upload preview and the planner's source line (pure). */
import { describe, expect, it } from 'vitest';
import { fileInfoLines, kindReportText, kindSettingsPatch } from '../../client/src/upload-kinds.js';
import { indicatorSourceLine } from '../../client/src/indicator-source.js';

describe('upload kinds (client texts)', () => {
  it('says what the reader found and what the CLI report says', () => {
    expect(
      fileInfoLines(
        { format: 'shapefile', encoding: 'UTF-8', srid: 25833, sridSource: '.prj', count: 2, fields: ['CODE', 'NAME'] },
        'areas',
      ),
    ).toEqual([
      'Format: Shapefile',
      'Zeichenkodierung: UTF-8',
      'Koordinatensystem: EPSG:25833 (.prj)',
      'Objekte: 2',
      'Felder: CODE, NAME',
    ]);
    expect(
      kindReportText({
        file: 'gebiete-neu.geojson',
        kind: 'areas',
        level: 'gb',
        total: 3,
        added: 1,
        replaced: 2,
        warnings: [],
        areaChanges: {
          validFrom: '2025-01-01',
          validFromSource: 'after-last-period',
          geometry: ['0101'],
          added: ['0301'],
          vanished: ['0201'],
          recorded: 2,
        },
      }),
    ).toBe(
      '3 Gebiete der Ebene gb: 1 neu, 2 ersetzt; Grenze geändert: 0101; neue Schlüssel: 0301; fehlen in der Datei (bleiben unverändert): 0201; gültig ab 01.01.2025.',
    );
    expect(
      kindReportText({
        file: 'e.csv',
        kind: 'points',
        layer: 'kitas',
        period: '2024-01-01',
        total: 3,
        added: 1,
        removed: 1,
        moved: 1,
        unchanged: 1,
        outside: [{ level: 'gb', count: 1, ids: ['k3'] }],
        warnings: [],
      }),
    ).toBe(
      '3 Punkte im Layer kitas, Stand 01.01.2024: 1 neu, 1 entfernt, 1 verschoben, 1 unverändert; 1 außerhalb der Ebene gb (k3).',
    );
  });

  it('sends only what is set, numbers as numbers; the source line joins source and terms', () => {
    expect(kindSettingsPatch('areas', { level: 'gb', codeField: '', srid: '25833', validFrom: '' })).toEqual({
      level: 'gb',
      srid: 25833,
    });
    expect(indicatorSourceLine({ source: 'Amt für Statistik', attribution: 'CC BY 3.0 DE' })).toBe(
      'Quelle: Amt für Statistik · CC BY 3.0 DE',
    );
    expect(indicatorSourceLine({ source: null, attribution: ' ' })).toBe('');
  });
});
