/**
 * Starting a typology run from the research view: POST /api/typologies with the token, then
 * either the answer itself or, for large levels, the job polled with progress until it is done.
 * The run becomes the shown one (URL state) and the history is reloaded.
 */
import { fill, message } from './dom.js';
import { api } from './data.js';
import { ApiError, errorMessage, fetchJson, canWrite, postJson } from './api.js';
import { normalizeRun } from './typology-data.js';
import { formatShare } from './format.js';
import { renderHistory } from './research-history.js';
import { settings, typologyParams } from './research-settings.js';
import type { Ctx } from './ctx.js';
import type { Job, TypologyParams, TypologyRun } from './types.js';

/** The sidebar elements that report a run: progress bar, status line and the history to reload. */
export interface RunFeedback {
  progress: HTMLProgressElement;
  status: HTMLElement;
  history: HTMLElement;
}

/** Milliseconds between two job polls. */
const POLL_INTERVAL = 500;
/** Milliseconds the full progress bar stays visible after the run. */
const PROGRESS_LINGER = 800;

/**
 * @param override the full parameters of a rerun of a stored run (its own indicators and k range
 *   with another chosen k); undefined = the parameters of the settings form.
 */
export async function runTypology(ctx: Ctx, feedback: RunFeedback, override?: Partial<TypologyParams>): Promise<void> {
  const { progress, status } = feedback;
  if (settings.indicators.length < 2)
    return fill(status, message('Bitte mindestens zwei Indikatoren wählen.', 'error'));
  if (!canWrite()) return fill(status, message('Bitte zuerst anmelden oder das Zugangstoken eintragen.', 'error'));
  const body = override ? { ...override } : typologyParams(settings, ctx.store.state.level, ctx.store.state.period);
  progress.hidden = false;
  progress.removeAttribute('value'); // indeterminate until the server reports progress
  fill(status, message('Die Typologie wird berechnet …'));
  try {
    const res = await postJson<TypologyRun | { jobId: string }>('/api/typologies', body);
    let run: TypologyRun;
    if (res.status === 202 && 'jobId' in res.body) run = normalizeRun(await pollJob(res.body.jobId, progress, status));
    else run = normalizeRun(res.body);
    progress.value = 1;
    fill(status, message(`Fertig: Lauf ${run.runId} mit ${run.chosenK} Typen.`));
    api.forget('/api/typologies');
    ctx.store.set({ run: String(run.runId), k: 0 });
    void renderHistory(ctx, feedback.history);
  } catch (err) {
    fill(status, message(errorMessage(err), 'error'));
  } finally {
    setTimeout(() => (progress.hidden = true), PROGRESS_LINGER);
  }
}

async function pollJob(id: string, progress: HTMLProgressElement, status: HTMLElement): Promise<TypologyRun> {
  for (;;) {
    const job = await fetchJson<Job>(`/api/jobs/${encodeURIComponent(id)}`);
    if (Number.isFinite(job.progress)) progress.value = job.progress;
    fill(status, message(`${job.message ?? 'Berechnung läuft'} (${formatShare(job.progress ?? 0)})`));
    if (job.status === 'done' || job.status === 'completed' || job.result) {
      if (!job.result) throw new ApiError('Der Lauf ist fertig, aber ohne Ergebnis.', 500, id);
      return job.result;
    }
    if (job.status === 'failed' || job.status === 'error')
      throw new ApiError(job.message ?? 'Die Berechnung ist fehlgeschlagen.', 500, id);
    await new Promise((r) => setTimeout(r, POLL_INTERVAL));
  }
}
