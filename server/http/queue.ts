/**
 * A bounded queue in front of the database-bound read routes (issue 13): at most `maxActive`
 * requests work at once, at most `maxQueued` wait; when the queue is full the answer is 503 with
 * `Retry-After` instead of an ever longer wait for everybody. A waiting request whose client has
 * gone (connection closed) is dropped before its work starts, and one that waited longer than
 * `maxWaitMs` gets a 503 instead of starting work nobody may still want.
 *
 * Only GET and HEAD go through it: writes are rare, authenticated and bounded elsewhere (the run
 * pool, one import at a time). Mount it after the response cache, so cached answers never wait.
 */
import type { Request, RequestHandler, Response } from 'express';
import { HttpError } from './errors.js';

export interface QueueOptions {
  /** Requests working at once (PGlite default 4, server default 8: the pool size). */
  maxActive: number;
  /** Requests waiting at most (default 64 × maxActive / 4 …, see defaultQueueOptions). */
  maxQueued: number;
  /** A request that waited this long answers 503 instead of starting (ms; default 15 000). */
  maxWaitMs: number;
  /** Seconds in Retry-After (default 2). */
  retryAfterSeconds: number;
}

/** Limits per backend, overridable by env SOZIALATLAS_QUEUE_ACTIVE / _QUEUED / _WAIT_MS. */
export function defaultQueueOptions(kind: 'pglite' | 'pg', env = process.env): QueueOptions {
  const num = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);
  return {
    maxActive: num(env.SOZIALATLAS_QUEUE_ACTIVE, kind === 'pg' ? 8 : 4),
    maxQueued: num(env.SOZIALATLAS_QUEUE_QUEUED, kind === 'pg' ? 256 : 128),
    maxWaitMs: num(env.SOZIALATLAS_QUEUE_WAIT_MS, 15_000),
    retryAfterSeconds: 2,
  };
}

export const overloaded = (retryAfter: number) =>
  new HttpError(503, 'overloaded', `Der Server ist ausgelastet; bitte in ${retryAfter} s erneut versuchen`, {
    retryAfter,
  });

interface Waiter {
  req: Request;
  res: Response;
  start: () => void;
  since: number;
}

export class RequestQueue {
  active = 0;
  readonly waiting: Waiter[] = [];
  /** Counters for tests and logs. */
  readonly stats = { started: 0, rejected: 0, dropped: 0, expired: 0 };

  constructor(readonly opts: QueueOptions) {}

  private gone(w: Waiter): boolean {
    return w.res.writableEnded || w.res.destroyed || Boolean(w.req.socket?.destroyed);
  }

  /** Starts waiting requests while slots are free; drops those whose client left or whose wait ran out. */
  private pump(): void {
    while (this.active < this.opts.maxActive && this.waiting.length) {
      const w = this.waiting.shift()!;
      if (this.gone(w)) {
        this.stats.dropped++;
        continue;
      }
      if (performance.now() - w.since > this.opts.maxWaitMs) {
        this.stats.expired++;
        reject(w.res, this.opts.retryAfterSeconds);
        continue;
      }
      this.run(w);
    }
  }

  private run(w: Waiter): void {
    this.active++;
    this.stats.started++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.active--;
      this.pump();
    };
    w.res.once('finish', release);
    w.res.once('close', release);
    w.start();
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        next();
        return;
      }
      const w: Waiter = { req, res, start: () => next(), since: performance.now() };
      if (this.active < this.opts.maxActive && this.waiting.length === 0) {
        this.run(w);
        return;
      }
      if (this.waiting.length >= this.opts.maxQueued) {
        this.stats.rejected++;
        reject(res, this.opts.retryAfterSeconds);
        return;
      }
      this.waiting.push(w);
      // A client that leaves while waiting frees its place at once.
      res.once('close', () => {
        const i = this.waiting.indexOf(w);
        if (i >= 0) {
          this.waiting.splice(i, 1);
          this.stats.dropped++;
        }
      });
    };
  }
}

function reject(res: Response, retryAfter: number): void {
  if (res.headersSent) return;
  const e = overloaded(retryAfter);
  res
    .status(e.status)
    .setHeader('Retry-After', String(retryAfter))
    .json({ error: { code: e.code, message: e.message, details: e.details } });
}

/** The queue middleware for a backend (limits from defaultQueueOptions unless given). */
export function requestQueue(
  kind: 'pglite' | 'pg',
  opts: Partial<QueueOptions> = {},
): RequestHandler & { queue: RequestQueue } {
  const queue = new RequestQueue({ ...defaultQueueOptions(kind), ...opts });
  return Object.assign(queue.middleware(), { queue });
}
