/**
 * The real `sozialatlas` command in a child process (bin/sozialatlas.js through tsx), for the
 * tests that need what an in-process run (run-cli.ts) cannot give: a second process, a kill -9,
 * an exit code, a signal. And fresh databases for such a process on the backend the suite runs
 * on: a PGlite data directory, or a database on the server, each blank or copied from the
 * templates that global-setup.ts built.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = true;
      for (const l of listeners) l();
      resolve({ code, signal });
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
      if (opts.tty) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    },
  };
}

/** Runs `sozialatlas <args>` to its end; returns exit code and output. */
export async function runCliProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  ms = 300_000,
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
