/**
 * Read-load bench (issue 13): a warm server on the Berlin sample under the read mix — values,
 * areas/{code}, search and profile — from autocannon in a second process (load-client.ts),
 * 50 connections for 30 s, on PGlite and (DATABASE_URL set) on the server. Prints requests/s,
 * p50/p99 latency, errors, timeouts, the latency of requests on a NEW connection during the load,
 * and single-request latencies of /api/areas/{code} and a profile on the warm server.
 *
 * Targets (issue 13, 2-core machine): PGlite ≥ 300 req/s, server ≥ 1 000 req/s, p99 < 250 ms,
 * no errors or timeouts; areas/{code} and a profile < 20 ms warm; a new connection < 100 ms.
 *
 * Environment: LOAD_BENCH_SECONDS (default 30) and LOAD_BENCH_CONNECTIONS (default 50) shorten the
 * load for a quick look; the figures use the defaults.
 *
 * "Warm" means: the server has answered every URL of the mix once (the warm-up, whose cold
 * latencies are printed as well), so the per-level results and the response cache are built for
 * the current data version, as they are on a server that has been in use since the last import.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { measure } from './harness.js';
import type { Db } from '../../geodata/db.js';
import { openPglite } from '../../server/db/pglite-db.js';
import { migrate } from '../../server/db/migrate.js';
import { loadSample } from '../../geodata/sample/load.js';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import { openScratchServer } from './scratch-db.js';
import { levelDefaultPeriod } from '../../server/services/catalog.js';

const CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));
const silent = { info: () => undefined, error: () => undefined };

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statuses: Record<string, number>;
}

/** The read mix: per area its values panel, profile; per indicator its map values; name searches. */
async function readMix(db: Db): Promise<{ urls: string[]; sampleCode: string }> {
  const areas = (
    await db.query<{ code: string; name: string }>("SELECT code, name FROM area WHERE level = 'plr' ORDER BY code")
  ).rows;
  // Indicators with values on each level at its default period (index and class indicators are not aggregated to bzr).
  const indicatorsOf = async (level: string) =>
    (
      await db.query<{ key: string }>(
        `SELECT DISTINCT v.indicator AS key FROM level_value v JOIN indicator i ON i.key = v.indicator AND i.visibility = 'public'
          WHERE v.level = $1 AND v.period = $2::date ORDER BY 1`,
        [level, await levelDefaultPeriod(db, level)],
      )
    ).rows.map((r) => r.key);
  const plr = await indicatorsOf('plr');
  const bzr = await indicatorsOf('bzr');
  const prefixes = [...new Set(areas.map((a) => a.name.slice(0, 4)))].slice(0, 100);
  const urls: string[] = [];
  // Interleaved in the proportions a map user makes: a search, a map, an area panel, a profile.
  for (let i = 0; i < areas.length; i++) {
    const a = areas[i];
    urls.push(`/api/areas/${encodeURIComponent(a.code)}`);
    urls.push(`/profile/plr/${encodeURIComponent(a.code)}`);
    const [level, keys] = i % 5 === 0 ? ['bzr', bzr] : ['plr', plr];
    urls.push(`/api/values?indicator=${encodeURIComponent(keys[i % keys.length])}&level=${level}`);
    urls.push(`/api/search?q=${encodeURIComponent(prefixes[i % prefixes.length])}`);
  }
  return { urls, sampleCode: areas[0].code };
}

async function runLoad(base: string, urls: string[], connections: number, seconds: number): Promise<LoadResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'load-bench-'));
  const file = path.join(dir, 'urls.txt');
  await writeFile(file, urls.join('\n'));
  try {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLIENT, base, file, String(connections), String(seconds)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`load process exited with ${code}`);
    return JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One GET on a fresh TCP connection (no keep-alive agent): ms until the whole answer arrived. */
function freshConnectionMs(base: string, p: string): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.get(`${base}${p}`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t, status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
  });
}

/** Sequential GETs (keep-alive): latencies in ms, sorted. */
async function sequential(base: string, p: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await fetch(`${base}${p}`);
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const f1 = (x: number) => x.toFixed(1);

async function benchBackend(label: string, db: Db, seconds: number, connections: number): Promise<void> {
  const app = createApp({ db, config: configFromEnv({}), log: silent });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const { urls, sampleCode } = await readMix(db);
    // Warm-up: every URL once, 4 at a time (the first answers after start or an import).
    await measure(
      'load',
      `${label}: warm-up, every URL of the mix once (${urls.length} URLs, 4 at a time)`,
      async () => {
        const lat: number[] = [];
        let failed = 0;
        let i = 0;
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (i < urls.length) {
              const u = urls[i++];
              const t = performance.now();
              const r = await fetch(`${base}${u}`);
              await r.arrayBuffer();
              lat.push(performance.now() - t);
              if (r.status !== 200) failed++;
            }
          }),
        );
        lat.sort((a, b) => a - b);
        return `cold answers p50 ${f1(pct(lat, 0.5))} ms, p99 ${f1(pct(lat, 0.99))} ms, max ${f1(lat[lat.length - 1])} ms; non-200 ${failed}`;
      },
    );

    await measure('load', `${label}: read mix, autocannon ${connections} conn ${seconds} s, 2nd process`, async () => {
      const load = runLoad(base, urls, connections, seconds);
      // New connections during the load: one no-database route and one data route, five times each.
      const fresh: { ms: number; status: number }[] = [];
      await new Promise((r) => setTimeout(r, Math.min(3000, (seconds * 1000) / 4)));
      for (let k = 0; k < 5; k++) {
        fresh.push(await freshConnectionMs(base, '/api/openapi.json'));
        fresh.push(await freshConnectionMs(base, `/api/areas/${encodeURIComponent(sampleCode)}`));
        await new Promise((r) => setTimeout(r, (seconds * 1000) / 12));
      }
      const r = await load;
      const fm = fresh.map((x) => x.ms).sort((a, b) => a - b);
      return (
        `${Math.round(r.rps)} req/s (${r.requests} requests); p50 ${f1(r.p50)} ms, p95 ${f1(r.p95)} ms, p99 ${f1(r.p99)} ms, max ${f1(r.max)} ms; ` +
        `errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}; ` +
        `new connection during load: median ${f1(pct(fm, 0.5))} ms, max ${f1(fm[fm.length - 1])} ms (${fresh.filter((x) => x.status !== 200).length} non-200)`
      );
    });

    await measure('load', `${label}: warm single requests (1 connection, 20 each)`, async () => {
      const c = encodeURIComponent(sampleCode);
      const areasCached = await sequential(base, `/api/areas/${c}`, 20);
      const profileCached = await sequential(base, `/profile/plr/${c}`, 20);
      // The same work without the response cache: a URL variant nobody asked for yet, once each.
      const other = (await db.query<{ code: string }>("SELECT code FROM area WHERE level = 'plr' ORDER BY code")).rows;
      const fresh: number[] = [];
      const freshProfile: number[] = [];
      for (const a of other.slice(1, 11)) {
        fresh.push(...(await sequential(base, `/api/areas/${encodeURIComponent(a.code)}?level=plr`, 1)));
        freshProfile.push(...(await sequential(base, `/profile/plr/${encodeURIComponent(a.code)}?format=html`, 1)));
      }
      fresh.sort((a, b) => a - b);
      freshProfile.sort((a, b) => a - b);
      return (
        `areas/{code}: cached p50 ${f1(pct(areasCached, 0.5))} ms, not cached p50 ${f1(pct(fresh, 0.5))} ms (max ${f1(fresh[fresh.length - 1])}); ` +
        `profile HTML: cached p50 ${f1(pct(profileCached, 0.5))} ms, not cached p50 ${f1(pct(freshProfile, 0.5))} ms (max ${f1(freshProfile[freshProfile.length - 1])})`
      );
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

export async function benchLoad(): Promise<void> {
  const seconds = Number(process.env.LOAD_BENCH_SECONDS ?? 30);
  const connections = Number(process.env.LOAD_BENCH_CONNECTIONS ?? 50);

  const db = await openPglite();
  await migrate(db);
  await loadSample(db);
  try {
    await benchBackend('PGlite', db, seconds, connections);
  } finally {
    await db.close();
  }

  const url = process.env.DATABASE_URL;
  if (url) {
    const s = await openScratchServer(url, 'load');
    try {
      await loadSample(s.db);
      await benchBackend('server', s.db, seconds, connections);
    } finally {
      await s.drop();
    }
  }
}
