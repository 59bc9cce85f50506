/**
 * Loading side of the MSS index map: GET /api/index for a level and period (once per page life,
 * like data.ts), and the index line of the selected area in the area panel. The classes, colours
 * and texts are status-index-data.ts.
 */
import { h } from './dom.js';
import { fetchJson, q } from './api.js';
import { indexSummary, type IndexAnswer } from './status-index-data.js';

const cache = new Map<string, Promise<IndexAnswer>>();

/** The index of a level at a period with the MSS defaults (S1, S3, S4 / D1, D3, D4; cutoffs ±1, 1,5). */
export function loadIndex(level: string, period: string): Promise<IndexAnswer> {
  const url = `/api/index${q({ level, period })}`;
  let p = cache.get(url);
  if (!p) {
    p = fetchJson<IndexAnswer>(url);
    cache.set(url, p);
    // A failure is not kept: the next try asks again.
    p.catch(() => cache.delete(url));
  }
  return p;
}

/**
 * Appends the area's status, dynamics and combined class to the area panel; nothing when the index
 * cannot be computed for this level or period (the map says why).
 */
export async function appendIndexLine(panel: HTMLElement, level: string, period: string, code: string): Promise<void> {
  try {
    const answer = await loadIndex(level, period);
    const m = answer.members.find((x) => x.code === code);
    if (!m || !panel.isConnected) return;
    panel.querySelector('[data-testid="index-line"]')?.remove();
    panel.append(
      h('p', { class: 'index-line', testid: 'index-line' }, h('strong', {}, 'MSS-Index: '), indexSummary(m)),
    );
  } catch {
    /* no index here: the map's status line explains */
  }
}
