/**
 * The method line of a hotspot map's legend, from the stored run (GET /api/hotspots/{id}): which
 * neighbourhood (queen, rook, k nearest, distance band), which correction for multiple testing, the
 * significance level α and the run's global Moran's I with its p. A reader of the map needs these to
 * know what "significant" means here. Pure.
 */
import { formatNumber } from './format.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "queen" → "Queen-Nachbarschaft (gemeinsame Kante oder Ecke)"; knn:6 → "6 nächste Nachbarn" … */
export function weightsText(spec: unknown): string {
  const s = typeof spec === 'string' ? spec : '';
  if (s === 'queen') return 'Queen-Nachbarschaft (gemeinsame Kante oder Ecke)';
  const snap = /^queen:snap=(\d+(?:\.\d+)?)$/.exec(s);
  if (snap) return `Queen-Nachbarschaft (Kante oder Ecke, Lücken bis ${snap[1]} m geschlossen)`;
  if (s === 'rook') return 'Rook-Nachbarschaft (gemeinsame Kante)';
  const knn = /^knn:(\d+)$/.exec(s);
  if (knn) return `${knn[1]} nächste Nachbarn`;
  const dist = /^distance:(\d+(?:\.\d+)?)$/.exec(s);
  if (dist) return `Nachbarn bis ${dist[1]} m`;
  return s ? `Nachbarschaft ${s}` : 'Nachbarschaft unbekannt';
}

/** "fdr" → "FDR (Benjamini-Hochberg)" … */
export function correctionText(c: unknown): string {
  switch (c) {
    case 'fdr':
      return 'Korrektur FDR (Benjamini-Hochberg)';
    case 'bonferroni':
      return 'Korrektur Bonferroni';
    case 'none':
      return 'ohne Korrektur für multiples Testen';
    default:
      return typeof c === 'string' && c ? `Korrektur ${c}` : 'Korrektur unbekannt';
  }
}

/**
 * "Queen-Nachbarschaft (…); Korrektur FDR (Benjamini-Hochberg); α = 0,05; globales Moran's I = 0,412
 * (p = 0,001)". Missing parts are left out; null when the run says nothing.
 */
export function hotspotMethodNote(run: unknown, defaults: { alpha: number; correction: string }): string | null {
  if (!isRec(run)) return null;
  const params = isRec(run.params) ? run.params : {};
  const result = isRec(run.result) ? run.result : {};
  const global = isRec(result.global) ? result.global : null;
  const parts = [
    weightsText(params.weights),
    correctionText(params.correction ?? defaults.correction),
    `α = ${formatNumber(Number(params.alpha ?? defaults.alpha), 2)}`,
  ];
  if (global && typeof global.I === 'number') {
    const p = typeof global.pPermutation === 'number' ? global.pPermutation : global.p;
    parts.push(
      `globales Moran's I = ${formatNumber(global.I, 3)}${typeof p === 'number' ? ` (p = ${formatNumber(p, 3)})` : ''}`,
    );
  }
  return parts.join('; ');
}
