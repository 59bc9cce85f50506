/**
 * One owner per embedded database: an exclusive lock on a PGlite data directory.
 *
 * PGlite is PostgreSQL compiled to WebAssembly with a single in-process connection and no
 * postmaster: two processes on one directory do not see each other's writes and corrupt the
 * files (issue 13: an import next to a running server left a directory that no longer opens).
 * So every process that opens a data directory first takes this lock, and a second `serve` or CLI
 * command stops with a German message naming the holder and what to do.
 *
 * The lock is a file `sozialatlas.lock` in the directory (PostgreSQL ignores foreign files there,
 * as it does its own postmaster.pid), created with the `wx` flag (O_CREAT|O_EXCL: exactly one
 * process can create it) and holding PID, host, start time and command. A lock whose process no
 * longer lives (kill -9, power loss) is stale and is taken over: under a second exclusive file
 * (`sozialatlas.lock.takeover`), so two processes that find the same stale lock cannot both take
 * it. On Linux the holder's process start time (from /proc) is recorded as well, so a PID reused
 * by an unrelated process after a reboot is not mistaken for the holder. The lock is released on
 * close and, as a safety net, when the process exits.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'sozialatlas.lock';

/** What the lock file says about its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** The command line of the holder, for the message. */
  command: string;
  /** Linux: start time of the process in clock ticks since boot (/proc/<pid>/stat field 22). */
  procStart?: number;
}

/** The directory is held by another living process (or by this process already). */
export class DirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    const sameProcess = holder.pid === process.pid && holder.host === hostname();
    super(
      sameProcess
        ? `Das Datenverzeichnis ${dir} ist in diesem Prozess bereits geöffnet; PGlite verträgt nur eine Verbindung je Verzeichnis.`
        : `Das Datenverzeichnis ${dir} wird bereits von Prozess ${holder.pid}` +
            `${holder.host !== hostname() ? ` auf Rechner ${holder.host}` : ''} benutzt ` +
            `(seit ${holder.startedAt}: ${holder.command}). ` +
            'Die eingebettete Datenbank (PGlite) verträgt nur einen Prozess je Verzeichnis. ' +
            `Bitte diesen Prozess beenden (z. B. kill ${holder.pid} oder Strg+C im Fenster des Servers) und den Befehl wiederholen, ` +
            'oder für mehrere Prozesse einen PostgreSQL-Server verwenden (DATABASE_URL bzw. --database-url).' +
            (holder.host !== hostname()
              ? ` Läuft auf ${holder.host} sicher kein Sozialatlas mehr, die Datei ${path.join(dir, LOCK_FILE)} löschen.`
              : ''),
    );
    this.name = 'DirLockedError';
  }
}

export interface DirLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** The stale lock this one replaced, if any (for a log line). */
  readonly tookOver: LockHolder | null;
  /** Removes the lock file if it is still ours. Idempotent, synchronous (also used on exit). */
  release(): void;
}

/** Locks held by this process, so a second open in the same process is refused too. */
const held = new Map<string, DirLock>();

/** Linux: the start time of a process in clock ticks since boot; undefined elsewhere or when unknown. */
function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may contain spaces: count fields after it
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(rest[19]); // field 22 overall = index 19 after pid and (comm)
    return Number.isFinite(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

/** Linux: true when the process has ended but is not yet reaped by its parent (a zombie). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** True when the holder's process still runs (on this host; another host cannot be checked). */
function holderLives(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to another user
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (isZombie(h.pid)) return false;
  if (h.procStart !== undefined) {
    const now = processStart(h.pid);
    if (now !== undefined && now !== h.procStart) return false; // the PID was reused
  }
  return true;
}

/** The holder in a lock file; null when it vanished; 'partial' when it is being written (or was left empty by a crash). */
function readHolder(file: string): LockHolder | null | 'partial' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (Number.isInteger(h.pid) && typeof h.host === 'string') return h;
  } catch {
    // fall through
  }
  return 'partial';
}

/** Creates `file` exclusively with `content`; false when it exists already. */
function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Milliseconds after which an unreadable lock file counts as left by a crash between create and write. */
const PARTIAL_STALE_MS = 10_000;

/**
 * Removes a stale lock under the takeover file, so that of two processes that both found it stale
 * only one removes it (the other then finds the winner's fresh lock). Returns true when removed
 * (or already gone).
 */
function removeStale(file: string, stale: LockHolder | 'partial'): boolean {
  const takeover = `${file}.takeover`;
  const me = JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() });
  if (!createExclusive(takeover, me)) {
    // someone else is taking over right now, or died doing so
    const other = readHolder(takeover);
    if (other && other !== 'partial' && !holderLives({ ...other, command: '' })) {
      try {
        unlinkSync(takeover);
      } catch {
        // another process removed it first
      }
    }
    return false;
  }
  try {
    const now = readHolder(file);
    if (now === null) return true;
    if (JSON.stringify(now) !== JSON.stringify(stale)) return false; // replaced meanwhile: look again
    unlinkSync(file);
    return true;
  } finally {
    unlinkSync(takeover);
  }
}

/**
 * Takes the lock on a data directory (which must exist). Throws DirLockedError naming the holder
 * when another living process has it. A stale lock (dead process) is taken over; `tookOver` then
 * names it.
 */
export async function acquireDirLock(dir: string, command = process.argv.slice(1).join(' ')): Promise<DirLock> {
  const abs = path.resolve(dir);
  const file = path.join(abs, LOCK_FILE);
  const own = held.get(file);
  if (own) throw new DirLockedError(abs, own.holder);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: path.basename(process.argv0) + (command ? ` ${command}` : ''),
    procStart: processStart(process.pid),
  };
  const content = JSON.stringify(holder, null, 2) + '\n';
  let tookOver: LockHolder | null = null;
  for (let attempt = 0; ; attempt++) {
    if (createExclusive(file, content)) break;
    const found = readHolder(file);
    if (found === null) continue; // released between our create and read: try again
    if (found === 'partial') {
      // being written this very moment, or left empty by a crash right after creation
      const age = Date.now() - statSafe(file);
      if (age < PARTIAL_STALE_MS) {
        await sleep(50);
        continue;
      }
      removeStale(file, 'partial');
      continue;
    }
    if (holderLives(found)) throw new DirLockedError(abs, found);
    if (removeStale(file, found)) tookOver = found;
    else await sleep(20 + Math.random() * 50);
    if (attempt > 200) throw new Error(`Sperre ${file} konnte nicht übernommen werden`);
  }
  let released = false;
  const lock: DirLock = {
    file,
    holder,
    tookOver,
    release() {
      if (released) return;
      released = true;
      held.delete(file);
      process.removeListener('exit', onExit);
      // only our own lock: never remove one a later owner took over after we lost it
      const now = readHolder(file);
      if (now && now !== 'partial' && now.pid === holder.pid && now.startedAt === holder.startedAt) {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      }
    },
  };
  const onExit = () => lock.release();
  process.on('exit', onExit);
  held.set(file, lock);
  return lock;
}

function statSafe(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}
