import { describe, expect, it } from 'vitest';
import { normalizeHit, resultSummary, searchRows } from '../../client/src/search-results.js';
import type { SearchHit } from '../../client/src/types.js';

const hit = (patch: Partial<SearchHit>): SearchHit => ({
  kind: 'area',
  label: 'Stülerstraße',
  code: '01100101',
  level: 'plr',
  name: 'Stülerstraße',
  parent: '011001',
  bbox: [13.34, 52.5, 13.36, 52.51],
  ...patch,
});

describe('search results in plain words', () => {
  it('says what each hit is and which area it leads to', () => {
    const rows = searchRows([
      hit({ kind: 'address', label: 'Ackerstraße 1B, 10115 Berlin', code: '01100415', name: 'Invalidenstraße' }),
      hit({}),
      hit({ kind: 'postcode', label: '10785', code: '01100101' }),
      hit({ kind: 'ortsteil', label: 'Kreuzberg', code: '02200208', name: 'Mehringplatz' }),
    ]);
    expect(rows).toEqual([
      {
        type: 'option',
        hit: expect.objectContaining({ code: '01100415' }),
        text: 'Ackerstraße 1B, 10115 Berlin',
        detail: 'Adresse · im Gebiet Invalidenstraße',
        option: 0,
        grouped: false,
      },
      {
        type: 'option',
        hit: expect.objectContaining({ code: '01100101' }),
        text: 'Stülerstraße',
        detail: 'Gebiet',
        option: 1,
        grouped: false,
      },
      {
        type: 'option',
        hit: expect.objectContaining({ kind: 'postcode' }),
        text: '10785',
        detail: 'Postleitzahl · im Gebiet Stülerstraße',
        option: 2,
        grouped: false,
      },
      {
        type: 'option',
        hit: expect.objectContaining({ kind: 'ortsteil' }),
        text: 'Kreuzberg',
        detail: 'Ortsteil · im Gebiet Mehringplatz',
        option: 3,
        grouped: false,
      },
    ]);
  });

  it('offers the areas of a street that crosses several, under one heading, each area once', () => {
    const rows = searchRows([
      hit({ kind: 'street', label: 'Sonnenallee', code: '08100103', name: 'Reuterkiez' }),
      hit({ kind: 'street', label: 'Sonnenallee', code: '08100206', name: 'Weiße Siedlung' }),
      hit({ kind: 'street', label: 'sonnenallee', code: '08100206', name: 'Weiße Siedlung' }),
      hit({ kind: 'area', label: 'Sonnenallee Süd', code: '08100300', name: 'Sonnenallee Süd' }),
    ]);
    expect(
      rows.map((r) =>
        r.type === 'group' ? `# ${r.label} (${r.kindLabel}, ${r.count})` : `${r.option}: ${r.text} – ${r.detail}`,
      ),
    ).toEqual([
      '# Sonnenallee (Straße, 2)',
      '0: Reuterkiez – Straße in diesem Gebiet',
      '1: Weiße Siedlung – Straße in diesem Gebiet',
      '2: Sonnenallee Süd – Gebiet',
    ]);
    expect(resultSummary(rows)).toBe('3 Treffer. Mit den Pfeiltasten wählen, mit Enter übernehmen.');
  });

  it('reads the older answer without kind and label, and says "Nichts gefunden." for none', () => {
    const old = { code: '01100101', name: 'Stülerstraße', level: 'plr', parent: null };
    expect(normalizeHit(old)).toEqual({ ...old, kind: 'area', label: 'Stülerstraße' });
    expect(searchRows([])).toEqual([]);
    expect(resultSummary([])).toBe('Nichts gefunden.');
    expect(resultSummary(searchRows([old]))).toBe('1 Treffer. Mit Enter übernehmen.');
  });
});
