/**
 * Plain type names for the public (analysis/type-plain-name.ts): known answers for hand-made
 * profiles, distinct names within a run, need ranks, and no jargon even when an unknown
 * indicator's label carries a forbidden word.
 */
import { describe, expect, it } from 'vitest';
import { containsJargon, needRanks, plainTypeTexts } from '../../analysis/type-plain-name.js';

const IND = [
  { key: 'S1', label: 'Arbeitslosigkeit' },
  { key: 'S4', label: 'Kinderarmut' },
  { key: 'EW_65', label: 'Ältere Menschen ab 65 Jahren' },
  { key: 'KI_11', label: 'Wanderungsvolumen' },
  { key: 'KI_03', label: 'Altersarmut' },
];

describe('plainTypeTexts', () => {
  it('names a type by its strongest phrase and the strongest of another theme; describes in mehr/weniger', () => {
    const [t] = plainTypeTexts([{ type: 4, meanZ: { S1: 0.74, S4: 1.83, EW_65: -0.2, KI_11: 0.1, KI_03: 0.3 } }], IND);
    expect(t).toEqual({
      type: 4,
      name: 'Viele Kinder in Familien mit wenig Geld und viel Arbeitslosigkeit',
      description:
        'Deutlich mehr als im Mittel aller Gebiete: Kinderarmut. Mehr als im Mittel aller Gebiete: Arbeitslosigkeit.',
    });
  });

  it("the brief's example: a quiet area with many older people", () => {
    const [t] = plainTypeTexts([{ type: 1, meanZ: { S1: -0.3, S4: -0.2, EW_65: 1.2, KI_11: -1.5, KI_03: 0 } }], IND);
    expect(t.name).toBe('Ruhige Wohngegend mit wenigen Umzügen und viele Ältere');
    expect(t.description).toBe(
      'Deutlich mehr als im Mittel aller Gebiete: Ältere Menschen ab 65 Jahren. Deutlich weniger als im Mittel aller Gebiete: Wanderungsvolumen.',
    );
  });

  it('rounds before banding (0.45 is average, −0.46 rounds to −0.5 and speaks); an all-average type', () => {
    const [a, b] = plainTypeTexts(
      [
        { type: 1, meanZ: { S1: 0.44, S4: -0.46 } },
        { type: 2, meanZ: { S1: 0.1, S4: NaN } },
      ],
      IND,
    );
    expect(a.name).toBe('Wenig Kinderarmut');
    expect(a.description).toBe('Weniger als im Mittel aller Gebiete: Kinderarmut.');
    expect(b).toEqual({
      type: 2,
      name: 'Gemischte Wohngegend nahe am Mittel',
      description: 'In allen betrachteten Kennzahlen nahe am Mittel aller Gebiete.',
    });
  });

  it('makes names within a run distinct: the next phrase, then a counted group', () => {
    const texts = plainTypeTexts(
      [
        { type: 1, meanZ: { S4: 1.5, S1: 0.8, KI_03: 0.6 } },
        { type: 2, meanZ: { S4: 1.4, S1: 0.9, KI_03: -0.7 } },
        { type: 3, meanZ: {} },
        { type: 4, meanZ: {} },
      ],
      IND,
    );
    expect(texts.map((t) => t.name)).toEqual([
      'Viele Kinder in Familien mit wenig Geld, viel Arbeitslosigkeit und viele Ältere mit kleiner Rente',
      'Viele Kinder in Familien mit wenig Geld, viel Arbeitslosigkeit und wenige Ältere mit kleiner Rente',
      'Gemischte Wohngegend nahe am Mittel (erste Gruppe)',
      'Gemischte Wohngegend nahe am Mittel (zweite Gruppe)',
    ]);
  });

  it('unknown indicators read "<label>: eher hoch/niedrig"; a label with a jargon word is left out', () => {
    const [t] = plainTypeTexts(
      [{ type: 1, meanZ: { X: 1.1, L: 2.5, Y: -0.6 } }],
      [
        { key: 'X', label: 'Grünfläche je Einwohner' },
        { key: 'L', label: 'Lärmbelastung' },
        { key: 'Y', label: 'Kitaplätze' },
      ],
    );
    expect(t.name).toBe('Grünfläche je Einwohner: eher hoch und Kitaplätze: eher niedrig');
    expect(t.description).toBe(
      'Deutlich mehr als im Mittel aller Gebiete: Grünfläche je Einwohner. Weniger als im Mittel aller Gebiete: Kitaplätze.',
    );
    expect(containsJargon(`${t.name} ${t.description}`)).toBe(false);
  });
});

describe('containsJargon and needRanks', () => {
  it('finds each forbidden word, SD only as a word', () => {
    for (const w of [
      'Typ 3',
      'hohe Belastung',
      'überdurchschnittlich',
      'Unterdurchschnittlich',
      'z-Wert',
      '+1,2 SD',
      'Lauf 4',
      'Cluster',
    ])
      expect(containsJargon(w), w).toBe(true);
    expect(containsJargon('Viele Ältere, Wohndauer lang, Kindergeld')).toBe(false);
  });

  it('rank 1 is the highest need score; ties go to the higher type number', () => {
    const r = needRanks([
      { type: 1, needScore: -1.2 },
      { type: 2, needScore: 0.3 },
      { type: 3, needScore: 0.3 },
      { type: 4, needScore: 1.9 },
    ]);
    expect([...r.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [1, 4],
      [2, 3],
      [3, 2],
      [4, 1],
    ]);
  });
});
