/**
 * Export of a shown typology run: the members as CSV (with area names) and as GeoJSON (joined onto
 * the level's areas), and the whole run as JSON. Files of another k than the chosen one carry
 * "-k<N>" in their name so they are not mistaken for the run's own result.
 */
import { h, download } from './dom.js';
import { api } from './data.js';
import { errorMessage, fetchJson } from './api.js';
import { membersCsv, membersGeoJson } from './typology-data.js';
import { typologyMemberLinks } from './excel-links.js';
import { excelLinksRow } from './excel-links-view.js';
import type { TypologyMember, TypologyRun } from './types.js';

/**
 * @param shownK the k whose types are shown; undefined = the run's chosen k.
 * @param onError shows a German message when a file cannot be built.
 */
export function exportSection(
  run: TypologyRun,
  members: readonly TypologyMember[],
  shownK: number | undefined,
  onError: (text: string) => void,
): HTMLElement {
  const base = `typologie-${run.runId}${shownK === undefined ? '' : `-k${shownK}`}`;
  const keys = run.params?.indicators ?? [];
  // Area names come with the values of any indicator; loaded on the first CSV export only.
  const names = new Map<string, string>();
  async function exportCsv(): Promise<void> {
    if (!names.size) {
      try {
        const v = await api.values(keys[0], run.params.period, run.params.level);
        for (const r of v.values) names.set(r.code, r.name);
      } catch {
        /* names stay empty */
      }
    }
    download(`${base}.csv`, membersCsv(members, names, run.types), 'text/csv;charset=utf-8');
  }
  async function exportGeoJson(): Promise<void> {
    try {
      const fc = await fetchJson<Parameters<typeof membersGeoJson>[0]>(
        `/api/areas?level=${encodeURIComponent(run.params.level)}`,
      );
      download(`${base}.geojson`, JSON.stringify(membersGeoJson(fc, members)), 'application/geo+json');
    } catch (err) {
      onError(errorMessage(err));
    }
  }
  return h(
    'section',
    {},
    h('h3', {}, 'Export'),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', testid: 'export-csv', onclick: () => void exportCsv() }, 'CSV'),
      h('button', { type: 'button', testid: 'export-geojson', onclick: () => void exportGeoJson() }, 'GeoJSON'),
      h(
        'button',
        {
          type: 'button',
          testid: 'export-json',
          onclick: () => download(`${base}.json`, JSON.stringify(run, null, 2), 'application/json'),
        },
        'JSON',
      ),
    ),
    // For Excel: the server's table with z-scores and PC scores, codes as text.
    excelLinksRow(typologyMemberLinks(run.runId, shownK), 'export-excel'),
  );
}
