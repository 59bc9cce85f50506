/**
 * PostGIS for PGlite without the parts Sozialatlas never loads, so that opening a database is quick.
 *
 * @electric-sql/pglite-postgis ships one 20 MB gzip bundle (95 MB unpacked) that PGlite gunzips,
 * collects in a Blob, untars and writes into its in-memory file system on every start, and whose
 * three WebAssembly libraries (postgis, postgis_raster, postgis_topology, 16 MB each) it compiles
 * at once. The schema only ever runs `CREATE EXTENSION postgis` (sql/001), so everything else —
 * raster, topology, tiger geocoder, the contrib scripts and the upgrade paths (symlinks, which
 * PGlite's untar writes as empty files anyway) — is dead weight at each start: most of the
 * seconds a cold CLI command spent opening the data directory (issue 13).
 *
 * The trimmed bundle keeps exactly what `CREATE EXTENSION postgis` and the PostGIS functions need:
 * lib/postgresql/postgis-3.so, the postgis control file and install script, and share/proj (the
 * PROJ database for ST_Transform). It is cut from the installed bundle once, byte for byte (the
 * tar entries are copied, not rebuilt), and cached under node_modules/.cache/sozialatlas, keyed by
 * the installed bundle's size and mtime; stored uncompressed inside the gzip (level 0), because
 * PGlite gunzips whatever it gets and inflating stored blocks is nearly free. When the cache
 * cannot be written, PGlite gets the original bundle (slower, same result).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

/** Bump when the selection below changes, so old caches are not used. */
const TRIM_VERSION = 1;

/** The tar entries PostGIS needs at run time and for `CREATE EXTENSION postgis`. */
export function keepEntry(name: string): boolean {
  if (name === 'lib/postgresql/postgis-3.so') return true;
  if (name.startsWith('share/proj/')) return true;
  // postgis.control and postgis--<version>.sql, not the upgrade paths postgis--<from>--<to>.sql
  const ext = /^share\/postgresql\/extension\/postgis(?:\.control|--(.+)\.sql)$/.exec(name);
  return ext !== null && !(ext[1] ?? '').includes('--');
}

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/**
 * Copies the entries of an uncompressed tar for which keep(name) holds (header and data blocks
 * verbatim, with a preceding long-name or pax header), then the two closing zero blocks.
 */
export function filterTar(tar: Buffer, keep: (name: string) => boolean): Buffer {
  const out: Buffer[] = [];
  let pending: Buffer[] = []; // extended headers that belong to the next entry
  let longName: string | null = null;
  let at = 0;
  while (at + BLOCK <= tar.length) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156]!);
    const length = BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    const entry = tar.subarray(at, at + length);
    at += length;
    if (type === 'g') {
      out.push(entry); // global pax header: applies to all entries
      continue;
    }
    if (type === 'L' || type === 'x') {
      if (type === 'L') longName = field(tar, at - length + BLOCK, size);
      else {
        const m = /\d+ path=([^\n]*)\n/.exec(entry.subarray(BLOCK, BLOCK + size).toString('utf8'));
        if (m) longName = m[1]!;
      }
      pending.push(entry);
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    if (keep(name)) out.push(...pending, entry);
    pending = [];
    longName = null;
  }
  out.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(out);
}

/** The node_modules/.cache directory next to the installed package, else the system temp dir. */
function cacheDir(original: string): string {
  const parts = original.split(path.sep);
  const nm = parts.lastIndexOf('node_modules');
  return nm > 0
    ? path.join(parts.slice(0, nm + 1).join(path.sep) || path.sep, '.cache', 'sozialatlas')
    : path.join(tmpdir(), 'sozialatlas-cache');
}

let trimmedPath: Promise<URL | null> | undefined;

/** The trimmed bundle (made once and cached), or null when it cannot be made here. */
function trimmedBundle(original: URL): Promise<URL | null> {
  trimmedPath ??= (async () => {
    try {
      const file = fileURLToPath(original);
      const st = statSync(file);
      const dir = cacheDir(file);
      const target = path.join(dir, `postgis-core-v${TRIM_VERSION}-${st.size}-${Math.round(st.mtimeMs)}.tar.gz`);
      if (!existsSync(target)) {
        const tar = filterTar(gunzipSync(readFileSync(file)), keepEntry);
        mkdirSync(dir, { recursive: true });
        // another process may write the same file at the same time: each writes its own, the rename is atomic
        const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
        try {
          writeFileSync(tmp, gzipSync(tar, { level: 0 }));
          renameSync(tmp, target);
        } catch (e) {
          try {
            unlinkSync(tmp);
          } catch {
            // not written
          }
          throw e;
        }
      }
      return pathToFileURL(target);
    } catch {
      return null; // read-only installation or the like: PGlite gets the full bundle
    }
  })();
  return trimmedPath;
}

/** The PostGIS extension for PGlite.create, loading the trimmed bundle. */
export const postgisCore: Extension = {
  name: postgis.name,
  setup: async (pg, emscriptenOpts) => {
    const full = await postgis.setup(pg, emscriptenOpts);
    const trimmed = await trimmedBundle(full.bundlePath);
    return { ...full, bundlePath: trimmed ?? full.bundlePath };
  },
};
