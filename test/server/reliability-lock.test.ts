/**
 * One owner per embedded database (issue 13): a second process on a PGlite data directory in use
 * stops with a message naming the holder and what to do, instead of corrupting the directory; a
 * lock left by a dead process is taken over; SIGTERM releases it. The lock exists only for
 * PGlite: on the server backend these tests are skipped (PostgreSQL itself serves many processes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { backend } from '../helpers/test-db.js';
import { acquireDirLock, DirLockedError, LOCK_FILE, type LockHolder } from '../../server/db/dir-lock.js';
import { ROOT, runCliProcess, spawnCli, type CliProcess } from '../helpers/cli-process.js';

/** The PID of a process that has certainly ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

const lockOf = async (dir: string) => JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')) as LockHolder;

describe.skipIf(backend === 'pg')(
  'PGlite data directory lock (skipped on the server backend: no data directory)',
  () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-lock-'));
    });
    afterAll(async () => rm(dir, { recursive: true, force: true }));

    it('a second lock on a held directory is refused, naming the holder; after release it is free', async () => {
      const first = await acquireDirLock(dir, 'serve');
      expect(first.tookOver).toBeNull();
      expect(await lockOf(dir)).toMatchObject({
        pid: process.pid,
        host: hostname(),
        command: expect.stringMatching(/serve$/),
      });
      await expect(acquireDirLock(dir)).rejects.toThrow(DirLockedError);
      await expect(acquireDirLock(dir)).rejects.toThrow(/in diesem Prozess bereits geöffnet/);
      first.release();
      expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
      const again = await acquireDirLock(dir);
      again.release();
      again.release(); // idempotent
    });

    it('takes over the lock of a dead process and says whose it was', async () => {
      const dead = await deadPid();
      const stale: LockHolder = {
        pid: dead,
        host: hostname(),
        startedAt: '2026-01-01T00:00:00.000Z',
        command: 'import',
      };
      await writeFile(path.join(dir, LOCK_FILE), JSON.stringify(stale));
      const lock = await acquireDirLock(dir);
      expect(lock.tookOver).toEqual(stale);
      expect((await lockOf(dir)).pid).toBe(process.pid);
      lock.release();
    });

    it.skipIf(!existsSync('/proc/self/stat'))(
      'a living PID whose process started at another time (a reused PID) is a stale lock',
      async () => {
        const mine = await acquireDirLock(dir);
        const real = (await lockOf(dir)).procStart!;
        mine.release();
        // the parent of this worker lives, but did not start at this tick count
        const reused: LockHolder = {
          pid: process.ppid,
          host: hostname(),
          startedAt: '2026-01-01T00:00:00.000Z',
          command: 'serve',
          procStart: real + 12345,
        };
        await writeFile(path.join(dir, LOCK_FILE), JSON.stringify(reused));
        const lock = await acquireDirLock(dir);
        expect(lock.tookOver?.pid).toBe(process.ppid);
        lock.release();
      },
    );

    it('a lock held on another host is never taken over; the message says which file to delete', async () => {
      const remote: LockHolder = {
        pid: 4242,
        host: 'anderer-rechner',
        startedAt: '2026-01-01T00:00:00.000Z',
        command: 'serve',
      };
      await writeFile(path.join(dir, LOCK_FILE), JSON.stringify(remote));
      const err = await acquireDirLock(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DirLockedError);
      expect((err as Error).message).toContain('von Prozess 4242 auf Rechner anderer-rechner benutzt');
      expect((err as Error).message).toContain(`die Datei ${path.join(dir, LOCK_FILE)} löschen`);
      await rm(path.join(dir, LOCK_FILE));
    });

    it('ten concurrent takeovers of one stale lock: exactly one wins', async () => {
      const dead = await deadPid();
      await writeFile(
        path.join(dir, LOCK_FILE),
        JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'x' }),
      );
      // each contender in its own process (a lock is per process); a winner holds it until its stdin ends
      const script = `import { acquireDirLock } from ${JSON.stringify(path.join(ROOT, 'server/db/dir-lock.ts'))};
      try { const l = await acquireDirLock(process.argv[1]); console.log('won'); process.stdin.resume(); process.stdin.on('end', () => l.release()); }
      catch (e) { console.log(e.name); }`;
      const contenders = Array.from({ length: 10 }, () => {
        const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { cwd: ROOT });
        const exited = new Promise((r) => c.once('exit', r));
        const line = new Promise<string>((resolve) => {
          let o = '';
          c.stdout.on('data', (d) => {
            o += d;
            if (o.includes('\n')) resolve(o.trim());
          });
          c.stderr.on('data', (d) => (o += d));
          c.once('exit', () => resolve(o.trim()));
        });
        return { c, exited, line };
      });
      const outs = await Promise.all(contenders.map((x) => x.line));
      for (const x of contenders) x.c.stdin.end();
      await Promise.all(contenders.map((x) => x.exited));
      expect(outs.filter((o) => o === 'won')).toHaveLength(1);
      expect(outs.filter((o) => o === 'DirLockedError')).toHaveLength(9);
      expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    });

    describe('the real command', () => {
      let serveDir: string;
      let server: CliProcess;
      const port = 19000 + (process.pid % 500);
      beforeAll(async () => {
        serveDir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-lock-serve-'));
        server = spawnCli(['serve', '--port', String(port)], {
          SOZIALATLAS_DATA_DIR: serveDir,
          SOZIALATLAS_NO_SAMPLE: '1',
          SOZIALATLAS_TOKEN: 'x',
        });
        await server.waitFor(/Sozialatlas läuft auf/, 240_000);
      });
      afterAll(async () => {
        server?.kill9();
        await rm(serveDir, { recursive: true, force: true });
      });

      it('a CLI command on the directory of a running server exits 1 and names the server process', async () => {
        const holder = await lockOf(serveDir);
        expect(holder.pid).toBe(server.child.pid);
        const r = await runCliProcess(['--data-dir', serveDir, 'migrate'], {});
        expect(r.code).toBe(1);
        expect(r.output).toContain(`Das Datenverzeichnis ${serveDir} wird bereits von Prozess ${holder.pid} benutzt`);
        expect(r.output).toContain(`kill ${holder.pid}`);
        expect(r.output).toContain('PostgreSQL-Server verwenden (DATABASE_URL bzw. --database-url)');
        expect(r.output).not.toContain('Datenbank ist auf dem neuesten Stand');
      });

      it('a second serve on the directory exits 1 before opening it, the first keeps serving', async () => {
        const r = await runCliProcess(['serve', '--port', String(port + 1)], {
          SOZIALATLAS_DATA_DIR: serveDir,
          SOZIALATLAS_NO_SAMPLE: '1',
        });
        expect(r.code).toBe(1);
        expect(r.output).toContain(`wird bereits von Prozess ${server.child.pid} benutzt`);
        expect(r.output).not.toContain('läuft auf');
        const levels = await fetch(`http://127.0.0.1:${port}/api/levels`);
        expect(levels.status).toBe(200);
        expect(await levels.json()).toEqual([]);
      });

      it('SIGTERM closes the database, releases the lock and exits 0; then the directory opens again', async () => {
        server.child.kill('SIGTERM');
        expect(await server.exited).toEqual({ code: 0, signal: null });
        expect(server.output()).toContain('SIGTERM: Sozialatlas wird beendet');
        expect(existsSync(path.join(serveDir, LOCK_FILE))).toBe(false);
        const r = await runCliProcess(['--data-dir', serveDir, 'migrate'], {});
        expect(r.code).toBe(0);
        expect(r.output).toContain('Datenbank ist auf dem neuesten Stand');
        expect(r.output).not.toContain('Veraltete Sperre');
      });

      it('a lock left by a dead process is taken over by the next command, with a warning', async () => {
        const dead = await deadPid();
        await writeFile(
          path.join(serveDir, LOCK_FILE),
          JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'import' }),
        );
        const r = await runCliProcess(['--data-dir', serveDir, 'migrate'], {});
        expect(r.code).toBe(0);
        expect(r.output).toContain(
          `Veraltete Sperre von Prozess ${dead} (beendet, seit 2026-01-01T00:00:00.000Z) übernommen`,
        );
        expect(existsSync(path.join(serveDir, LOCK_FILE))).toBe(false);
      });
    });
  },
);
