import { describe, expect, it } from 'vitest';
import { withoutStatistics } from '../../client/src/plain-language.js';

describe('plain language for Beratung', () => {
  it('drops effect sizes in SD from type descriptions', () => {
    expect(
      withoutStatistics('deutlich überdurchschnittlich: Kinderarmut (+1,8 SD), Transferbezug (+1,5 SD); unterdurchschnittlich: Wohndauer über 5 Jahre (−0,9 SD)'),
    ).toBe('deutlich überdurchschnittlich: Kinderarmut, Transferbezug; unterdurchschnittlich: Wohndauer über 5 Jahre');
  });
  it('leaves other parentheses alone', () => {
    expect(withoutStatistics('Anteil (in %) der Kinder')).toBe('Anteil (in %) der Kinder');
  });
});
