import { describe, expect, it } from 'vitest';
import { childrenText, coveragePercent, dativePlural, sourceText } from '../../client/src/value-source.js';

describe('where a value comes from', () => {
  it('says how many child areas and how much of the population a sum covers', () => {
    expect(
      sourceText({ source: 'aggregated', nChildren: 12, nChildrenTotal: 13, coverage: 0.97 }, 'Planungsraum'),
    ).toBe('aus 12 von 13 Planungsräumen, 97 % der Einwohner');
    // Bezirksregion 101002 of the Berlin sample at 31.12.2020: 5 of 6 Planungsräume, coverage 0.973787
    expect(
      sourceText(
        { source: 'aggregated', nChildren: 5, nChildrenTotal: 6, coverage: 0.973786972416085 },
        'Planungsraum',
      ),
    ).toBe('aus 5 von 6 Planungsräumen, 97 % der Einwohner');
    expect(sourceText({ source: 'aggregated', nChildren: 4, nChildrenTotal: 4, coverage: 1 }, 'Prognoseraum')).toBe(
      'aus 4 von 4 Prognoseräumen, 100 % der Einwohner',
    );
    expect(
      sourceText({ source: 'aggregated', nChildren: 10, nChildrenTotal: 12, coverage: 0.8 }, 'Bezirksregion'),
    ).toBe('aus 10 von 12 Bezirksregionen, 80 % der Einwohner');
  });
  it('names a formula over summed Grunddaten and an imported value', () => {
    expect(
      sourceText({ source: 'formula', nChildren: 3, nChildrenTotal: 4, coverage: 0.9975967619529471 }, 'Planungsraum'),
    ).toBe('berechnet (Formel) aus 3 von 4 Planungsräumen, 99,7 % der Einwohner');
    expect(sourceText({ source: 'formula', nChildren: null, nChildrenTotal: null, coverage: null }, null)).toBe(
      'berechnet (Formel)',
    );
    expect(
      sourceText({ source: 'imported', nChildren: null, nChildrenTotal: null, coverage: null }, 'Planungsraum'),
    ).toBe('eingelesen');
    expect(sourceText({}, null)).toBe('');
  });
  it('never rounds a partial coverage up to 100 %', () => {
    expect(coveragePercent(1)).toBe('100 %');
    expect(coveragePercent(0.9999)).toBe('99,9 %');
    expect(coveragePercent(0.995)).toBe('99,5 %');
    expect(coveragePercent(0.9944480896381164)).toBe('99 %');
    expect(coveragePercent(0.5)).toBe('50 %');
    expect(coveragePercent(0.001)).toBe('unter 1 %');
    expect(coveragePercent(0)).toBe('0 %');
  });
  it('declines level names in the dative plural, and keeps the singular for one area', () => {
    expect(
      [
        'Planungsraum',
        'Bezirksregion',
        'Prognoseraum',
        'Bezirk',
        'Ortsteil',
        'Stadtviertel',
        'Rasterzelle',
        'Baublock',
      ].map(dativePlural),
    ).toEqual([
      'Planungsräumen',
      'Bezirksregionen',
      'Prognoseräumen',
      'Bezirken',
      'Ortsteilen',
      'Stadtvierteln',
      'Rasterzellen',
      'Baublöcken',
    ]);
    expect(dativePlural('Sozialraum X')).toBe('Teilgebieten');
    expect(childrenText(1, 1, 'Planungsraum', 1)).toBe('aus 1 von 1 Planungsraum, 100 % der Einwohner');
    expect(childrenText(1234, 1300, null, null)).toBe('aus 1.234 von 1.300 Teilgebieten');
  });
});
