import { describe, expect, it } from 'vitest';
import { comparisonText, keyFigures } from '../../client/src/key-figures.js';
import type { AreaDetail } from '../../client/src/types.js';

const ind = (key: string, value: number | null, regionValue: number | null, unit = '%') => ({
  key,
  label: key,
  unit,
  polarity: 1,
  value,
  suppressed: false,
  parentValue: null,
  regionValue,
  rank: null,
  n: null,
  series: [],
  period: key === 'EW' || key === 'EW_65' ? '2024-12-31' : '2020-12-31',
});

describe('key figures in plain words', () => {
  it('compares with the whole city without jargon', () => {
    expect(comparisonText(8, 5, '%')).toBe('höher als in der Gesamtstadt (5,0 %)');
    expect(comparisonText(5.1, 5, '%')).toBe('etwa so hoch wie in der Gesamtstadt (5,0 %)');
    expect(comparisonText(null, 5, '%')).toBe('');
  });
  it('picks preferred indicators first, at most five', () => {
    const area = {
      code: '1',
      name: 'A',
      level: 'plr',
      parent: null,
      period: '2024-12-31',
      population: 100,
      bbox: [0, 0, 1, 1],
      indicators: [
        ind('X', 1, 1),
        ind('S4', 19.4, 10),
        ind('EW', 3419, null, 'EW'),
        ind('S1', 4.2, 5),
        ind('Y', 1, 1),
        ind('Z', 1, 1),
        ind('W', 1, 1),
      ],
    } as AreaDetail;
    const k = keyFigures(area);
    expect(k.map((f) => f.key)).toEqual(['EW', 'S1', 'S4', 'X', 'Y']);
    expect(k[0].value).toBe('3.419 EW');
    // each figure carries its own date: MSS values stay at 2020 when the register is newer
    expect(k.map((f) => f.stand)).toEqual(['31.12.2024', '31.12.2020', '31.12.2020', '31.12.2020', '31.12.2020']);
  });
  it('puts the share of older people second where the data has it', () => {
    const area = {
      code: '1',
      name: 'A',
      level: 'plr',
      parent: null,
      period: '2024-12-31',
      population: 100,
      bbox: [0, 0, 1, 1],
      indicators: [
        ind('S4', 19.4, 10),
        ind('EW_65', 20, 18.9),
        ind('EW', 3580, null, 'Personen'),
        ind('S1', 4.2, 5),
        ind('S3', 9, 8),
      ],
    } as AreaDetail;
    const k = keyFigures(area);
    expect(k.map((f) => f.key)).toEqual(['EW', 'EW_65', 'S1', 'S3', 'S4']);
    expect(k[1].comparison).toBe('höher als in der Gesamtstadt (18,9 %)');
  });
});
