/**
 * Cache of data-addressed read responses (issue 13): a GET on the read API whose answer depends
 * only on the URL and the data is built once per data version and then served from memory, with an
 * ETag (If-None-Match → 304) like the tiles (geodata/tiles/data-version.ts).
 *
 * - The version: services/version-memo.ts ReadVersion (data_version with the read model's
 *   source and computed versions, so also a direct SQL change counts). Any write gives new keys;
 *   the old entries age out of the LRU. It is read once per request (coalesced: at most one
 *   read runs and one waits), never reused across a write, so no answer is older than its request.
 * - What is cached: 200 answers sent with res.send/res.json (JSON, HTML, CSV) of the routes in
 *   CACHED_PATHS. Errors, streams (ZIP) and exports are not. Routes that read typology or hotspot
 *   runs or the warning rules are not cached (their data is not covered by the version).
 * - Identical misses wait for the first one (single flight), so a burst on a cold URL costs one build.
 * - Bounded by bytes (LRU); entries of older versions go first.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Queryable } from '../../geodata/db.js';
import { versionReader } from '../services/version-memo.js';

/** Read routes whose 200 answer is a function of the URL and the data version alone. */
export const CACHED_PATHS: readonly RegExp[] = [
  /^\/api\/levels$/,
  /^\/api\/indicators$/,
  /^\/api\/areas$/,
  /^\/api\/areas\/[^/]+$/,
  /^\/api\/values$/,
  /^\/api\/search$/,
  /^\/api\/coverage(\/gaps)?$/,
  /^\/api\/change$/,
  /^\/api\/index$/,
  /^\/api\/compare$/,
  /^\/profile\/[^/]+\/[^/]+$/,
];

interface Entry {
  version: string;
  body: Buffer;
  type: string | undefined;
  disposition: string | undefined;
  etag: string;
}

export interface ResponseCacheOptions {
  /** Upper bound of the cached bodies in bytes (default 64 MiB; env SOZIALATLAS_RESPONSE_CACHE_MB). */
  maxBytes?: number;
  /** Which paths are cached (default CACHED_PATHS). */
  paths?: readonly RegExp[];
}

/** 32-bit FNV-1a of a string, hex: short ETag part for the URL. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry | null>>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  get(key: string, version: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.version !== version) {
      this.delete(key);
      return undefined;
    }
    // LRU: move to the end.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  set(key: string, e: Entry): void {
    if (e.body.byteLength > this.maxBytes / 4) return; // one answer may not take over the cache
    this.delete(key);
    this.entries.set(key, e);
    this.bytes += e.body.byteLength;
    // Evict from the least recently used end (entries of older versions are never used again, so they go first).
    for (const k of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      if (k !== key) this.delete(k);
    }
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.bytes -= e.body.byteLength;
    this.entries.delete(key);
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  waitFor(key: string): Promise<Entry | null> | undefined {
    return this.inflight.get(key);
  }

  /** Registers a build in flight; the returned function ends it with the entry (or null: not cacheable). */
  begin(key: string): (e: Entry | null) => void {
    let done!: (e: Entry | null) => void;
    this.inflight.set(
      key,
      new Promise<Entry | null>((resolve) => {
        done = resolve;
      }),
    );
    return (e) => {
      this.inflight.delete(key);
      done(e);
    };
  }
}

function send(req: Request, res: Response, e: Entry): void {
  res.setHeader('ETag', e.etag);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('X-Cache', 'hit');
  if (req.headers['if-none-match'] === e.etag) {
    res.status(304).end();
    return;
  }
  if (e.type) res.setHeader('Content-Type', e.type);
  if (e.disposition) res.setHeader('Content-Disposition', e.disposition);
  res.status(200).end(e.body);
}

/**
 * The middleware: answers cached GETs of CACHED_PATHS from memory (or 304), else lets the route
 * build the answer and keeps it. Mount it before the read routers.
 */
export function responseCache(
  db: Queryable,
  opts: ResponseCacheOptions = {},
): RequestHandler & { cache: ResponseCache } {
  const maxBytes = opts.maxBytes ?? Number(process.env.SOZIALATLAS_RESPONSE_CACHE_MB ?? 64) * 2 ** 20;
  const paths = opts.paths ?? CACHED_PATHS;
  const cache = new ResponseCache(maxBytes);
  const versions = versionReader(db);

  const handler: RequestHandler = (req, res, next) => {
    const path = req.baseUrl + req.path; // full path also when mounted under /api
    if (req.method !== 'GET' || !paths.some((p) => p.test(path))) {
      next();
      return;
    }
    const key = req.originalUrl;
    void (async () => {
      // Without a readable data version the request is answered uncached: the route still validates
      // its input (400 before any query) and reports a database failure in its own words.
      let version: string;
      try {
        version = await versions.read();
      } catch {
        next();
        return;
      }
      const etag = `"r${version}-${fnv1a(key)}"`;
      const hit = cache.get(key, version);
      if (hit) {
        cache.hits++;
        send(req, res, hit);
        return;
      }
      const pending = cache.waitFor(key);
      if (pending) {
        const shared = await pending;
        if (shared && shared.version === version) {
          cache.hits++;
          send(req, res, shared);
          return;
        }
      }
      cache.misses++;
      const finish = cache.begin(key);
      let stored = false;
      res.on('close', () => {
        if (!stored) finish(null);
      });
      const original = res.send.bind(res);
      res.send = (body?: unknown) => {
        if (res.statusCode === 200 && !stored && (typeof body === 'string' || Buffer.isBuffer(body))) {
          res.setHeader('ETag', etag);
          res.setHeader('Cache-Control', 'no-cache');
          res.setHeader('X-Cache', 'miss');
          const out = original(body);
          const type = res.getHeader('Content-Type');
          const disposition = res.getHeader('Content-Disposition');
          const entry: Entry = {
            version,
            body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
            type: type === undefined ? undefined : String(type),
            disposition: disposition === undefined ? undefined : String(disposition),
            etag,
          };
          cache.set(key, entry);
          stored = true;
          finish(entry);
          return out;
        }
        return original(body);
      };
      next();
    })().catch(next);
  };
  return Object.assign(handler, { cache });
}
