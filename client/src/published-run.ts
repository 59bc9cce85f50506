/**
 * Which typology run planning and counselling show: the run an editor published for the level
 * (PUT /api/typologies/{id}/published; the run list flags it), never simply the newest one, so a researcher's
 * exploratory run does not change what counsellors see until it is published. The research view
 * keeps every run (newestRun). A server from before publishing (its run list carries no
 * `published` flag) falls back to the newest run of the level, so the view still shows types.
 */
import { api, unwrap } from './data.js';
import type { RunSummary } from './types.js';

type Entry = Pick<RunSummary, 'id' | 'level'> & { published?: boolean };

/** The newest run of a level (highest id), '' when the level has none. */
export function newestRun(list: readonly Entry[], level: string): string {
  const mine = list.filter((r) => r.level === level);
  return mine.length ? String(mine.map((r) => Number(r.id)).sort((a, b) => b - a)[0]) : '';
}

/**
 * The run counselling shows, from the run list: the published run of the level; '' when the server
 * knows publishing (an entry carries the flag) but none of this level is published; the newest run
 * of the level on a server without publishing.
 */
export function publishedFromList(list: readonly Entry[], level: string): string {
  const knowsPublishing = list.some((r) => typeof r.published === 'boolean');
  if (!knowsPublishing) return newestRun(list, level);
  const pub = list.find((r) => r.level === level && r.published === true);
  return pub ? String(pub.id) : '';
}

async function runList(): Promise<Entry[]> {
  const runs = await api.typologies();
  return unwrap(runs as unknown as Record<string, unknown>, 'runs') as Entry[];
}

/**
 * Id of the published run of a level ('' = none), from the run list (its entries carry `published`):
 * one request that always answers 200, where GET /api/typologies/published answers 404 for a level
 * without one (a console error in the browser). Read afresh each time, so a run published meanwhile
 * is shown at the next area.
 */
export async function publishedRunId(level: string): Promise<string> {
  return publishedFromList(await runList(), level);
}

/** Id of the newest run of a level, for the research view. */
export async function newestRunId(level: string): Promise<string> {
  return newestRun(await runList(), level);
}
