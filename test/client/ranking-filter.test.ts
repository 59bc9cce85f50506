import { describe, expect, it } from 'vitest';
import {
  applyFilter,
  filterLevel,
  filterSummary,
  matchesFilter,
  nextIndex,
  rankRows,
  PAGE_STEP,
} from '../../client/src/ranking-filter.js';
import type { Values } from '../../client/src/types.js';

const row = (code: string, name: string, value: number | null, suppressed = false) => ({
  code,
  name,
  value,
  suppressed,
});
const values = {
  indicator: 'S1',
  period: '2020-12-31',
  level: 'plr',
  unit: '%',
  polarity: -1,
  values: [
    row('01100101', 'Stülerstraße', 3.5),
    row('01100102', 'Großer Tiergarten', 9.25),
    row('02200201', 'Askanischer Platz', 7),
    row('02200202', 'Mehringplatz', 12.5),
    row('08100101', 'Schillerpromenade', 9.25),
    row('08100102', 'Ölberg', null, true),
  ],
} as unknown as Values;

describe('ranking order and filter', () => {
  it('ranks the shown values over the whole level; a filter keeps the city-wide ranks', () => {
    const { ranked, hidden } = rankRows(values, { key: 'value', desc: true });
    // 12,5 > 9,25 = 9,25 > 7 > 3,5: ties keep the API order.
    expect(ranked.map((r) => [r.rank, r.row.code])).toEqual([
      [1, '02200202'],
      [2, '01100102'],
      [3, '08100101'],
      [4, '02200201'],
      [5, '01100101'],
    ]);
    expect(hidden.map((r) => [r.rank, r.row.name])).toEqual([[null, 'Ölberg']]);
    // "stulerstrasse" (no umlaut, ss, lower case) finds Stülerstraße at its rank 5 of 5.
    expect(applyFilter(ranked, { text: 'stulerstrasse', prefix: '' }).map((r) => [r.rank, r.row.name])).toEqual([
      [5, 'Stülerstraße'],
    ]);
    // Bezirk 02: its two areas with their ranks 1 and 4.
    expect(applyFilter(ranked, { text: '', prefix: '02' }).map((r) => r.rank)).toEqual([1, 4]);
    // Both together: nothing in 02 is called "tiergarten".
    expect(applyFilter(ranked, { text: 'tiergarten', prefix: '02' })).toEqual([]);
    // Ascending by name: German collation puts Ö with O.
    const byName = rankRows(values, { key: 'name', desc: false }).ranked.map((r) => r.row.name);
    expect(byName).toEqual([
      'Askanischer Platz',
      'Großer Tiergarten',
      'Mehringplatz',
      'Schillerpromenade',
      'Stülerstraße',
    ]);
  });

  it('matches names folded and codes by their beginning', () => {
    const r = { code: '01100101', name: 'Stülerstraße' };
    expect(matchesFilter(r, { text: 'Stüler Str.', prefix: '' })).toBe(true);
    expect(matchesFilter(r, { text: 'STUELER', prefix: '' })).toBe(true);
    expect(matchesFilter(r, { text: '011001', prefix: '' })).toBe(true);
    expect(matchesFilter(r, { text: '1001', prefix: '' })).toBe(false); // a code matches from its start only
    expect(matchesFilter(r, { text: '  ', prefix: '01' })).toBe(true);
    expect(matchesFilter(r, { text: '', prefix: '08' })).toBe(false);
    expect(matchesFilter({ code: '1', name: 'Großer Tiergarten' }, { text: 'grosser', prefix: '' })).toBe(true);
  });

  it('roving focus moves without wrapping', () => {
    expect(nextIndex(0, 'ArrowDown', 5)).toBe(1);
    expect(nextIndex(4, 'ArrowDown', 5)).toBe(4);
    expect(nextIndex(0, 'ArrowUp', 5)).toBe(0);
    expect(nextIndex(3, 'Home', 5)).toBe(0);
    expect(nextIndex(1, 'End', 5)).toBe(4);
    expect(nextIndex(2, 'PageDown', 50)).toBe(2 + PAGE_STEP);
    expect(nextIndex(45, 'PageDown', 50)).toBe(49);
    expect(nextIndex(5, 'PageUp', 50)).toBe(0);
    expect(nextIndex(2, 'a', 5)).toBeNull();
    expect(nextIndex(0, 'ArrowDown', 0)).toBeNull();
  });

  it('offers the top of the level chain as the Bezirk filter', () => {
    const levels = [
      { key: 'plr', parentLevel: 'bzr' },
      { key: 'bzr', parentLevel: 'pgr' },
      { key: 'pgr', parentLevel: 'bez' },
      { key: 'bez', parentLevel: null },
    ];
    expect(filterLevel(levels, 'plr')?.key).toBe('bez');
    expect(filterLevel(levels, 'pgr')?.key).toBe('bez');
    expect(filterLevel(levels, 'bez')).toBeNull();
    expect(filterLevel(levels, 'unbekannt')).toBeNull();
    // A loop in broken metadata ends (back at the level itself: no filter) instead of hanging.
    expect(
      filterLevel(
        [
          { key: 'x', parentLevel: 'y' },
          { key: 'y', parentLevel: 'x' },
        ],
        'x',
      ),
    ).toBeNull();
  });

  it('says how many areas are shown', () => {
    expect(filterSummary(447, 447)).toBe('447 Gebiete');
    expect(filterSummary(1, 447)).toBe('1 von 447 Gebieten');
  });
});
