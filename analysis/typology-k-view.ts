/**
 * Which stored k a read of a typology run shows. A run keeps the types of every k of its range
 * (typesByK); reads and tiles take an optional k. Pure, shared by the API services and the tile
 * layer source, so it lives below both.
 */
import type { TypologyType } from './typology.js';

/** Which stored k a read shows. index: 1-based position in type_by_k / silhouette_by_k, null = the chosen k's own columns. */
export interface TypologyKView {
  k: number;
  /** Every k this run can show (its byK order); only the chosen k for runs stored before migration 006. */
  availableK: number[];
  index: number | null;
  /** The types of k (null: the chosen k, read from result.types as before). */
  types: TypologyType[] | null;
}

/**
 * Resolves a requested k against a stored run. Pure, shared by the API and the tile layer source.
 * Returns a German error message instead of throwing, so each caller picks its status.
 */
export function typologyKView(
  runId: number,
  chosenK: number,
  typesByK: { k: number; types: TypologyType[] }[] | null | undefined,
  k?: number,
): TypologyKView | { error: string } {
  const stored = Array.isArray(typesByK) && typesByK.length > 0 ? typesByK : null;
  const availableK = stored ? stored.map((t) => t.k) : [chosenK];
  if (k === undefined || k === chosenK) return { k: chosenK, availableK, index: null, types: null };
  const index = availableK.indexOf(k);
  if (index < 0 || !stored) {
    if (!stored)
      return {
        error: `Lauf ${runId} hat nur die Typen für das gewählte k = ${chosenK} gespeichert (berechnet, bevor alle k gespeichert wurden); für k = ${k} bitte einen neuen Lauf berechnen`,
      };
    return { error: `k = ${k} liegt außerhalb des Bereichs von Lauf ${runId} (${formatKs(availableK)})` };
  }
  return { k, availableK, index: index + 1, types: stored[index].types };
}

/** "k = 2–6" for a contiguous range, else "k = 2, 3, 4, 7". */
function formatKs(ks: number[]): string {
  const contiguous = ks.every((k, i) => i === 0 || k === ks[i - 1] + 1);
  return contiguous && ks.length > 1 ? `k = ${ks[0]}\u2013${ks[ks.length - 1]}` : `k = ${ks.join(', ')}`;
}
