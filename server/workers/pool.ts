/**
 * The worker pool for expensive analyses (typology and hotspot runs): at most `size` runs work
 * at once, each in its own worker thread, and the rest wait in a first-come queue. Without it
 * every request started its own thread, so a handful of large requests could occupy every core
 * for as long as they liked.
 *
 * - Size: config.workers: os.availableParallelism() (at least 1), or SOZIALATLAS_WORKERS.
 * - Cancelling: every run takes an AbortSignal (the request's, dropped when its client goes, or
 *   a job's, aborted by DELETE /api/jobs/{id}). A queued run is dropped before it starts; a
 *   running one is stopped by terminating its worker (the pure pipelines cannot be interrupted
 *   otherwise), and a fresh worker takes the next run.
 * - Workers stay alive between runs (start-up costs a few hundred ms for the TypeScript loader)
 *   and do not keep the process alive (unref).
 *
 * The worker side is pool-worker.ts; the task kinds and their payloads are listed there.
 */
import { Worker } from 'node:worker_threads';
import { configFromEnv } from '../config.js';
import { HttpError } from '../http/errors.js';

/**
 * Why a run ended without a result: its client went away or its job was cancelled. An HttpError,
 * so a route that still answers says 409 instead of logging a 500.
 */
export class TaskCancelledError extends HttpError {
  constructor(message = 'Lauf abgebrochen') {
    super(409, 'cancelled', message);
    this.name = 'TaskCancelledError';
  }
}

/** An error thrown in the worker, with what the call site needs to map it (e.g. to a 400). */
export class TaskFailedError extends Error {
  constructor(
    message: string,
    /** 'typology-input' | 'hotspot-input' | 'error' */
    readonly type: string,
    readonly data: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'TaskFailedError';
  }
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

/** What the pool is doing (tests and the health of a server under load). */
export interface PoolStats {
  size: number;
  running: number;
  queued: number;
  /** Most runs ever working at the same time: never above size. */
  peakRunning: number;
  /** Runs finished with a result or an error. */
  completed: number;
  /** Runs dropped from the queue or stopped while running. */
  cancelled: number;
}

interface Task {
  id: number;
  kind: string;
  payload: unknown;
  options: RunOptions;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  detach: () => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

type WorkerMessage =
  | { id: number; kind: 'progress'; fraction: number; stage: string }
  | { id: number; kind: 'result'; result: unknown }
  | { id: number; kind: 'error'; type: string; message: string; data: Record<string, unknown> };

const ENTRY = new URL('./pool-worker.ts', import.meta.url).href;
const LOADER = new URL('./ts-worker.mjs', import.meta.url);

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private peak = 0;
  private completed = 0;
  private cancelled = 0;

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1))
      throw new Error(`Poolgröße muss eine ganze Zahl ≥ 1 sein, nicht ${size}`);
  }

  /** Queues a run of `kind` (see pool-worker.ts) and resolves with its result. */
  run<T>(kind: string, payload: unknown, options: RunOptions = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) {
      this.cancelled++;
      return Promise.reject(new TaskCancelledError());
    }
    return new Promise<T>((resolve, reject) => {
      const task: Task = {
        id: this.nextId++,
        kind,
        payload,
        options,
        resolve: resolve as (v: unknown) => void,
        reject,
        detach: () => undefined,
      };
      if (signal) {
        const onAbort = () => this.cancel(task);
        signal.addEventListener('abort', onAbort, { once: true });
        task.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(task);
      this.pump();
    });
  }

  stats(): PoolStats {
    return {
      size: this.size,
      running: this.slots.filter((s) => s.task).length,
      queued: this.queue.length,
      peakRunning: this.peak,
      completed: this.completed,
      cancelled: this.cancelled,
    };
  }

  /** Stops every worker and rejects what is queued or running (tests, shutdown). */
  async close(): Promise<void> {
    for (const t of this.queue.splice(0)) this.settle(t, new TaskCancelledError('Pool geschlossen'));
    const slots = this.slots.splice(0);
    for (const s of slots) if (s.task) this.settle(s.task, new TaskCancelledError('Pool geschlossen'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private cancel(task: Task): void {
    const q = this.queue.indexOf(task);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.cancelled++;
      this.settle(task, new TaskCancelledError());
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    if (!slot) return; // already settled
    this.cancelled++;
    this.drop(slot);
    this.settle(task, new TaskCancelledError());
    this.pump();
  }

  private settle(task: Task, err: unknown, result?: unknown): void {
    task.detach();
    if (err) task.reject(err);
    else task.resolve(result);
  }

  /** Removes a slot and stops its worker (cancelled run, crashed worker). */
  private drop(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.task = null;
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined); // a terminating worker may still report
    void slot.worker.terminate();
  }

  /** Hands queued runs to idle workers, starting workers up to size. */
  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.task);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      this.peak = Math.max(this.peak, this.slots.filter((s) => s.task).length);
      slot.worker.postMessage({ id: task.id, kind: task.kind, payload: task.payload });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(LOADER, { workerData: { entry: ENTRY } });
    const slot: Slot = { worker, task: null };
    worker.unref();
    worker.on('message', (m: WorkerMessage) => {
      const task = slot.task;
      if (!task || task.id !== m.id) return;
      if (m.kind === 'progress') {
        task.options.onProgress?.(m.fraction, m.stage);
        return;
      }
      slot.task = null;
      worker.unref();
      this.completed++;
      if (m.kind === 'result') this.settle(task, null, m.result);
      else this.settle(task, new TaskFailedError(m.message, m.type, m.data));
      this.pump();
    });
    const fail = (err: Error) => {
      const task = slot.task;
      this.drop(slot);
      if (task) {
        this.completed++;
        this.settle(task, err);
      }
      this.pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`Analyse-Worker beendet mit Code ${code}`)));
    this.slots.push(slot);
    return slot;
  }
}

let shared: WorkerPool | null = null;

/** The process's pool, shared by the API, the jobs and the CLI; its size is config.workers. */
export function analysisPool(): WorkerPool {
  shared ??= new WorkerPool(configFromEnv().workers);
  return shared;
}
