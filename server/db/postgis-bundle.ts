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
 * tar entries are copied, not rebuilt), and cached uncompressed under node_modules/.cache/sozialatlas,
 * keyed by the installed bundle's size and mtime. At each start its files are written straight
 * into PGlite's file system (no gunzip, no Blob, which Node 20 reads slowly in 16 KB parts), and
 * postgis-3.so is compiled when PostgreSQL first loads it rather than at every start. When the
 * cache cannot be written, PGlite loads the original bundle its own way (slower, same result).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

/** Bump when the selection below changes, so old caches are not used. */
const TRIM_VERSION = 2;

/** The tar entries PostGIS needs at run time and for `CREATE EXTENSION postgis`. */
export function keepEntry(name: string): boolean {
  if (name === 'lib/postgresql/postgis-3.so') return true;
  if (name.startsWith('share/proj/')) return true;
  // postgis.control and postgis--<version>.sql, not the upgrade paths postgis--<from>--<to>.sql
  const ext = /^share\/postgresql\/extension\/postgis(?:\.control|--(.+)\.sql)$/.exec(name);
  return ext !== null && !(ext[1] ?? '').includes('--');
}

const BLOCK = 512;

/** Where PGlite's installation lives in its file system (its own bundles are written there). */
const WASM_PREFIX = '/pglite';

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/** One member of an uncompressed tar: its full name, type flag, data and its blocks as stored. */
interface TarEntry {
  name: string;
  type: string;
  data: Buffer;
  /** Header and data blocks verbatim, preceded by its long-name or pax header if it had one. */
  blocks: Buffer[];
}

/** The members of an uncompressed tar (ustar, with GNU long names and pax paths); global pax headers as type 'g'. */
function* tarEntries(tar: Buffer): Generator<TarEntry> {
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
    const data = tar.subarray(at + BLOCK, at + BLOCK + size);
    at += length;
    if (type === 'L' || type === 'x') {
      if (type === 'L') longName = field(data, 0, size);
      else {
        const m = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
        if (m) longName = m[1]!;
      }
      pending.push(entry);
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    yield { name, type, data, blocks: [...pending, entry] };
    pending = [];
    longName = null;
  }
}

/**
 * Copies the entries of an uncompressed tar for which keep(name) holds (header and data blocks
 * verbatim, with a preceding long-name or pax header), then the two closing zero blocks.
 */
export function filterTar(tar: Buffer, keep: (name: string) => boolean): Buffer {
  const out: Buffer[] = [];
  for (const e of tarEntries(tar)) if (e.type === 'g' || keep(e.name)) out.push(...e.blocks);
  out.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(out);
}

/** The part of Emscripten's file system API the bundle is written with. */
interface EmscriptenFs {
  analyzePath(p: string): { exists: boolean };
  mkdirTree(p: string): void;
  writeFile(p: string, data: Uint8Array): void;
}

/**
 * Writes the files of an uncompressed tar into PGlite's in-memory file system under `prefix`, as
 * PGlite's own bundle loader does, except that a WebAssembly library (.so) is written as a plain
 * file instead of being compiled at once: PostgreSQL compiles and links it when a PostGIS
 * function is first called (PGlite's loader falls back to the same when preloading fails), so a
 * command that never touches geometry does not pay for it.
 */
export function writeTarToFs(fs: EmscriptenFs, tar: Buffer, prefix: string): void {
  for (const e of tarEntries(tar)) {
    if (e.type === 'g' || e.name.startsWith('.')) continue;
    const target = `${prefix}/${e.name.replace(/\/$/, '')}`;
    if (e.type === '5') {
      if (!fs.analyzePath(target).exists) fs.mkdirTree(target);
      continue;
    }
    const dir = target.slice(0, target.lastIndexOf('/'));
    if (!fs.analyzePath(dir).exists) fs.mkdirTree(dir);
    fs.writeFile(target, e.data);
  }
}

/** The node_modules/.cache directory next to the installed package, else the system temp dir. */
function cacheDir(original: string): string {
  const parts = original.split(path.sep);
  const nm = parts.lastIndexOf('node_modules');
  return nm > 0
    ? path.join(parts.slice(0, nm + 1).join(path.sep) || path.sep, '.cache', 'sozialatlas')
    : path.join(tmpdir(), 'sozialatlas-cache');
}

let trimmedPath: Promise<string | null> | undefined;

/** The trimmed bundle, an uncompressed tar (made once and cached), or null when it cannot be made here. */
function trimmedBundle(original: URL): Promise<string | null> {
  trimmedPath ??= (async () => {
    try {
      const file = fileURLToPath(original);
      const st = statSync(file);
      const dir = cacheDir(file);
      const target = path.join(dir, `postgis-core-v${TRIM_VERSION}-${st.size}-${Math.round(st.mtimeMs)}.tar`);
      if (!existsSync(target)) {
        const tar = filterTar(gunzipSync(readFileSync(file)), keepEntry);
        mkdirSync(dir, { recursive: true });
        // another process may write the same file at the same time: each writes its own, the rename is atomic
        const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
        try {
          writeFileSync(tmp, tar);
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
      return target;
    } catch {
      return null; // read-only installation or the like: PGlite gets the full bundle
    }
  })();
  return trimmedPath;
}

/**
 * The PostGIS extension for PGlite.create: the package's own setup (PROJ and GDAL environment),
 * with the trimmed bundle written into the file system by the extension's init — after PostgreSQL
 * has started and before the first statement, which is the first moment a PostGIS file is read.
 * Without a cache the package's bundle is loaded the usual way.
 */
export const postgisCore: Extension = {
  name: postgis.name,
  setup: async (pg, emscriptenOpts) => {
    const full = await postgis.setup(pg, emscriptenOpts);
    const trimmed = await trimmedBundle(full.bundlePath);
    if (!trimmed) return full;
    return {
      emscriptenOpts: full.emscriptenOpts,
      init: async () => {
        // PGlite exposes its Emscripten module as `Module` (not part of the interface setup gets)
        const fs = (pg as unknown as { Module: { FS: EmscriptenFs } }).Module.FS;
        writeTarToFs(fs, readFileSync(trimmed), WASM_PREFIX);
      },
    };
  },
};
