import { describe, expect, it } from 'vitest';
import { withoutStatistics } from '../../client/src/plain-language.js';
import { describeType } from '../../analysis/type-label.js';

describe('plain language for Beratung', () => {
  it('drops effect sizes in SD from type descriptions', () => {
    expect(
      withoutStatistics(
        'deutlich überdurchschnittlich: Kinderarmut (+1,8 SD), Transferbezug (+1,5 SD); unterdurchschnittlich: Wohndauer über 5 Jahre (−0,9 SD)',
      ),
    ).toBe('deutlich überdurchschnittlich: Kinderarmut, Transferbezug; unterdurchschnittlich: Wohndauer über 5 Jahre');
  });
  it('drops the SD remark of an average type', () => {
    expect(withoutStatistics('in allen Indikatoren durchschnittlich (keine Abweichung über 0,5 SD)')).toBe(
      'in allen Indikatoren durchschnittlich',
    );
  });
  it('leaves no SD in any description the typology writes', () => {
    const indicators = [
      { key: 'S1', label: 'Arbeitslosigkeit' },
      { key: 'S4', label: 'Kinderarmut' },
    ];
    for (const z of [
      [0, 0],
      [0.2, -0.3],
      [1.84, -0.92],
      [-1.5, 0.6],
      [0.04, -0.04],
    ]) {
      const text = withoutStatistics(describeType(1, z, 0, indicators).description);
      expect(text).not.toMatch(/SD|\(/);
    }
    expect(withoutStatistics(describeType(1, [1.84, -0.92], 0, indicators).description)).toBe(
      'deutlich überdurchschnittlich: Arbeitslosigkeit; unterdurchschnittlich: Kinderarmut',
    );
  });
  it('leaves other parentheses alone', () => {
    expect(withoutStatistics('Anteil (in %) der Kinder')).toBe('Anteil (in %) der Kinder');
    expect(withoutStatistics('Wohndauer über 5 Jahre (Anteil)')).toBe('Wohndauer über 5 Jahre (Anteil)');
  });
});
