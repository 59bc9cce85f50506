/**
 * `npm start` on a fresh machine: the `sozialatlas serve` process, started on an empty data
 * directory (PGlite) or an empty server database, loads the Berlin sample, computes the default
 * typology and the default hotspot runs (Gi* and LISA for the MSS index indicators), and serves the
 * API and the map. This runs the real command in a child process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { backend } from '../helpers/test-db.js';
import { adminUrl, templateNames } from '../helpers/test-db-paths.js';
import { loadSpatialReference } from '../fixtures/reference/reference.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PORT = 18000 + (process.pid % 1000);

async function waitFor(url: string, ms: number): Promise<Response> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok) return r;
      last = r.status;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not ready after ${ms} ms: ${String(last)}`);
}

describe(`first start of \`sozialatlas serve\` on an empty database (${backend})`, () => {
  let child: ChildProcess;
  let dataDir: string;
  let dbName: string | undefined;
  let output = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-start-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(PORT),
      SOZIALATLAS_DATA_DIR: dataDir,
      SOZIALATLAS_TOKEN: '',
    };
    if (process.env.DATABASE_URL) {
      dbName = `${templateNames(process.env.DATABASE_URL).base}_start_${process.pid}`;
      const admin = new pg.Client({ connectionString: adminUrl(process.env.DATABASE_URL) });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${dbName}"`);
      await admin.end();
      const u = new URL(process.env.DATABASE_URL);
      u.pathname = `/${dbName}`;
      env.DATABASE_URL = u.toString();
    }
    child = spawn(process.execPath, [path.join(ROOT, 'bin/sozialatlas.js'), 'serve'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    // the first start loads the sample, a typology and six hotspot runs: minutes on a busy 2-core machine
    await waitFor(`http://127.0.0.1:${PORT}/api/levels`, 600_000);
  }, 660_000);

  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
    if (dbName && process.env.DATABASE_URL) {
      const admin = new pg.Client({ connectionString: adminUrl(process.env.DATABASE_URL) });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).finally(() => admin.end());
    }
  });

  it('answers with the 542 Planungsräume, 143 Bezirksregionen, 58 Prognoseräume and 12 Bezirke', async () => {
    const levels = (await (await fetch(`http://127.0.0.1:${PORT}/api/levels`)).json()) as {
      key: string;
      count: number;
      parentLevel: string | null;
    }[];
    expect(levels.map((l) => [l.key, l.count, l.parentLevel])).toEqual([
      ['plr', 542, 'bzr'],
      ['bzr', 143, 'pgr'],
      ['pgr', 58, 'bez'],
      ['bez', 12, null],
    ]);
  });

  it('serves the map client at / (npm test and npm start build it first)', async () => {
    const res = await fetch(`http://127.0.0.1:${PORT}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toMatch(/<script type="module"[^>]+src="\/assets\/index-[^"]+\.js"/);
  });

  it('has computed the default typology, so the map has types from the first minute', async () => {
    const runs = (await (await fetch(`http://127.0.0.1:${PORT}/api/typologies`)).json()) as {
      level: string;
      chosenK: number;
    }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ level: 'plr', chosenK: 5 });
  });

  it('has computed Gi* and LISA for the six MSS index indicators (queen, FDR, 999 permutations), matching spdep', async () => {
    const runs = (await (await fetch(`http://127.0.0.1:${PORT}/api/hotspots`)).json()) as {
      id: number;
      level: string;
      period: string;
      indicator: string;
      params: Record<string, unknown>;
      global: { I: number; z: number };
    }[];
    expect(runs.map((r) => r.indicator).sort()).toEqual(['D1', 'D3', 'D4', 'S1', 'S3', 'S4']);
    const ref = loadSpatialReference();
    for (const r of runs) {
      expect(r).toMatchObject({ level: 'plr', period: '2020-12-31' });
      expect(r.params).toMatchObject({ weights: 'queen', permutations: 999, seed: 1, correction: 'fdr', alpha: 0.05 });
      expect(r.global.I, r.indicator).toBeCloseTo(ref.results[r.indicator].queen.global.I, 9);
    }
    // the hotspot map reads these without a token: members and a tile over Berlin
    const s4 = runs.find((r) => r.indicator === 'S4')!;
    const members = (await (await fetch(`http://127.0.0.1:${PORT}/api/hotspots/${s4.id}/members`)).json()) as {
      code: string;
      giZ: number | null;
    }[];
    const local = ref.results.S4.queen.local;
    const checked = members.filter((m) => local[m.code] && m.giZ !== null);
    expect(checked.length).toBeGreaterThan(500);
    for (const m of checked) expect(m.giZ, m.code).toBeCloseTo(local[m.code].gistar_z, 9);
    const tile = await fetch(`http://127.0.0.1:${PORT}/tiles/hotspots/${s4.id}/10/550/335.pbf`);
    expect(tile.status).toBe(200);
    expect((await tile.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('printed a one-off write token, and the token it printed opens the write endpoints', async () => {
    const m = /Token für Schreibzugriffe[^:]*: (\S+)/.exec(output);
    expect(m, output.slice(-2000)).not.toBeNull();
    const refused = await fetch(`http://127.0.0.1:${PORT}/api/warning-rules/999999`, { method: 'DELETE' });
    expect(refused.status).toBe(401);
    const allowed = await fetch(`http://127.0.0.1:${PORT}/api/warning-rules/999999`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${m![1]}` },
    });
    expect(allowed.status).toBe(404);
  });
});
