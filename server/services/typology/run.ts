/**
 * One typology run end to end, the single path behind POST /api/typologies and
 * `sozialatlas typology`: validate the request, load the matrix, run the pipeline in a worker,
 * store the run. Up to SYNC_LIMIT areas the API waits for the run; above it the run becomes a
 * background job polled at GET /api/jobs/{id}.
 */
import { refreshValues } from '../../../geodata/values/refresh.js';
import { publishedMembers } from '../published.js';
import type { AppContext } from '../../context.js';
import type { TypologyResult } from '../../../analysis/typology.js';
import { startJob, type Job } from '../../jobs.js';
import { parseTypologyRequest, typologyOptionsOf, type TypologyRequest } from './request.js';
import { fingerprintInput, loadTypologyInput, type LoadedInput } from './matrix.js';
import { runInWorker } from './worker.js';
import { storeRun } from './store.js';

/** Areas up to which POST /api/typologies answers synchronously: 5 000 runs in seconds. */
export const SYNC_LIMIT = 5000;

/** What the CLI prints with --json and the API returns (members included). */
export interface TypologyOutput extends Omit<TypologyResult, 'dropped'> {
  runId: number;
  createdAt: string;
  level: string;
  period: string;
  params: TypologyRequest;
  fingerprint: string;
  dropped: { code: string; reason: string; indicators?: string[] }[];
}

/** Validates, loads, runs in a worker and stores: the whole run, awaited. */
export async function createTypology(
  ctx: AppContext,
  body: unknown,
  onProgress?: (fraction: number, stage: string) => void,
): Promise<TypologyOutput> {
  const req = parseTypologyRequest(body);
  await refreshValues(ctx.db); // values made by a direct SQL change reach the matrix too
  const loaded = await loadTypologyInput(ctx.db, req);
  return runLoaded(ctx, req, loaded, onProgress);
}

/** Runs and stores a request whose matrix is loaded (the part a job does in the background). */
async function runLoaded(
  ctx: AppContext,
  req: TypologyRequest,
  loaded: LoadedInput,
  onProgress?: (fraction: number, stage: string) => void,
): Promise<TypologyOutput> {
  const fingerprint = fingerprintInput(req, loaded.input);
  const result = await runInWorker(loaded.input, typologyOptionsOf(req), onProgress);
  const { id, createdAt } = await storeRun(ctx.db, req, fingerprint, result, loaded.excluded);
  // Areas hidden to protect a neighbour were analysed (n, sizes and indices include them), but their types are not published.
  const members = await publishedMembers(ctx.db, req.level, req.period, result.members);
  return {
    runId: id,
    createdAt,
    level: req.level,
    period: req.period,
    params: req,
    fingerprint,
    ...result,
    members,
    dropped: [...loaded.excluded, ...result.dropped],
  };
}

/** API entry: runs up to syncLimit areas (default SYNC_LIMIT) are awaited ('done'); larger ones start a job ('job'). */
export async function submitTypology(
  ctx: AppContext,
  body: unknown,
  syncLimit = SYNC_LIMIT,
): Promise<{ kind: 'done'; output: TypologyOutput } | { kind: 'job'; job: Job }> {
  const req = parseTypologyRequest(body);
  await refreshValues(ctx.db); // values made by a direct SQL change reach the matrix too
  const loaded = await loadTypologyInput(ctx.db, req);
  if (loaded.input.codes.length <= syncLimit) return { kind: 'done', output: await runLoaded(ctx, req, loaded) };
  const job = startJob('typology', async (report) => {
    const out = await runLoaded(ctx, req, loaded, (f, stage) => report(f * 0.97, stage));
    return { runId: out.runId, chosenK: out.chosenK, n: out.n, url: `/api/typologies/${out.runId}` };
  });
  return { kind: 'job', job };
}
