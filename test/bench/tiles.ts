/**
 * Tile bench (issue 4): index build time and memory (Berlin sample, 100 000 synthetic polygons),
 * cold tile cutting, HTTP throughput and latency of cached tiles z10–14 under autocannon from a
 * second process (50 connections, 20 s), and on the server backend the ST_AsMVT comparison.
 *
 * Environment: TILES_BENCH_SECONDS (default 20) and TILES_BENCH_CONNECTIONS (default 50) shorten
 * the load for a quick look; the figures use the defaults.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Polygon } from 'geojson';
import { measure } from './harness.js';
import { openPglite } from '../../server/db/pglite-db.js';
import { migrate } from '../../server/db/migrate.js';
import { loadSample } from '../../geodata/sample/load.js';
import { createApp } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import { buildLayer, type BuiltLayer } from '../../geodata/tiles/built-layer.js';
import { buildTileIndex, type TileIndex } from '../../geodata/tiles/tile-index.js';
import { featureId } from '../../geodata/tiles/feature-id.js';
import type { SourceFeature } from '../../geodata/tiles/layer-source.js';
import { encodeTile } from '../../geodata/tiles/encode.js';
import { Prng } from '../../analysis/prng.js';
import { benchStAsMvt } from './tiles-mvt.js';

const LOAD_SCRIPT = fileURLToPath(new URL('./tiles-load.ts', import.meta.url));
const silent = { info: () => undefined, error: () => undefined };

const lon2tile = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const lat2tile = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

/** All tiles z0..z1 that intersect the bounds [w, s, e, n]. */
function tilesIn(b: [number, number, number, number], z0: number, z1: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let z = z0; z <= z1; z++) {
    for (let x = lon2tile(b[0], z); x <= lon2tile(b[2], z); x++) {
      for (let y = lat2tile(b[3], z); y <= lat2tile(b[1], z); y++) out.push([z, x, y]);
    }
  }
  return out;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const memNow = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/**
 * n polygons on a jittered grid over Germany's extent (5.9–15.0 °E, 47.3–55.0 °N), each a
 * 16-vertex irregular ring: about the vertex density of municipal boundaries.
 */
function syntheticPolygons(n: number, seed = 1): SourceFeature[] {
  const rng = new Prng(seed);
  const cols = Math.ceil(Math.sqrt(n * 1.18));
  const rows = Math.ceil(n / cols);
  const [w, s, e, north] = [5.9, 47.3, 15.0, 55.0];
  const dx = (e - w) / cols;
  const dy = (north - s) / rows;
  const out: SourceFeature[] = [];
  for (let i = 0; i < n; i++) {
    const cx = w + ((i % cols) + 0.5) * dx;
    const cy = s + (Math.floor(i / cols) + 0.5) * dy;
    const ring: [number, number][] = [];
    for (let k = 0; k < 16; k++) {
      const a = (-2 * Math.PI * k) / 16; // orientation does not matter: geojson-vt winds rings as MVT needs
      const r = 0.35 + 0.12 * rng.next();
      ring.push([cx + Math.cos(a) * r * dx, cy + Math.sin(a) * r * dy]);
    }
    ring.push(ring[0]);
    const code = `S${i}`;
    out.push({
      id: featureId(code),
      code,
      properties: { code, name: `Fläche ${i}`, value: Math.round(rng.next() * 1000) / 10 },
      geometry: { type: 'Polygon', coordinates: [ring] } satisfies Polygon,
      point: [cx, cy],
    });
  }
  return out;
}

async function runLoad(
  baseUrl: string,
  urls: string[],
  connections: number,
  seconds: number,
): Promise<Record<string, number>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tiles-bench-'));
  const file = path.join(dir, 'urls.txt');
  await writeFile(file, urls.join('\n'));
  try {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', LOAD_SCRIPT, baseUrl, file, String(connections), String(seconds)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`load process exited with ${code}`);
    return JSON.parse(out.trim().split('\n').pop()!);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchTiles(): Promise<void> {
  const seconds = Number(process.env.TILES_BENCH_SECONDS ?? 20);
  const connections = Number(process.env.TILES_BENCH_CONNECTIONS ?? 50);

  // ---- Berlin sample: index builds from the database (PGlite) ----
  const db = await openPglite();
  await migrate(db);
  await loadSample(db);
  let areas!: BuiltLayer;
  globalThis.gc?.();
  let before = memNow();
  await measure('tiles', 'index build: areas plr (sample, PGlite: SQL + geojson-vt)', async () => {
    areas = await buildLayer(db, { kind: 'areas', level: 'plr' });
    globalThis.gc?.();
    // (the measured figure includes PGlite's WASM heap growing for the query)
    return `${areas.featureCount} areas; held ≈ ${mb(memNow() - before)} measured incl. PGlite growth${globalThis.gc ? '' : ' (run with --expose-gc for a clean figure)'}, ${mb(areas.estimatedBytes())} estimated`;
  });
  await measure('tiles', 'index build: indicator S4 jenks 5 (sample)', async () => {
    const l = await buildLayer(db, {
      kind: 'indicator',
      level: 'plr',
      key: 'S4',
      period: '2020-12-31',
      method: 'jenks',
      classes: 5,
    });
    return `${l.featureCount} areas, ${l.buildMs.toFixed(0)} ms`;
  });
  const bounds = areas.bounds!;
  const berlinTiles = tilesIn(bounds, 10, 14);
  await measure('tiles', `cold tiles: cut + encode areas z10–14 (${berlinTiles.length} tiles)`, () => {
    let bytes = 0;
    let empty = 0;
    const t = performance.now();
    for (const [z, x, y] of berlinTiles) {
      const b = areas.tile(z, x, y);
      if (b) bytes += b.byteLength;
      else empty++;
    }
    const ms = performance.now() - t;
    return `${(ms / berlinTiles.length).toFixed(2)} ms/tile, ${empty} empty, ${mb(bytes)} encoded; layer now ≈ ${mb(areas.estimatedBytes())} estimated`;
  });

  // ---- 100 000 synthetic polygons (index only: the SQL read scales linearly and is timed above) ----
  const synthetic = syntheticPolygons(100_000);
  let big!: TileIndex;
  globalThis.gc?.();
  before = memNow();
  await measure('tiles', 'index build: 100 000 synthetic polygons (geojson-vt)', () => {
    big = buildTileIndex(synthetic, 'polygon');
    globalThis.gc?.();
    return `${big.vertexCount} vertices; index holds ≈ ${mb(memNow() - before)} measured, ${mb(big.estimatedBytes())} estimated`;
  });
  const germanyTiles = tilesIn([5.9, 47.3, 15.0, 55.0], 10, 10)
    .filter((_, i) => i % 7 === 0)
    .slice(0, 150);
  await measure('tiles', `cold tiles: 100 000 polygons, ${germanyTiles.length} z10 tiles`, () => {
    let feats = 0;
    const t = performance.now();
    for (const [z, x, y] of germanyTiles) {
      const f = big.getTile(z, x, y);
      feats += f.length;
      if (f.length) encodeTile('synthetic', f);
    }
    return `${((performance.now() - t) / germanyTiles.length).toFixed(2)} ms/tile, ${(feats / germanyTiles.length).toFixed(0)} features/tile`;
  });

  // ---- HTTP: cached tiles z10–14 under load from a second process ----
  const app = createApp({ db, config: { ...configFromEnv({}), tileCacheMb: 512 }, log: silent });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const urls: string[] = [];
    for (const [z, x, y] of berlinTiles) {
      const res = await fetch(`${base}/tiles/areas/${z}/${x}/${y}.pbf`); // warms the caches
      await res.arrayBuffer();
      if (res.status === 200) urls.push(`/tiles/areas/${z}/${x}/${y}.pbf`);
    }
    await measure(
      'tiles',
      `HTTP cached tiles z10–14 (${urls.length} tiles), autocannon ${connections} conn ${seconds} s, 2nd process`,
      async () => {
        const r = await runLoad(base, urls, connections, seconds);
        return `${Math.round(r.rps)} tiles/s; p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; ${r.mbPerSec.toFixed(1)} MB/s; errors ${r.errors}, non-2xx ${r.non2xx}`;
      },
    );
    // With 50 connections latency is mostly queueing (Little: 50 / throughput); one connection
    // shows the service time of a cached tile.
    await measure('tiles', `HTTP cached tiles z10–14, autocannon 1 conn 5 s (service time)`, async () => {
      const r = await runLoad(base, urls, 1, 5);
      return `${Math.round(r.rps)} tiles/s; p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`;
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await db.close();
  }

  // ---- ST_AsMVT on the server (DATABASE_URL only) ----
  await benchStAsMvt(berlinTiles);
}
