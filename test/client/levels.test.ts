import { describe, expect, it } from 'vitest';
import { childLevel, indicatorsWithValues, levelOptions } from '../../client/src/levels.js';
import type { Indicator, Level } from '../../client/src/types.js';

// GET /api/levels of the Berlin sample (ordered by area count, most first).
const level = (key: string, label: string, parentLevel: string | null, count: number): Level => ({
  key,
  label,
  parentLevel,
  count,
  geometryVersion: 1,
  periods: ['2020-12-31', '2024-12-31'],
  defaultPeriod: '2020-12-31',
});
const LEVELS = [
  level('plr', 'Planungsraum', 'bzr', 542),
  level('bzr', 'Bezirksregion', 'pgr', 143),
  level('pgr', 'Prognoseraum', 'bez', 58),
  level('bez', 'Bezirk', null, 12),
];

describe('levels', () => {
  it('finds the child level a value is summed from', () => {
    expect(childLevel(LEVELS, 'bzr')?.label).toBe('Planungsraum');
    expect(childLevel(LEVELS, 'pgr')?.label).toBe('Bezirksregion');
    expect(childLevel(LEVELS, 'bez')?.label).toBe('Prognoseraum');
    expect(childLevel(LEVELS, 'plr')).toBeUndefined();
  });
  it('offers every level with its area count', () => {
    expect(levelOptions(LEVELS)).toEqual([
      { value: 'plr', label: 'Planungsraum (542)' },
      { value: 'bzr', label: 'Bezirksregion (143)' },
      { value: 'pgr', label: 'Prognoseraum (58)' },
      { value: 'bez', label: 'Bezirk (12)' },
    ]);
  });
  it('leaves out indicators without values on the level (index and class on parent levels)', () => {
    const ind = (key: string, periods: string[]) => ({ key, periods }) as unknown as Indicator;
    expect(
      indicatorsWithValues([
        ind('S4', ['2020-12-31']),
        ind('D1', []),
        ind('KOM', []),
        ind('EW_65', ['2021-12-31']),
      ]).map((i) => i.key),
    ).toEqual(['S4', 'EW_65']);
  });
});
