import { describe, expect, it } from 'vitest';
import { forbiddenWords, plainTypeName, plainWords, withoutStatistics } from '../../client/src/plain-language.js';
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

describe('plain words for counselling', () => {
  it('turns the typology wording into plain words', () => {
    expect(
      plainWords(
        'deutlich überdurchschnittlich: Kinderarmut (+1,8 SD), Transferbezug (+1,5 SD); unterdurchschnittlich: Wohndauer über 5 Jahre (−0,9 SD)',
      ),
    ).toBe(
      'Deutlich mehr als in Berlin insgesamt: Kinderarmut, Transferbezug; weniger als in Berlin insgesamt: Wohndauer über 5 Jahre',
    );
    expect(plainWords('in allen Indikatoren durchschnittlich (keine Abweichung über 0,5 SD)')).toBe(
      'In allen Angaben etwa wie in Berlin insgesamt',
    );
    expect(plainWords('Typ 4: überdurchschnittliche Belastung, Kinderarmut deutlich überdurchschnittlich')).toBe(
      'Hoher Unterstützungsbedarf, Kinderarmut deutlich mehr als in Berlin insgesamt',
    );
    // A text already in plain words stays as it is.
    expect(plainWords('Viele Kinder in Familien mit wenig Geld')).toBe('Viele Kinder in Familien mit wenig Geld');
  });
  it('every description and label the typology writes becomes free of forbidden words', () => {
    const indicators = [
      { key: 'S1', label: 'Arbeitslosigkeit' },
      { key: 'S4', label: 'Kinderarmut' },
    ];
    for (const [type, z, need] of [
      [1, [0, 0], 0],
      [2, [1.84, -0.92], 1.2],
      [3, [-1.5, 0.6], -0.7],
      [5, [0.7, 0.55], 0.6],
    ] as [number, number[], number][]) {
      const t = describeType(type, z, need, indicators);
      expect(forbiddenWords(plainWords(t.description))).toEqual([]);
      expect(forbiddenWords(plainTypeName({ type, label: t.label }))).toEqual([]);
    }
  });
  it('finds the forbidden words strictly, SD only as a word', () => {
    expect(forbiddenWords('Typ 5: deutlich überdurchschnittliche Belastung (Lauf 4)')).toEqual([
      'Typ',
      'Belastung',
      'überdurchschnittlich',
      'Lauf',
    ]);
    expect(forbiddenWords('Gebietstyp, Verlauf, Cluster 2, z-Wert 1,2 (+0,4 SD)')).toEqual([
      'Typ',
      'z-Wert',
      'SD',
      'Lauf',
      'Cluster',
    ]);
    expect(forbiddenWords('unterdurchschnittlich')).toEqual(['unterdurchschnittlich']);
    expect(forbiddenWords('Stülerstraße, SDS-Weg: mehr als in Berlin insgesamt (5,0 %)')).toEqual([]);
  });
  it('names a type by its edited name, else its plain label, never by its number', () => {
    expect(plainTypeName({ type: 2, name: 'Ruhige Wohngegend mit vielen Älteren', label: 'Typ 2: x' })).toBe(
      'Ruhige Wohngegend mit vielen Älteren',
    );
    expect(plainTypeName({ type: 2, name: '', label: 'Typ 2: durchschnittliche Belastung' })).toBe(
      'Mittlerer Unterstützungsbedarf',
    );
    expect(plainTypeName({ type: 3, label: 'Typ 3' })).toBe('Gebiet ohne Beschreibung');
  });
});
