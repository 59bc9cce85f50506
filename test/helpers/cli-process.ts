/**
 * The real `sozialatlas` command in a child process (bin/sozialatlas.js through tsx), for the
 * tests that need what an in-process run (run-cli.ts) cannot give: a second process, a kill -9,
 * an exit code, a signal. And fresh databases for such a process on the backend the suite runs
 * on: a PGlite data directory, or a database on the server, each blank or copied from the
 * templates that global-setup.ts built.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Db } from '../../geodata/db.js';
import { openPglite } from '../../server/db/pglite-db.js';
import { openPg } from '../../server/db/pg-db.js';
import { openDb } from '../../server/db/open.js';
import { TEMPLATE_DIR, adminUrl, templateNames } from './test-db-paths.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'bin/sozialatlas.js');

/** `script` (util-linux) runs a command on a pseudo-terminal, so the CLI shows its terminal progress. */
export const SCRIPT_BIN = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));

export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves with the output once it matches `re`; rejects when the process ends first or after `ms`. */
  waitFor(re: RegExp, ms: number): Promise<string>;
  /** The exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** kill -9 of the command (and of the terminal wrapper around it, if any). */
  kill9(): void;
}

/**
 * Starts `sozialatlas <args>` with the given extra environment. With `tty`, the command runs on a
 * pseudo-terminal (through `script`), in its own process group, so kill9 ends both.
 */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv, opts: { tty?: boolean } = {}): CliProcess {
  const fullEnv = { ...process.env, LOG_LEVEL: 'info', ...env };
  let child: ChildProcess;
  if (opts.tty) {
    if (!SCRIPT_BIN) throw new Error('script (util-linux) fehlt');
    const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    child = spawn(SCRIPT_BIN, ['-qefc', `exec ${quoted}`, '/dev/null'], {
      cwd: ROOT,
      env: fullEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
  } else {
    child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  }
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let ended = false;
  // `script` puts the command in a session of its own: kill9 has to find it among the descendants
  let killed: number[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      void (async () => {
        for (let i = 0; i < 200 && killed.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
        ended = true;
        for (const l of listeners) l();
        resolve({ code, signal });
      })();
    }),
  );
  return {
    child,
    output: () => out,
    exited,
    waitFor(re, ms) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (re.test(out)) {
            done();
            resolve(out);
          } else if (ended) {
            done();
            reject(new Error(`Prozess endete, ohne ${re} auszugeben:\n${out.slice(-3000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${re} nicht nach ${ms} ms ausgegeben:\n${out.slice(-3000)}`));
        }, ms);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    kill9() {
      if (ended) return;
      if (opts.tty) {
        killed = descendants(child.pid!);
        for (const pid of killed) process.kill(pid, 'SIGKILL');
      }
      child.kill('SIGKILL');
    },
  };
}

/** Linux: the descendants of a process, from the parent PIDs in /proc/<pid>/stat. */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended meanwhile
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [pid, pp] of parent) {
      if (pp !== p) continue;
      out.push(pid);
      queue.push(pid);
    }
  }
  return out;
}

/** A process that exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Runs `sozialatlas <args>` to its end; returns exit code and output. */
export async function runCliProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  ms = 900_000,
): Promise<{ code: number | null; output: string }> {
  const p = spawnCli(args, env);
  const timer = setTimeout(() => p.kill9(), ms);
  const { code } = await p.exited;
  clearTimeout(timer);
  return { code, output: p.output() };
}

/** A database for a spawned CLI on the suite's backend. */
export interface CliTarget {
  /** Environment that points the CLI at it (SOZIALATLAS_DATA_DIR or DATABASE_URL). */
  env: Record<string, string>;
  /** PGlite only: the data directory. */
  dataDir?: string;
  /** Server only: the database name. */
  dbName?: string;
  /** Opens it in this process (PGlite: takes the directory's lock, so no child may hold it). */
  open(): Promise<Db>;
  dispose(): Promise<void>;
}

/**
 * A fresh database for a spawned CLI: 'blank' (nothing, not even migrated: a first start), or a
 * copy of the 'empty' (migrated) or 'sample' (Berlin sample loaded) template.
 */
export async function cliTarget(from: 'blank' | 'empty' | 'sample'): Promise<CliTarget> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-cli-'));
    if (from !== 'blank') {
      // unpack the template into the directory
      const bytes = await readFile(`${TEMPLATE_DIR}/${from}.tgz`);
      const db = await openPglite({ dataDir, loadDataDir: new Blob([bytes]) });
      await db.close();
    }
    return {
      env: { SOZIALATLAS_DATA_DIR: dataDir },
      dataDir,
      open: () => openDb({ dataDir }),
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `${templateNames(url).base}_cli_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    await admin.query(
      from === 'blank'
        ? `CREATE DATABASE "${name}"`
        : `CREATE DATABASE "${name}" TEMPLATE "${templateNames(url)[from]}"`,
    );
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  const dbUrl = u.toString();
  return {
    env: { DATABASE_URL: dbUrl },
    dbName: name,
    open: async () => openPg(dbUrl),
    async dispose() {
      const a = new pg.Client({ connectionString: adminUrl(url) });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => a.end());
    },
  };
}

/** Row counts of the tables a kill could leave half-written. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = [
    'level',
    'area',
    'indicator',
    'observation',
    'typology_run',
    'typology_member',
    'hotspot_run',
    'hotspot_member',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) {
    // table names from the fixed list above
    out[t] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n;
  }
  return out;
}

/**
 * Server backend: resolves once a session on the database has an open transaction that has
 * written (it holds a transaction id) and runs or ran a statement matching `like`, i.e. the
 * spawned command is inside its writing transaction. Polls pg_stat_activity.
 */
export async function waitForWritingTransaction(dbName: string, like: string, ms: number): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl(process.env.DATABASE_URL!) });
  await admin.connect();
  try {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const r = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = $1 AND backend_xid IS NOT NULL AND xact_start IS NOT NULL AND query ILIKE $2`,
        [dbName, like],
      );
      if (r.rows[0].n > 0) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`keine schreibende Transaktion (${like}) auf ${dbName} nach ${ms} ms`);
  } finally {
    await admin.end();
  }
}
