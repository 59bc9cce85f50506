/**
 * The built client (client/dist) with compression and cache headers, without compressing on
 * every request: the Vite build writes a .br and a .gz next to every compressible file
 * (client/vite.config.ts), and this handler sends the smallest variant the browser accepts
 * (brotli, then gzip, else the plain file) with Vary: Accept-Encoding.
 *
 * - Hashed assets (/assets/name-HASH.ext) never change under their name:
 *   Cache-Control: public, max-age=31536000, immutable.
 * - index.html and everything else: no-cache (revalidated by ETag/Last-Modified), so a new build
 *   is seen at the next load.
 * - Any other GET outside /api, /tiles and /profile is a deep link into the app: index.html.
 * The file list is read once at start-up; a rebuild of the client needs a restart.
 */
import { Router, type Request, type Response } from 'express';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

interface Entry {
  file: string;
  /** ETag per variant sent ('' = the plain file): size and mtime, so the encodings never share one. */
  etags: Map<string, string>;
  hashed: boolean;
}

const etagOf = (file: string) => {
  const st = statSync(file);
  return `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
};

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const rel = `${prefix}/${d.name}`;
    if (d.isDirectory()) out.push(...listFiles(path.join(dir, d.name), rel));
    else if (d.isFile()) out.push(rel);
  }
  return out;
}

/** Encodings the client accepts (q=0 excluded), e.g. "gzip, deflate, br". */
function accepts(req: Request, coding: string): boolean {
  const header = req.get('accept-encoding');
  if (!header) return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    if (name.trim().toLowerCase() !== coding) return false;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    return !q || Number(q[1]) > 0;
  });
}

/** Router serving `dist` at '/' with precompressed variants and deep links to index.html. */
export function clientStatic(dist: string): Router {
  const r = Router();
  if (!existsSync(path.join(dist, 'index.html'))) return r;
  const files = new Map<string, Entry>();
  const all = new Set(listFiles(dist));
  for (const rel of all) {
    if (rel.endsWith('.br') || rel.endsWith('.gz')) continue;
    const file = path.join(dist, rel);
    const etags = new Map([['', etagOf(file)]]);
    for (const ext of ['br', 'gz']) if (all.has(`${rel}.${ext}`)) etags.set(ext, etagOf(`${file}.${ext}`));
    files.set(rel, {
      file,
      etags,
      hashed: rel.startsWith('/assets/') && /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(rel),
    });
  }
  const index = files.get('/index.html')!;

  function send(req: Request, res: Response, e: Entry): void {
    const variant =
      e.etags.has('br') && accepts(req, 'br') ? 'br' : e.etags.has('gz') && accepts(req, 'gzip') ? 'gz' : '';
    res.type(path.extname(e.file));
    res.set('Cache-Control', e.hashed ? IMMUTABLE : REVALIDATE);
    if (e.etags.size > 1) res.vary('Accept-Encoding');
    if (variant) res.set('Content-Encoding', variant === 'br' ? 'br' : 'gzip');
    res.set('ETag', e.etags.get(variant)!);
    res.sendFile(variant ? `${e.file}.${variant}` : e.file, {
      cacheControl: false,
      etag: false,
      acceptRanges: false,
      lastModified: false,
    });
  }

  r.get(/^\/(?!api\/|api$|tiles\/|profile\/).*/, (req, res, next) => {
    const rel = req.path === '/' ? '/index.html' : req.path;
    const e = files.get(rel);
    if (e) send(req, res, e);
    else if (rel.startsWith('/assets/'))
      next(); // a missing asset is a 404, not the app
    else send(req, res, index);
  });
  return r;
}
