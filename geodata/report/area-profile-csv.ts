/**
 * The Sozialstruktur-Profil as CSV, one row per indicator, for spreadsheets and the ZIP of all
 * profiles: value with its period ("Stand"), parent and region value, rank, change, target. Written
 * with the shared RFC 4180 writer (geodata/export/csv.ts), so it reads like every other export;
 * profileTable() gives the same rows to the German CSV and XLSX writers (?format=csv-de|xlsx).
 */
import type { Profile } from './area-profile-types.js';
import { toCsv } from '../export/csv.js';
import type { ExportTable } from '../export/cells.js';

/** The columns of the profile CSV, in order ('.' decimals, codes as text). */
export const PROFILE_CSV_COLUMNS = [
  'level',
  'code',
  'name',
  'period',
  'indicator',
  'label',
  'unit',
  'topic',
  'polarity',
  'value',
  'value_period',
  'suppressed',
  'parent_code',
  'parent_value',
  'region_value',
  'rank',
  'ranked_areas',
  'since',
  'change_absolute',
  'change_unit',
  'change_relative_pct',
  'change_direction',
  'comparable',
  'target',
  'target_direction',
  'target_met',
  'suppression_reason',
  'children_with_value',
  'children',
  'coverage_pct',
  'incomplete',
] as const;

export function profileCsvRows(p: Profile): Record<string, unknown>[] {
  return p.indicators.map((i) => ({
    level: p.level,
    code: p.code,
    name: p.name,
    period: p.period,
    indicator: i.key,
    label: i.label,
    unit: i.unit,
    topic: i.topic,
    polarity: i.polarity,
    value: i.value,
    value_period: i.period,
    suppressed: i.suppressed,
    parent_code: p.parent?.code ?? null,
    parent_value: i.parentValue,
    region_value: i.regionValue,
    rank: i.rank,
    ranked_areas: i.n,
    since: i.change?.since ?? null,
    change_absolute: i.change?.absolute ?? null,
    change_unit: i.change?.absoluteUnit ?? null,
    change_relative_pct: i.change?.relative ?? null,
    change_direction: i.change?.direction ?? null,
    comparable: i.change ? i.change.comparable : null,
    target: i.target,
    target_direction: i.targetDirection,
    target_met: i.targetMet,
    suppression_reason: i.suppressionReason,
    children_with_value: i.nChildren,
    children: i.nChildrenTotal,
    coverage_pct: i.coverage === null ? null : 100 * i.coverage,
    incomplete: i.incomplete,
  }));
}

export function profileCsv(p: Profile): string {
  return toCsv(PROFILE_CSV_COLUMNS, profileCsvRows(p));
}

/** The profile as a table for the other download formats (csv-de, xlsx; geodata/export/formats.ts). */
export function profileTable(p: Profile): ExportTable {
  return { sheet: `Profil ${p.code}`, columns: PROFILE_CSV_COLUMNS, rows: profileCsvRows(p) };
}
