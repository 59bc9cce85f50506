/**
 * Suggesting a number of types from the indices computed for every k of a range.
 *
 * Each index votes for its own optimum: silhouette (max), Calinski–Harabasz (max),
 * Davies–Bouldin (min) and the elbow of the inertia curve (the k farthest below the straight
 * line from the first to the last point, after scaling both axes to [0, 1]; the usual "knee").
 * The suggestion is the k with most votes; a tie goes to the silhouette's choice, because it is
 * the index that judges every single area and is the one researchers quote most.
 * The reasons (German, for the output) name each index's choice so the researcher can overrule it.
 */

import { formatDecimal } from './number-format.js';

export interface KScores {
  k: number;
  inertia: number;
  silhouette: number;
  calinskiHarabasz: number;
  daviesBouldin: number;
}

export interface KSuggestion {
  k: number;
  choices: { silhouette: number; calinskiHarabasz: number; daviesBouldin: number; elbow: number | null };
  reasons: string[];
}

export function suggestK(rows: KScores[]): KSuggestion {
  if (rows.length === 0) throw new RangeError('no k to choose from');
  const sorted = [...rows].sort((a, b) => a.k - b.k);
  const argBest = (value: (r: KScores) => number, better: (a: number, b: number) => boolean): KScores =>
    sorted.reduce((best, r) => (better(value(r), value(best)) ? r : best));
  const bySilhouette = argBest(
    (r) => r.silhouette,
    (a, b) => a > b,
  );
  const byCh = argBest(
    (r) => r.calinskiHarabasz,
    (a, b) => a > b,
  );
  const byDb = argBest(
    (r) => r.daviesBouldin,
    (a, b) => a < b,
  );
  const elbow = elbowK(sorted);

  const votes = new Map<number, number>();
  for (const k of [bySilhouette.k, byCh.k, byDb.k, elbow]) if (k !== null) votes.set(k, (votes.get(k) ?? 0) + 1);
  const most = Math.max(...votes.values());
  const leaders = [...votes.entries()].filter(([, v]) => v === most).map(([k]) => k);
  const k = leaders.includes(bySilhouette.k) ? bySilhouette.k : Math.min(...leaders);

  const reasons = [
    `Silhouette am höchsten bei k = ${bySilhouette.k} (${formatDecimal(bySilhouette.silhouette, 3)})`,
    `Calinski-Harabasz am höchsten bei k = ${byCh.k} (${formatDecimal(byCh.calinskiHarabasz, 1)})`,
    `Davies-Bouldin am niedrigsten bei k = ${byDb.k} (${formatDecimal(byDb.daviesBouldin, 3)})`,
    elbow === null
      ? 'Knick der Fehlerquadratsumme: zu wenige k für eine Aussage'
      : `Knick der Fehlerquadratsumme (Ellbogen) bei k = ${elbow}`,
    `Vorschlag k = ${k}: ${most} von ${elbow === null ? 3 : 4} Kriterien${leaders.length > 1 ? ' (Gleichstand, entschieden nach der Silhouette)' : ''}`,
  ];
  return {
    k,
    choices: { silhouette: bySilhouette.k, calinskiHarabasz: byCh.k, daviesBouldin: byDb.k, elbow },
    reasons,
  };
}

/** k of the inertia curve farthest below the chord from first to last point (needs ≥ 3 k). */
export function elbowK(sorted: KScores[]): number | null {
  if (sorted.length < 3) return null;
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const kSpan = last.k - first.k;
  const inertiaSpan = first.inertia - last.inertia;
  if (!(inertiaSpan > 0)) return null;
  let best: number | null = null;
  let bestGap = 0;
  for (const r of sorted) {
    const x = (r.k - first.k) / kSpan;
    const y = (r.inertia - last.inertia) / inertiaSpan; // 1 at first k, 0 at last
    const gap = 1 - x - y; // how far below the chord y = 1 − x
    if (gap > bestGap) {
      bestGap = gap;
      best = r.k;
    }
  }
  return best;
}
