/**
 * Download links for Excel (issue 14, "Exports for Excel"): the server writes every table as XLSX
 * (codes as text) and as German CSV (`;`, decimal comma, UTF-8 BOM); the client only names the
 * URLs, so the file holds exactly what the API gives. Pure: the views render the links.
 */
import { q } from './api.js';

export interface ExcelLink {
  /** German link text. */
  label: string;
  /** The file name comes from the server (Content-Disposition), one name for API and browser. */
  href: string;
}

/** The two formats, in the order the links are shown. */
const FORMATS = [
  { format: 'xlsx', label: 'Excel (XLSX)' },
  { format: 'csv-de', label: 'CSV für deutsches Excel' },
] as const;

function links(path: string, params: Record<string, string | number | undefined>): ExcelLink[] {
  return FORMATS.map((f) => ({
    label: f.label,
    href: `${path}${q({ ...params, format: f.format })}`,
  }));
}

/** The ranking as shown: one indicator's values at one period and level, highest first, with ranks. */
export function rankingLinks(indicator: string, level: string, period: string): ExcelLink[] {
  return links('/api/values', { indicator, level, period });
}

/** The change between two periods (absolute and relative, per area). */
export function changeLinks(indicator: string, level: string, from: string, to: string): ExcelLink[] {
  return links('/api/change', { indicator, level, from, to });
}

/** A typology run's members with type, plain name, z-scores and PC scores; k = the shown solution (undefined = the run's own). */
export function typologyMemberLinks(runId: number | string, k: number | undefined): ExcelLink[] {
  return links(`/api/typologies/${encodeURIComponent(String(runId))}/members`, { k });
}
