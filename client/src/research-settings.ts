/**
 * The researcher's typology settings: the form state, kept for the page life (not in the URL:
 * the run id is the shareable result), and the request body it makes. The form, a new run and a
 * rerun of a stored run all read and write this one object.
 */
import { TYPOLOGY_DEFAULTS } from '../../analysis/typology-defaults.js';
import type { TypologyParams } from './types.js';

export interface ResearchSettings {
  indicators: string[];
  standardize: TypologyParams['standardize'];
  /** 'none', 'kaiser' or a number of components as text (the select's value). */
  pca: string;
  /** Varimax rotation of the retained components. */
  rotation: boolean;
  clusterOn: TypologyParams['clusterOn'];
  /** Compare a range of k, or run one fixed k. */
  kMode: 'range' | 'fixed';
  kFrom: number;
  kTo: number;
  k: number;
  restarts: number;
  seed: number;
  bootstrap: number;
}

/** The indicators preselected when the level has them: the Berlin MSS status and dynamics set. */
export const DEFAULT_INDICATORS: readonly string[] = ['S1', 'S3', 'S4', 'D1', 'D3', 'D4'];

/** The one settings object of the page; starts with the server's defaults of a typology run. */
export const settings: ResearchSettings = {
  indicators: [], // filled from the level's indicators on the first render (DEFAULT_INDICATORS)
  standardize: TYPOLOGY_DEFAULTS.standardize, // z-values with the population sd
  pca: TYPOLOGY_DEFAULTS.pca, // no reduction: cluster on all indicators
  rotation: (TYPOLOGY_DEFAULTS.rotation as string) === 'varimax', // no rotation ('none')
  clusterOn: TYPOLOGY_DEFAULTS.clusterOn, // standardised indicators, not component scores
  kMode: 'range', // compare a range of k, as the server does when no k is given
  kFrom: TYPOLOGY_DEFAULTS.kRange[0], // range start (2)
  kTo: TYPOLOGY_DEFAULTS.kRange[1], // range end (10)
  k: 5, // the fixed k offered when kMode is 'fixed' (the server has no default for a fixed k)
  restarts: TYPOLOGY_DEFAULTS.restarts, // k-means++ restarts per k (50)
  seed: TYPOLOGY_DEFAULTS.seed, // seed of everything random (1)
  bootstrap: TYPOLOGY_DEFAULTS.bootstrap, // bootstrap resamples for the stability of the chosen k (100)
};

/** Preselects the indicators once per page life: the default set, or the first six usable ones. */
export function preselectIndicators(s: ResearchSettings, usable: readonly string[]): void {
  if (s.indicators.length) return;
  s.indicators = usable.filter((k) => DEFAULT_INDICATORS.includes(k));
  if (s.indicators.length < 2) s.indicators = usable.slice(0, 6);
}

/**
 * Keeps the chosen indicators the level offers (another level may lack some: index indicators are
 * not aggregated to parent levels); when fewer than two are left, the level's preselection applies.
 */
export function fitIndicators(s: ResearchSettings, usable: readonly string[]): void {
  const kept = s.indicators.filter((k) => usable.includes(k));
  if (kept.length === s.indicators.length) return;
  s.indicators = kept.length >= 2 ? kept : [];
  preselectIndicators(s, usable);
}

/** The POST /api/typologies body for the settings at a level and period. */
export function typologyParams(s: Readonly<ResearchSettings>, level: string, period: string): TypologyParams {
  const p: TypologyParams = {
    level,
    period,
    indicators: s.indicators,
    standardize: s.standardize,
    pca: s.pca === 'none' || s.pca === 'kaiser' ? s.pca : Number(s.pca),
    clusterOn: s.pca === 'none' ? 'z' : s.clusterOn,
    restarts: s.restarts,
    seed: s.seed,
    bootstrap: s.bootstrap,
  };
  if (s.rotation && s.pca !== 'none') p.rotation = 'varimax';
  if (s.kMode === 'fixed') p.k = s.k;
  else p.kRange = [Math.min(s.kFrom, s.kTo), Math.max(s.kFrom, s.kTo)];
  return p;
}

/**
 * The form state that reproduces a stored run's parameters ("Parameter übernehmen"): the inverse of
 * typologyParams. What the stored parameters leave out keeps the server's default (a run stored with
 * defaults omitted is the run with those defaults); a fixed k switches the form to "festes k".
 */
export function settingsFromParams(p: Partial<TypologyParams>, current: Readonly<ResearchSettings>): ResearchSettings {
  const range = p.kRange ?? TYPOLOGY_DEFAULTS.kRange;
  const pca = p.pca ?? TYPOLOGY_DEFAULTS.pca;
  return {
    indicators: [...(p.indicators ?? current.indicators)],
    standardize: p.standardize ?? TYPOLOGY_DEFAULTS.standardize,
    pca: String(pca),
    rotation: p.rotation === 'varimax',
    clusterOn: p.clusterOn ?? TYPOLOGY_DEFAULTS.clusterOn,
    kMode: p.k !== undefined ? 'fixed' : 'range',
    kFrom: range[0],
    kTo: range[1],
    k: p.k ?? current.k,
    restarts: p.restarts ?? TYPOLOGY_DEFAULTS.restarts,
    seed: p.seed ?? TYPOLOGY_DEFAULTS.seed,
    bootstrap: p.bootstrap ?? TYPOLOGY_DEFAULTS.bootstrap,
  };
}
