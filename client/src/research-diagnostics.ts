/**
 * What a typology run says about itself, read from the stored run JSON for the research view: the
 * k-choice reasons and which criterion voted for which k, a chosen k at the edge of the compared
 * range, nearly redundant indicator pairs, the explained variance per component, a varimax rotation
 * the server skipped, the pipeline's warnings, and the quality measures per k as a numeric table
 * with the best value of each measure marked. Pure: the server computes, this module only reads.
 */
import type { ByK, TypologyRun } from './types.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);

/** One k that got votes: which criteria chose it. */
export interface KVote {
  k: number;
  criteria: string[];
}

export interface RunDiagnostics {
  /** The server's German reasons of its k suggestion (analysis/choose-k.ts). */
  reasons: string[];
  /** Votes per k, most votes first. */
  votes: KVote[];
  /** The suggested k; null when the run had one fixed k. */
  suggestedK: number | null;
  /** A sentence when the chosen k is the smallest or largest k compared; null otherwise. */
  kAtEdge: string | null;
  /** Indicator pairs with |r| from the redundancy threshold on. */
  redundant: { a: string; b: string; r: number }[];
  /** Explained variance per component with the running sum (0..1); empty without PCA. */
  explained: { component: number; ratio: number; cumulative: number }[];
  /** Components kept for clustering (null without PCA information). */
  retained: number | null;
  /** A sentence when varimax was asked for but not applied; null otherwise. */
  rotationSkipped: string | null;
  /** The pipeline's warnings in its order (dropped areas, sampled silhouette, redundancy, instability). */
  warnings: string[];
}

/** German names of the criteria of the k suggestion, keyed as in suggestion.choices. */
export const CRITERION_NAMES: Record<string, string> = {
  silhouette: 'Silhouette',
  calinskiHarabasz: 'Calinski-Harabasz',
  daviesBouldin: 'Davies-Bouldin',
  elbow: 'Ellbogen',
};

export function runDiagnostics(run: TypologyRun): RunDiagnostics {
  const r = run as unknown as Rec;
  const suggestion = isRec(r.suggestion) ? r.suggestion : null;
  const reasons = Array.isArray(suggestion?.reasons) ? suggestion.reasons.filter((x) => typeof x === 'string') : [];
  const votes = kVotes(isRec(suggestion?.choices) ? suggestion.choices : {});
  const suggestedK = Number.isFinite(num(suggestion?.k)) ? num(suggestion?.k) : null;
  const byK = run.byK ?? [];
  const correlation = isRec(r.correlation) ? r.correlation : null;
  const redundant = (Array.isArray(correlation?.redundant) ? correlation.redundant : [])
    .filter(isRec)
    .map((p) => ({ a: String(p.a), b: String(p.b), r: num(p.r) }));
  const pca = isRec(r.pca) ? r.pca : null;
  const ratios = (
    Array.isArray(pca?.explainedVariance)
      ? pca.explainedVariance
      : Array.isArray(r.explainedVariance)
        ? r.explainedVariance
        : []
  ).map(num);
  let running = 0;
  const explained = ratios.map((ratio, i) => ({ component: i + 1, ratio, cumulative: (running += ratio) }));
  const retained = Number.isFinite(num(pca?.retained)) ? num(pca?.retained) : null;
  const askedRotation = run.params?.rotation === 'varimax';
  const rotationSkipped =
    askedRotation && pca && pca.rotation !== 'varimax'
      ? `Varimax-Rotation übersprungen: nur ${retained ?? 1} Komponente behalten, eine Rotation braucht mindestens zwei.`
      : null;
  const warnings = Array.isArray(r.warnings) ? r.warnings.filter((x): x is string => typeof x === 'string') : [];
  return {
    reasons,
    votes,
    suggestedK,
    kAtEdge: kEdgeNote(run.chosenK, byK, run.params?.kRange),
    redundant,
    explained,
    retained,
    rotationSkipped,
    warnings,
  };
}

/** Groups the criteria's choices by k: {silhouette: 3, elbow: 3, daviesBouldin: 2} → [{3: Silhouette, Ellbogen}, {2: …}]. */
export function kVotes(choices: Rec): KVote[] {
  const byK = new Map<number, string[]>();
  for (const [key, name] of Object.entries(CRITERION_NAMES)) {
    const k = num(choices[key]);
    if (!Number.isFinite(k)) continue;
    byK.set(k, [...(byK.get(k) ?? []), name]);
  }
  return [...byK.entries()]
    .map(([k, criteria]) => ({ k, criteria }))
    .sort((a, b) => b.criteria.length - a.criteria.length || a.k - b.k);
}

/** A sentence when the chosen k is the smallest or largest of at least three compared k. */
export function kEdgeNote(chosenK: number, byK: readonly { k: number }[], kRange?: [number, number]): string | null {
  const ks = byK.map((b) => b.k);
  if (ks.length < 3) return null;
  const lo = kRange?.[0] ?? Math.min(...ks);
  const hi = kRange?.[1] ?? Math.max(...ks);
  if (chosenK === hi)
    return `Das gewählte k = ${chosenK} ist das größte geprüfte k (Bereich ${lo}…${hi}): ein größerer Bereich könnte ein anderes k ergeben.`;
  if (chosenK === lo)
    return `Das gewählte k = ${chosenK} ist das kleinste geprüfte k (Bereich ${lo}…${hi}): ein kleineres k wurde nicht geprüft.`;
  return null;
}

/** One row of the quality table: the measures at k and which of them is the best over all k. */
export interface QualityRow extends ByK {
  chosen: boolean;
  best: { inertia: boolean; silhouette: boolean; calinskiHarabasz: boolean; daviesBouldin: boolean };
}

/**
 * The quality measures per k, ascending, with the best of each marked: silhouette and
 * Calinski-Harabasz highest, Davies-Bouldin lowest. Inertia always falls with k, so its "best" is
 * the elbow the server named (elbowK), not the minimum.
 */
export function qualityRows(byK: readonly ByK[], chosenK: number, elbowK: number | null = null): QualityRow[] {
  const rows = [...byK].sort((a, b) => a.k - b.k);
  const finite = (f: (b: ByK) => number) => rows.map(f).filter(Number.isFinite);
  const maxSil = Math.max(...finite((b) => b.silhouette));
  const maxCh = Math.max(...finite((b) => b.calinskiHarabasz));
  const minDb = Math.min(...finite((b) => b.daviesBouldin));
  return rows.map((b) => ({
    k: b.k,
    inertia: b.inertia,
    silhouette: b.silhouette,
    calinskiHarabasz: b.calinskiHarabasz,
    daviesBouldin: b.daviesBouldin,
    chosen: b.k === chosenK,
    best: {
      inertia: elbowK !== null && b.k === elbowK,
      silhouette: b.silhouette === maxSil,
      calinskiHarabasz: b.calinskiHarabasz === maxCh,
      daviesBouldin: b.daviesBouldin === minDb,
    },
  }));
}

/** The elbow k the server chose (suggestion.choices.elbow), or null. */
export function elbowOf(run: TypologyRun): number | null {
  const s = (run as unknown as Rec).suggestion;
  const e = isRec(s) && isRec(s.choices) ? num(s.choices.elbow) : NaN;
  return Number.isFinite(e) ? e : null;
}
