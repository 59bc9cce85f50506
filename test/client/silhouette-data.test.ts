import { describe, expect, it } from 'vitest';
import {
  silhouetteLayer,
  silhouetteReading,
  SILHOUETTE_COLOURS,
  SILHOUETTE_LIMITS,
} from '../../client/src/silhouette-data.js';
import { NO_DATA_COLOUR } from '../../client/src/palettes.js';
import { parseState } from '../../client/src/url-state.js';
import { layerChoice } from '../../client/src/layer-choice.js';

const members = [
  { code: 'a', silhouette: -0.4 }, // class 0 (−1 … −0,25)
  { code: 'b', silhouette: 0 }, // class 1: a limit belongs to the lower class
  { code: 'c', silhouette: 0.1 }, // class 2
  { code: 'd', silhouette: 0.5 }, // class 3 (0,25 … 0,5)
  { code: 'e', silhouette: 0.8 }, // class 4
  { code: 'f', silhouette: null },
];

describe('silhouette map', () => {
  it('puts each area in its class with the diverging colours, counts and a note with the mean', () => {
    const layer = silhouetteLayer('7', members, 'plr');
    const f = { get: () => undefined } as never;
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'x'].map((c) => layer.fill.colour(c, f))).toEqual([
      SILHOUETTE_COLOURS[0],
      SILHOUETTE_COLOURS[1],
      SILHOUETTE_COLOURS[2],
      SILHOUETTE_COLOURS[3],
      SILHOUETTE_COLOURS[4],
      NO_DATA_COLOUR,
      NO_DATA_COLOUR,
    ]);
    expect(SILHOUETTE_COLOURS).toHaveLength(5);
    expect(layer.legend.entries.map((e) => [e.label, e.count])).toEqual([
      ['−1,00 bis −0,25', 1],
      ['über −0,25 bis 0,00', 1],
      ['über 0,00 bis 0,25', 1],
      ['über 0,25 bis 0,50', 1],
      ['über 0,50 bis 1,00', 1],
    ]);
    expect(layer.legend.entries.map((e) => e.from)).toEqual(SILHOUETTE_LIMITS.slice(0, -1));
    expect(layer.legend.noData?.label).toBe('ohne Wert: 1 Gebiet');
    // Mean of −0,4, 0, 0,1, 0,5, 0,8 = 1,0 / 5 = 0,2; one area below 0.
    expect(layer.legend.note).toBe('Mittlere Silhouette 0,20; 1 Gebiet unter 0 (näher an einem anderen Typ).');
    expect(layer.legend.subtitle).toBe('Lauf 7');
    expect(silhouetteLayer('7', members, 'plr', 4).legend.subtitle).toBe('Lauf 7, k = 4');
    expect(layer.hover?.('d')).toBe('Silhouette 0,50: passt eher zu seinem Typ');
    expect(layer.hover?.('f')).toBeNull();
  });

  it('reads values as Kaufman and Rousseeuw do', () => {
    expect(silhouetteReading(0.51)).toBe('passt klar zu seinem Typ');
    expect(silhouetteReading(0.3)).toBe('passt eher zu seinem Typ');
    expect(silhouetteReading(0.01)).toBe('liegt zwischen zwei Typen');
    expect(silhouetteReading(0)).toBe('passt besser zu einem anderen Typ');
  });

  it('sil=1 in a research link chooses the silhouette fill of the run; elsewhere the types stay', () => {
    expect(layerChoice(parseState('#view=forschung&typ=5&sil=1&k=4')).fill).toEqual({
      kind: 'silhouette',
      run: '5',
      k: 4,
    });
    expect(layerChoice(parseState('#view=forschung&typ=5')).fill).toEqual({ kind: 'types', run: '5', k: 0 });
    expect(layerChoice(parseState('#view=beratung&typ=5&sil=1')).fill.kind).toBe('types');
  });
});
