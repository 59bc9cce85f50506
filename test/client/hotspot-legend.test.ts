import { describe, expect, it } from 'vitest';
import { correctionText, hotspotMethodNote, weightsText } from '../../client/src/hotspot-legend.js';

const DEFAULTS = { alpha: 0.05, correction: 'fdr' };

describe('hotspot legend: what "significant" means on this map', () => {
  it("names neighbourhood, correction, α and the global Moran's I of the stored run", () => {
    const run = {
      id: 3,
      params: { weights: 'queen', correction: 'fdr', alpha: 0.05, permutations: 999 },
      result: { global: { I: 0.41234, p: 1e-12, pPermutation: 0.001 } },
    };
    expect(hotspotMethodNote(run, DEFAULTS)).toBe(
      "Queen-Nachbarschaft (gemeinsame Kante oder Ecke); Korrektur FDR (Benjamini-Hochberg); α = 0,05; globales Moran's I = 0,412 (p = 0,001)",
    );
  });
  it('a run stored without correction or α had the defaults; without a result no Moran line', () => {
    expect(hotspotMethodNote({ params: { weights: 'knn:6' } }, DEFAULTS)).toBe(
      '6 nächste Nachbarn; Korrektur FDR (Benjamini-Hochberg); α = 0,05',
    );
    expect(hotspotMethodNote(null, DEFAULTS)).toBeNull();
  });
  it('every neighbourhood and correction the server stores has a German name', () => {
    expect(weightsText('rook')).toBe('Rook-Nachbarschaft (gemeinsame Kante)');
    expect(weightsText('queen:snap=5')).toBe('Queen-Nachbarschaft (Kante oder Ecke, Lücken bis 5 m geschlossen)');
    expect(weightsText('distance:1500')).toBe('Nachbarn bis 1500 m');
    expect(correctionText('bonferroni')).toBe('Korrektur Bonferroni');
    expect(correctionText('none')).toBe('ohne Korrektur für multiples Testen');
  });
});
