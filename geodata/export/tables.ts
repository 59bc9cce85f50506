/**
 * The tables behind the exports that have no CSV of their own yet: change between two periods,
 * the ranking of a level for one indicator, typology members (type, plain name, silhouette,
 * stability, z-scores, component scores) and hotspot members. Each takes the API's JSON answer
 * (structurally typed: geodata does not import server/) and names its columns in snake_case like
 * the value export, so a spreadsheet shows what the API says, row by row.
 */
import type { ExportTable } from './cells.js';

/** GET /api/change's answer, as far as the table needs it. */
export interface ChangeAnswer {
  indicator: string;
  level: string;
  from: string;
  to: string;
  absoluteUnit: string | null;
  members: {
    code: string;
    name: string | null;
    from: number | null;
    to: number | null;
    absolute: number | null;
    relative: number | null;
    direction: string | null;
    comparable: boolean;
    note: string | null;
  }[];
}

export function changeTable(c: ChangeAnswer): ExportTable {
  return {
    sheet: `Veränderung ${c.indicator}`,
    columns: [
      'level',
      'code',
      'name',
      'indicator',
      'from',
      'to',
      'value_from',
      'value_to',
      'change_absolute',
      'change_unit',
      'change_relative_pct',
      'direction',
      'comparable',
      'note',
    ],
    rows: c.members.map((m) => ({
      level: c.level,
      code: m.code,
      name: m.name,
      indicator: c.indicator,
      from: c.from,
      to: c.to,
      value_from: m.from,
      value_to: m.to,
      change_absolute: m.absolute,
      change_unit: c.absoluteUnit,
      change_relative_pct: m.relative,
      direction: m.direction,
      comparable: m.comparable,
      note: m.note,
    })),
  };
}

/** GET /api/values's answer, as far as the table needs it. */
export interface ValuesAnswer {
  indicator: string;
  unit: string | null;
  level: string;
  period: string;
  values: {
    code: string;
    name: string | null;
    value: number | null;
    suppressed: boolean;
    suppressionReason: string | null;
    source: string | null;
    coverage: number | null;
    incomplete: boolean;
  }[];
}

/**
 * The ranking: areas with a value by value, highest first (rank 1; equal values share a rank,
 * 1, 2, 2, 4), then the areas without a value (hidden or missing) without rank, each part by code.
 */
export function rankingTable(v: ValuesAnswer): ExportTable {
  const withValue = v.values
    .filter((x) => x.value !== null)
    .sort((a, b) => (b.value as number) - (a.value as number) || a.code.localeCompare(b.code));
  const without = v.values.filter((x) => x.value === null).sort((a, b) => a.code.localeCompare(b.code));
  const rankOf = new Map<string, number>();
  withValue.forEach((x, i) => {
    const prev = withValue[i - 1];
    rankOf.set(x.code, prev && prev.value === x.value ? rankOf.get(prev.code)! : i + 1);
  });
  return {
    sheet: `Rangfolge ${v.indicator}`,
    columns: [
      'rank',
      'level',
      'code',
      'name',
      'indicator',
      'period',
      'value',
      'unit',
      'suppressed',
      'suppression_reason',
      'source',
      'coverage_pct',
      'incomplete',
    ],
    rows: [...withValue, ...without].map((x) => ({
      rank: rankOf.get(x.code) ?? null,
      level: v.level,
      code: x.code,
      name: x.name,
      indicator: v.indicator,
      period: v.period,
      value: x.value,
      unit: v.unit,
      suppressed: x.suppressed,
      suppression_reason: x.suppressionReason,
      source: x.source,
      coverage_pct: x.coverage === null ? null : 100 * x.coverage,
      incomplete: x.incomplete,
    })),
  };
}

/** One published member of a typology run with its z-scores (per indicator) and component scores. */
export interface TypologyMemberExport {
  code: string;
  name: string | null;
  type: number;
  typeName: string | null;
  label: string | null;
  silhouette: number | null;
  stability: number | null;
  z: Record<string, number | null>;
  scores: number[];
}

/** Typology members: one row per published area; z_<indicator> and pc1…pcN (the run's component scores). */
export function typologyMembersTable(
  run: { id: number; level: string; period: string; k: number; indicators: readonly string[] },
  members: readonly TypologyMemberExport[],
): ExportTable {
  const nScores = members.reduce((m, x) => Math.max(m, x.scores.length), 0);
  const scoreCols = Array.from({ length: nScores }, (_, i) => `pc${i + 1}`);
  const zCols = run.indicators.map((k) => `z_${k}`);
  return {
    sheet: `Typisierung ${run.id} k${run.k}`,
    columns: [
      'run_id',
      'level',
      'period',
      'k',
      'code',
      'name',
      'type',
      'type_name',
      'type_label',
      'silhouette',
      'stability',
      ...zCols,
      ...scoreCols,
    ],
    rows: members.map((m) => {
      const row: Record<string, unknown> = {
        run_id: run.id,
        level: run.level,
        period: run.period,
        k: run.k,
        code: m.code,
        name: m.name,
        type: m.type,
        type_name: m.typeName,
        type_label: m.label,
        silhouette: m.silhouette,
        stability: m.stability,
      };
      run.indicators.forEach((key, j) => (row[zCols[j]] = m.z[key] ?? null));
      scoreCols.forEach((c, j) => (row[c] = m.scores[j] ?? null));
      return row;
    }),
  };
}

/** One published member of a hotspot run (GET /api/hotspots/{id}/members). */
export interface HotspotMemberExport {
  code: string;
  neighbours: number;
  lisaI: number | null;
  lisaZ: number | null;
  lisaP: number | null;
  lisaPPermutation: number | null;
  lisaPAdjusted: number | null;
  quadrant: string | null;
  giZ: number | null;
  giP: number | null;
  giPAdjusted: number | null;
  class: number | null;
  island: boolean;
}

export function hotspotMembersTable(
  run: { id: number; level: string; period: string; indicator: string },
  members: readonly (HotspotMemberExport & { name?: string | null })[],
): ExportTable {
  return {
    sheet: `Hotspots ${run.id}`,
    columns: [
      'run_id',
      'level',
      'period',
      'indicator',
      'code',
      'name',
      'neighbours',
      'island',
      'gi_z',
      'gi_p',
      'gi_p_adjusted',
      'class',
      'lisa_i',
      'lisa_z',
      'lisa_p',
      'lisa_p_permutation',
      'lisa_p_adjusted',
      'quadrant',
    ],
    rows: members.map((m) => ({
      run_id: run.id,
      level: run.level,
      period: run.period,
      indicator: run.indicator,
      code: m.code,
      name: m.name ?? null,
      neighbours: m.neighbours,
      island: m.island,
      gi_z: m.giZ,
      gi_p: m.giP,
      gi_p_adjusted: m.giPAdjusted,
      class: m.class,
      lisa_i: m.lisaI,
      lisa_z: m.lisaZ,
      lisa_p: m.lisaP,
      lisa_p_permutation: m.lisaPPermutation,
      lisa_p_adjusted: m.lisaPAdjusted,
      quadrant: m.quadrant,
    })),
  };
}
