/**
 * The compare panel's table (GET /api/compare): indicators as rows, the chosen areas side by side,
 * the parent area of the first one and the whole city, and each further area's difference to the
 * first. Rates differ in percentage points ("Pp."), other units in their own unit. Pure: numbers
 * and German text only, no DOM, so the panel's figures are tested in node.
 */
import { decimalsFor, formatSigned, formatValue, MISSING } from './format.js';

/** At least two areas, at most four: the API's bounds (server/services/area-compare.ts). */
export const MIN_COMPARE = 2;
export const MAX_COMPARE = 4;

/** The answer of GET /api/compare. */
export interface CompareAnswer {
  level: string;
  period: string;
  /** The areas in the order asked, then { code: null, name: 'Gesamt' } for the whole region. */
  columns: { code: string | null; name: string | null }[];
  rows: {
    indicator: string;
    label: string;
    unit: string | null;
    kind: string | null;
    polarity: number;
    values: (number | null)[];
    region: number | null;
  }[];
}

/** The first area's parent and its values by indicator (from the area profile's parentValue). */
export interface CompareParent {
  name: string;
  values: ReadonlyMap<string, number | null>;
}

export interface CompareRow {
  indicator: string;
  label: string;
  /** Formatted value per area, in the order of the areas. */
  cells: string[];
  /** Formatted value of the first area's parent; absent when no parent is shown. */
  parent?: string;
  /** Formatted value of the whole city. */
  region: string;
  /** Area i+1 minus the first area, for i = 0 … n−2; null where one of the two is missing. */
  differences: (number | null)[];
  /** The differences formatted with sign and unit ("+2,5 Pp.", "−120 EW"). */
  differenceText: string[];
}

export interface CompareTable {
  period: string;
  /** Area names in order (the code where the API has no name). */
  areas: { code: string; name: string }[];
  parentName: string | null;
  /** Header texts of the difference columns: "B − A" with the areas' names. */
  differenceHeaders: string[];
  rows: CompareRow[];
}

/** The unit a difference is given in: percentage points for rates and percent values. */
export function differenceUnit(unit: string | null, kind: string | null): string | null {
  return kind === 'rate' || unit === '%' ? 'Pp.' : unit;
}

/** A signed difference with its unit; "–" when missing. */
export function formatDifference(d: number | null, unit: string | null, kind: string | null): string {
  if (d === null || !Number.isFinite(d)) return MISSING;
  const text = formatSigned(d, decimalsFor(unit, kind));
  const u = differenceUnit(unit, kind);
  return u ? `${text} ${u}` : text;
}

export function compareTable(answer: CompareAnswer, parent: CompareParent | null = null): CompareTable {
  const areas = answer.columns
    .filter((c): c is { code: string; name: string | null } => c.code !== null)
    .map((c) => ({ code: c.code, name: c.name ?? c.code }));
  const first = areas[0]?.name ?? '';
  return {
    period: answer.period,
    areas,
    parentName: parent?.name ?? null,
    differenceHeaders: areas.slice(1).map((a) => `${a.name} − ${first}`),
    rows: answer.rows.map((r) => {
      const base = r.values[0] ?? null;
      // A class (MSS index class, validity code) is a label in numbers: its difference means nothing.
      const differences = r.values
        .slice(1)
        .map((v) => (v === null || base === null || r.kind === 'class' ? null : v - base));
      const row: CompareRow = {
        indicator: r.indicator,
        label: r.unit ? `${r.label} (${r.unit})` : r.label,
        cells: r.values.map((v) => formatValue(v, null, r.kind, decimalsFor(r.unit, r.kind))),
        region: formatValue(r.region, null, r.kind, decimalsFor(r.unit, r.kind)),
        differences,
        differenceText: differences.map((d) => formatDifference(d, r.unit, r.kind)),
      };
      if (parent)
        row.parent = formatValue(parent.values.get(r.indicator) ?? null, null, r.kind, decimalsFor(r.unit, r.kind));
      return row;
    }),
  };
}

/** The chosen codes after adding one: no duplicates, at most MAX_COMPARE (the oldest is kept). */
export function addCompareCode(codes: readonly string[], code: string): string[] {
  if (!code || codes.includes(code) || codes.length >= MAX_COMPARE) return [...codes];
  return [...codes, code];
}

export function removeCompareCode(codes: readonly string[], code: string): string[] {
  return codes.filter((c) => c !== code);
}

/** The longest bar: values up to twice the city's are drawn to scale, larger ones cut at this index. */
export const BAR_CAP = 200;

/**
 * A value as an index of the city's (Berlin = 100) for the bars beside the table; null when either
 * is missing or the city's value is 0 (no index can be formed).
 */
export function cityIndex(value: number | null, region: number | null): number | null {
  if (value === null || region === null || !Number.isFinite(value) || !Number.isFinite(region) || region === 0)
    return null;
  return (value / region) * 100;
}

/** Bar length as a share (0…1) of the full width for an index, cut at BAR_CAP. */
export function barShare(index: number | null): number {
  if (index === null || index <= 0) return 0;
  return Math.min(index, BAR_CAP) / BAR_CAP;
}
