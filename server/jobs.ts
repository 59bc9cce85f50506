/**
 * Background jobs for long analyses (typologies above the synchronous limit): an in-memory
 * registry with progress, polled at GET /api/jobs/{id}. Jobs live as long as the process; a
 * finished job's result points to the stored run, which is what outlives a restart.
 * Finished jobs are forgotten after an hour so the map cannot grow without bound.
 *
 * A running job can be cancelled (DELETE /api/jobs/{id}): its AbortSignal, which the job's code
 * runs under (http/request-abort.ts), drops or stops its run in the analysis pool, and the job
 * ends as 'cancelled' at once, whatever the aborted work does afterwards.
 */
import { randomUUID } from 'node:crypto';
import { runWithAbortSignal } from './http/request-abort.js';

export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  /** 0..1 */
  progress: number;
  stage: string;
  createdAt: string;
  finishedAt: string | null;
  result: unknown;
  error: { code: string; message: string; details: unknown } | null;
}

const jobs = new Map<string, Job>();
const controllers = new Map<string, AbortController>();
/** How long a finished job stays queryable (1 h). */
const KEEP_FINISHED_MS = 60 * 60 * 1000;

export type ProgressReporter = (progress: number, stage: string) => void;

/** Starts fn in the background and returns the job at once. */
export function startJob(kind: string, fn: (report: ProgressReporter) => Promise<unknown>): Job {
  const job: Job = {
    id: randomUUID(),
    kind,
    status: 'running',
    progress: 0,
    stage: 'gestartet',
    createdAt: new Date().toISOString(),
    finishedAt: null,
    result: null,
    error: null,
  };
  jobs.set(job.id, job);
  const controller = new AbortController();
  controllers.set(job.id, controller);
  const report: ProgressReporter = (progress, stage) => {
    if (job.status !== 'running') return;
    job.progress = Math.max(job.progress, Math.min(1, progress));
    job.stage = stage;
  };
  // The job's work runs under its own signal, not under the request that started it (which ends at once).
  void runWithAbortSignal(controller.signal, () => fn(report)).then(
    (result) => {
      if (job.status !== 'running') return;
      job.status = 'done';
      job.progress = 1;
      job.stage = 'fertig';
      job.result = result;
      finish(job);
    },
    (err: unknown) => {
      if (job.status !== 'running') return;
      const e = err as { status?: number; code?: string; message?: string; details?: unknown };
      job.status = 'failed';
      job.error = {
        code: e.status && e.status < 500 ? (e.code ?? 'bad_request') : 'internal',
        message: e.message ?? String(err),
        details: e.details ?? null,
      };
      finish(job);
    },
  );
  return job;
}

function finish(job: Job): void {
  controllers.delete(job.id);
  job.finishedAt = new Date().toISOString();
  setTimeout(() => jobs.delete(job.id), KEEP_FINISHED_MS).unref();
}

export function getJob(id: string): Job | undefined {
  return jobs.get(id);
}

/**
 * Cancels a running job: its analysis is dropped from the pool's queue or its worker stopped, and
 * the job ends as 'cancelled'. Returns the job (unchanged if it had already finished), or
 * undefined for an unknown id.
 */
export function cancelJob(id: string): Job | undefined {
  const job = jobs.get(id);
  if (!job || job.status !== 'running') return job;
  job.status = 'cancelled';
  job.stage = 'abgebrochen';
  controllers.get(id)?.abort(new Error('Job abgebrochen'));
  finish(job);
  return job;
}

/** Resolves when the job has finished (tests and the CLI). */
export async function waitForJob(id: string, pollMs = 50): Promise<Job> {
  for (;;) {
    const job = jobs.get(id);
    if (!job) throw new Error(`unknown job ${id}`);
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
