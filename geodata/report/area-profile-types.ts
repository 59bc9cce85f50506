/**
 * The Sozialstruktur-Profil document: what server/services/area-profile.ts builds and the
 * renderers in this folder print (HTML, CSV). Kept here so that geodata does not import server.
 */
import type { Direction } from '../../analysis/indicator-change.js';

export interface ProfileIndicator {
  key: string;
  label: string;
  unit: string | null;
  topic: string | null;
  polarity: number;
  kind: 'rate' | 'count' | 'mean' | 'index' | 'class';
  value: number | null;
  /** Period of the value ("Stand"): the profile's period, or the indicator's latest before it. */
  period: string;
  suppressed: boolean;
  /** Why it is hidden: 'population' (fewer residents than the threshold) or 'secondary' (protects a hidden neighbour). */
  suppressionReason: 'population' | 'secondary' | null;
  /** The value is the aggregate of the child areas. */
  aggregated: boolean;
  /** Of an aggregate (or a formula over aggregates): children with a value, children in all, their population share (0..1). */
  nChildren: number | null;
  nChildrenTotal: number | null;
  coverage: number | null;
  /** Coverage below the threshold (setting coverage_threshold, default 90 %). */
  incomplete: boolean;
  parentValue: number | null;
  regionValue: number | null;
  /** 1 = most need (highest value; lowest for polarity −1); null when there is no value or it is a class. */
  rank: number | null;
  /** Areas ranked. */
  n: number;
  change: {
    since: string;
    from: number | null;
    absolute: number | null;
    absoluteUnit: string | null;
    relative: number | null;
    direction: Direction | null;
    comparable: boolean;
  } | null;
  target: number | null;
  targetDirection: 'max' | 'min' | null;
  targetMet: boolean | null;
}

export interface Profile {
  code: string;
  name: string | null;
  level: string;
  levelLabel: string;
  parent: { code: string; name: string | null; level: string; levelLabel: string } | null;
  period: string;
  since: string | null;
  areaKm2: number;
  population: number | null;
  index: {
    statusZ: number | null;
    statusClass: string | null;
    dynamicsZ: number | null;
    dynamicsClass: string | null;
    combinedClass: string | null;
  } | null;
  attribution: string;
  rankOrder: string;
  indicators: ProfileIndicator[];
}
