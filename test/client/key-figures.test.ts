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
    expect(comparisonText(8, 5, '%')).toBe('mehr als in Berlin insgesamt (5,0 %)');
    expect(comparisonText(3, 5, '%')).toBe('weniger als in Berlin insgesamt (5,0 %)');
    expect(comparisonText(5.1, 5, '%')).toBe('etwa so viel wie in Berlin insgesamt (5,0 %)');
    expect(comparisonText(8, 5, '%', 'Hamburg')).toBe('mehr als in Hamburg insgesamt (5,0 %)');
    expect(comparisonText(null, 5, '%')).toBe('');
  });
  it('other data sets: fills up to three figures with indicators that have a direction', () => {
    const area = {
      code: '1',
      name: 'A',
      level: 'plr',
      parent: null,
      period: '2024-12-31',
      population: 100,
      bbox: [0, 0, 1, 1],
      indicators: [ind('X', 1, 1), ind('S4', 19.4, 10), ind('EW', 3419, null, 'EW'), ind('Y', 1, 1)],
    } as AreaDetail;
    const k = keyFigures(area);
    expect(k.map((f) => f.key)).toEqual(['EW', 'X', 'S4']);
    expect(k[0]).toEqual({
      key: 'EW',
      label: 'Einwohnerinnen und Einwohner',
      value: '3.419 EW',
      comparison: '',
      stand: '31.12.2024',
    });
    // each figure carries its own date: MSS values stay at 2020 when the register is newer
    expect(k.map((f) => f.stand)).toEqual(['31.12.2024', '31.12.2020', '31.12.2020']);
  });
  it('for counselling older people: residents, share 65+, old-age poverty and single parents, in plain words', () => {
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
        ind('KI_02', 31.2, 27.5),
        ind('EW_65', 20, 18.9),
        ind('EW', 3580, null, 'Personen'),
        ind('KI_03', 4.8, 6.7),
        { ...ind('S1', 4.2, 5), suppressed: true },
        ind('PFLEGE_Q', 3.1, 3.0, 'Plätze je 100 Einwohner ab 65'),
        ind('KI_05', 30, 35),
      ],
    } as AreaDetail;
    const k = keyFigures(area);
    expect(k.map((f) => f.key)).toEqual(['EW', 'EW_65', 'KI_03', 'KI_02', 'PFLEGE_Q']);
    expect(k.map((f) => f.label)).toEqual([
      'Einwohnerinnen und Einwohner',
      'EW_65',
      'Altersarmut: Ältere mit Grundsicherung',
      'Alleinerziehende (Anteil der Familien)',
      'Pflegeplätze im Gebiet je 100 Menschen ab 65',
    ]);
    expect(k.map((f) => f.comparison)).toEqual([
      '',
      'mehr als in Berlin insgesamt (18,9 %)',
      'weniger als in Berlin insgesamt (6,7 %)',
      'mehr als in Berlin insgesamt (27,5 %)',
      'etwa so viel wie in Berlin insgesamt (3,0 Plätze je 100 Einwohner ab 65)',
    ]);
    expect(k.map((f) => f.value)).toEqual([
      '3.580 Personen',
      '20,0 %',
      '4,8 %',
      '31,2 %',
      '3,1 Plätze je 100 Einwohner ab 65',
    ]);
  });
});
