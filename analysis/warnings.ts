/**
 * "Soziales Warnsystem": evaluation of warning rules against numbers that the caller has
 * already loaded. Pure: each rule type is a function from its parameters and one area's data
 * to either null (did not fire) or the evidence (the numbers behind the warning).
 *
 * Rule types:
 * - threshold:   an indicator above or below a fixed value;
 * - target:      the indicator's target ("Ziel") missed, in its target direction;
 * - trend:       worsening (by polarity) in each of the last n period-to-period steps;
 * - hotspot:     the area is in the hot class of a hotspot run (class ≥ minClass, default 1);
 * - index_class: the area's status and/or dynamics class (MSS method) is one of the listed ones,
 *                e.g. status "sehr niedrig" together with dynamics "negativ".
 */

import { formatUpTo } from './number-format.js';

export const RULE_TYPES = ['threshold', 'target', 'trend', 'hotspot', 'index_class'] as const;
export type RuleType = (typeof RULE_TYPES)[number];
export type Severity = 'info' | 'warnung' | 'kritisch';

export interface ThresholdParams {
  indicator: string;
  op: 'above' | 'below';
  value: number;
  /** Fire also when the value equals the threshold (default false: strictly above/below). */
  inclusive?: boolean;
}
export interface TargetParams {
  indicator: string;
}
export interface TrendParams {
  indicator: string;
  /** Number of consecutive worsening steps (default 2); needs periods + 1 values. */
  periods: number;
  /** Minimum size of each step to count as worsening (default 0: any worsening). */
  minStep?: number;
}
export interface HotspotParams {
  /** The hotspot run; default: the latest run on the rule's level (and indicator, if given). */
  runId?: number;
  indicator?: string;
  /** Lowest hotspot class that counts as hot (default 1 = hot at 90 %). */
  minClass?: number;
}
export interface IndexClassParams {
  /** Status classes that fire (labels: hoch, mittel, niedrig, sehr niedrig); empty/absent = any. */
  status?: string[];
  /** Dynamics classes that fire (positiv, stabil, negativ); empty/absent = any. */
  dynamics?: string[];
}

export type RuleParams = ThresholdParams | TargetParams | TrendParams | HotspotParams | IndexClassParams;

export interface WarningRule {
  id: number;
  name: string;
  type: RuleType;
  /** Level the rule applies to; null = every level. */
  level: string | null;
  severity: Severity;
  enabled: boolean;
  params: RuleParams;
}

export type Evidence = Record<string, number | string | null | (number | null)[] | string[]>;

export function isRuleType(t: string): t is RuleType {
  return (RULE_TYPES as readonly string[]).includes(t);
}

export function threshold(p: ThresholdParams, value: number | null): Evidence | null {
  if (value === null || !Number.isFinite(value)) return null;
  const fired =
    p.op === 'above'
      ? p.inclusive
        ? value >= p.value
        : value > p.value
      : p.inclusive
        ? value <= p.value
        : value < p.value;
  return fired ? { indicator: p.indicator, value, threshold: p.value, op: p.op } : null;
}

/**
 * Target missed. direction 'max': the value should stay at or below the target (e.g. a poverty
 * rate), 'min': at or above it (e.g. a school-leaving rate). Meeting the target exactly is met.
 */
export function targetMissed(
  indicator: string,
  target: number | null,
  dir: 'max' | 'min' | null,
  value: number | null,
): Evidence | null {
  if (target === null || dir === null || value === null || !Number.isFinite(value)) return null;
  const missed = dir === 'max' ? value > target : value < target;
  return missed ? { indicator, value, target, direction: dir, gap: value - target } : null;
}

/** Is the target met? null when there is no target or no value (for the profile's "erreicht" column). */
export function targetMet(target: number | null, dir: 'max' | 'min' | null, value: number | null): boolean | null {
  if (target === null || dir === null || value === null) return null;
  return dir === 'max' ? value <= target : value >= target;
}

/**
 * Worsening trend: the last `periods` steps of the series (sorted by period, nulls allowed)
 * each worsen by more than minStep in the direction of need (polarity +1: rising is worse).
 * A gap (null) inside the window breaks the trend: we cannot claim a trend we did not observe.
 */
export function worseningTrend(
  p: TrendParams,
  polarity: number,
  series: readonly { period: string; value: number | null }[],
): Evidence | null {
  if (polarity === 0 || p.periods < 1 || series.length < p.periods + 1) return null;
  const win = series.slice(series.length - p.periods - 1);
  const minStep = p.minStep ?? 0;
  const steps: number[] = [];
  for (let i = 1; i < win.length; i++) {
    const a = win[i - 1].value;
    const b = win[i].value;
    if (a === null || b === null) return null;
    const worse = (b - a) * polarity;
    if (!(worse > minStep)) return null;
    steps.push(b - a);
  }
  return {
    indicator: p.indicator,
    periods: win.map((x) => x.period),
    values: win.map((x) => x.value),
    steps,
    totalChange: (win[win.length - 1].value as number) - (win[0].value as number),
  };
}

export function hotspotMember(p: HotspotParams, runId: number, cls: number | null): Evidence | null {
  const min = p.minClass ?? 1;
  if (cls === null || cls < min) return null;
  return { runId, class: cls, minClass: min };
}

export function indexClassMatch(
  p: IndexClassParams,
  status: string | null,
  dynamics: string | null,
  statusZ: number | null,
  dynamicsZ: number | null,
): Evidence | null {
  const wantS = p.status ?? [];
  const wantD = p.dynamics ?? [];
  if (wantS.length > 0 && (status === null || !wantS.includes(status))) return null;
  if (wantD.length > 0 && (dynamics === null || !wantD.includes(dynamics))) return null;
  if (status === null && dynamics === null) return null;
  return { statusClass: status, dynamicsClass: dynamics, statusZ, dynamicsZ };
}

/** A plain-German sentence for a fired rule, for the warnings list and the profile. */
export function describeWarning(rule: WarningRule, e: Evidence): string {
  const f = (x: unknown) => (typeof x === 'number' ? formatUpTo(x, 2) : String(x));
  switch (rule.type) {
    case 'threshold':
      return `${e.indicator} = ${f(e.value)} liegt ${e.op === 'above' ? 'über' : 'unter'} dem Schwellenwert ${f(e.threshold)}`;
    case 'target':
      return `${e.indicator} = ${f(e.value)} verfehlt das Ziel ${f(e.target)} (${e.direction === 'max' ? 'höchstens' : 'mindestens'})`;
    case 'trend':
      return `${e.indicator} verschlechtert sich in ${(e.steps as number[]).length} Schritten nacheinander (gesamt ${f(e.totalChange)})`;
    case 'hotspot':
      return `Hotspot (Klasse ${f(e.class)}) im Hotspot-Lauf ${f(e.runId)}`;
    case 'index_class':
      return `Status ${e.statusClass ?? '–'}, Dynamik ${e.dynamicsClass ?? '–'}`;
  }
}
