/**
 * Honest start and stop of `sozialatlas serve` (issue 13): a port it cannot open is logged in
 * German and exits non-zero, without "läuft auf" and without a token (it used to log "Sozialatlas
 * läuft" and exit 0); SIGTERM and SIGINT close the database and exit 0. The real command in a
 * child process, on both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { backend } from '../helpers/test-db.js';
import { cliTarget, runCliProcess, spawnCli, type CliTarget } from '../helpers/cli-process.js';
import { LOCK_FILE } from '../../server/db/dir-lock.js';
import { readSettings } from '../../server/services/settings.js';

const PORT = 19500 + (process.pid % 400);

describe(`serve: listen errors and signals (${backend})`, () => {
  let target: CliTarget;
  let blocker: Server;
  beforeAll(async () => {
    target = await cliTarget('empty');
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(PORT, resolve));
  }, 900_000);
  afterAll(async () => {
    await new Promise((r) => blocker?.close(r));
    await target?.dispose();
  });

  it('a port in use: German message naming the port, exit code 1, no "läuft", no token, lock released', async () => {
    const r = await runCliProcess(['serve', '--port', String(PORT)], {
      ...target.env,
      SOZIALATLAS_NO_SAMPLE: '1',
      SOZIALATLAS_TOKEN: '',
    });
    expect(r.code).toBe(1);
    expect(r.output).toContain(`Port ${PORT} ist bereits belegt (EADDRINUSE)`);
    expect(r.output).toContain('--port N');
    expect(r.output).not.toContain('läuft auf');
    expect(r.output).not.toContain('Token für Schreibzugriffe');
    if (target.dataDir) expect(existsSync(path.join(target.dataDir, LOCK_FILE))).toBe(false);
  }, 600_000);

  it.skipIf(process.getuid?.() === 0)(
    'a port it may not open (below 1024, not root): exit code 1 with the reason',
    async () => {
      const r = await runCliProcess(['serve', '--port', '80'], { ...target.env, SOZIALATLAS_NO_SAMPLE: '1' });
      expect(r.code).toBe(1);
      expect(r.output).toContain('Keine Berechtigung, Port 80 zu öffnen (EACCES)');
      expect(r.output).not.toContain('läuft auf');
    },
    600_000,
  );

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: the server stops taking requests, closes the database and exits 0`, async () => {
      const port = PORT + (signal === 'SIGTERM' ? 1 : 2);
      const p = spawnCli(['serve', '--port', String(port)], {
        ...target.env,
        SOZIALATLAS_NO_SAMPLE: '1',
        SOZIALATLAS_TOKEN: 'stop-token',
      });
      await p.waitFor(/Sozialatlas läuft auf/, 240_000);
      // a write just before the signal must survive the stop
      const threshold = signal === 'SIGTERM' ? 250 : 275;
      const res = await fetch(`http://127.0.0.1:${port}/api/settings`, {
        method: 'PUT',
        headers: { Authorization: 'Bearer stop-token', 'Content-Type': 'application/json' },
        body: JSON.stringify({ suppressionThreshold: threshold }),
      });
      expect(res.status).toBe(200);
      p.child.kill(signal);
      expect(await p.exited).toEqual({ code: 0, signal: null });
      expect(p.output()).toContain(`${signal}: Sozialatlas wird beendet`);
      if (target.dataDir) expect(existsSync(path.join(target.dataDir, LOCK_FILE))).toBe(false);
      await expect(fetch(`http://127.0.0.1:${port}/api/levels`)).rejects.toThrow();
      // the database was closed cleanly: it opens again (on PGlite without a stale lock) with the write
      const db = await target.open();
      try {
        expect((await readSettings(db)).suppressionThreshold).toBe(threshold);
      } finally {
        await db.close();
      }
    }, 600_000);
  }
});
