/**
 * The pure parts of the tile service on synthetic data: feature ids, the tile index with its
 * fallback squares, encoding round trips, the LRU index cache and the data-version reader.
 */
import { describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { featureId } from '../../geodata/tiles/feature-id.js';
import { buildTileIndex, POLYGON_TILE_OPTIONS, TILE_EXTENT } from '../../geodata/tiles/tile-index.js';
import { encodeTile } from '../../geodata/tiles/encode.js';
import { IndexCache } from '../../geodata/tiles/index-cache.js';
import { DataVersionReader } from '../../geodata/tiles/data-version.js';
import type { SourceFeature } from '../../geodata/tiles/layer-source.js';
import type { Queryable } from '../../geodata/db.js';

/** A grid of n×n square areas of `size` degrees starting at lon0/lat0, codes '0001'… */
function grid(n: number, size: number, lon0 = 13.0, lat0 = 52.3): SourceFeature[] {
  const out: SourceFeature[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const code = String(i * n + j + 1).padStart(4, '0');
      const [x0, y0] = [lon0 + i * size, lat0 + j * size];
      out.push({
        id: featureId(code),
        code,
        properties: { code, name: `Gebiet ${code}`, value: i * n + j },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [x0, y0],
              [x0 + size, y0],
              [x0 + size, y0 + size],
              [x0, y0 + size],
              [x0, y0],
            ],
          ],
        },
        point: [x0 + size / 2, y0 + size / 2],
      });
    }
  }
  return out;
}

const lon2tile = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const lat2tile = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

function decode(buf: Buffer) {
  const vt = new VectorTile(new PbfReader(buf));
  return vt;
}

describe('featureId', () => {
  it('is the integer value of a digit code and stable', () => {
    expect(featureId('01100101')).toBe(1100101);
    expect(featureId('11501341')).toBe(11501341);
    expect(featureId('999999999999999')).toBe(999999999999999);
  });

  it('hashes other codes into [2^50, 2^53) without collisions on a sample', () => {
    const ids = Array.from({ length: 20000 }, (_, i) => featureId(`DE-${i}`));
    expect(ids.filter((id) => !(Number.isSafeInteger(id) && id >= 2 ** 50 && id < 2 ** 53))).toEqual([]);
    expect(new Set(ids).size).toBe(20000);
    expect(featureId('DE-1')).toBe(featureId('DE-1'));
    expect(featureId('1234567890123456')).toBeGreaterThanOrEqual(2 ** 50); // 16 digits: hashed
  });
});

describe('tile index and encoding', () => {
  const features = grid(10, 0.01); // 100 squares of ~0.7 km × 1.1 km around Berlin's latitude

  it('keeps every feature at z0 (tiny areas come back as squares at their label point)', () => {
    const idx = buildTileIndex(features, 'polygon');
    const z0 = idx.getTile(0, 0, 0);
    expect(new Set(z0.map((f) => f.tags?.code)).size).toBe(100);
    // at z0 each square is far below the tolerance: all of them are fallback squares of side 4
    for (const f of z0) {
      expect(f.type).toBe(3);
      const ring = (f.geometry as [number, number][][])[0];
      expect(ring).toHaveLength(5);
      expect(Math.abs(ring[1][0] - ring[0][0])).toBe(4);
    }
  });

  it('cuts real polygons at z12 with ids from codes, properties and geometry within extent + buffer', () => {
    const idx = buildTileIndex(features, 'polygon');
    const z = 12;
    const codes = new Set<string>();
    let squares = 0;
    for (let x = lon2tile(13.0, z); x <= lon2tile(13.1, z); x++) {
      for (let y = lat2tile(52.4, z); y <= lat2tile(52.3, z); y++) {
        const feats = idx.getTile(z, x, y);
        if (!feats.length) continue;
        const vt = decode(encodeTile('areas', feats));
        const layer = vt.layers.areas;
        expect(layer.extent).toBe(TILE_EXTENT);
        expect(layer.version).toBe(2);
        for (let i = 0; i < layer.length; i++) {
          const f = layer.feature(i);
          const code = String(f.properties.code);
          codes.add(code);
          expect(f.id).toBe(Number(code));
          expect(f.properties.name).toBe(`Gebiet ${code}`);
          expect(f.properties.value).toBe(Number(code) - 1);
          for (const ring of f.loadGeometry()) {
            if (ring.length === 4) squares++;
            for (const p of ring) {
              expect(p.x).toBeGreaterThanOrEqual(-POLYGON_TILE_OPTIONS.buffer);
              expect(p.x).toBeLessThanOrEqual(TILE_EXTENT + POLYGON_TILE_OPTIONS.buffer);
              expect(p.y).toBeGreaterThanOrEqual(-POLYGON_TILE_OPTIONS.buffer);
              expect(p.y).toBeLessThanOrEqual(TILE_EXTENT + POLYGON_TILE_OPTIONS.buffer);
            }
          }
        }
      }
    }
    expect(codes.size).toBe(100);
    // at z12 a 0.01° square spans ~ 466 × 466·1.6 units: no fallback needed
    expect(squares).toBe(0);
  });

  it('a point layer has each point in exactly one tile', () => {
    const idx = buildTileIndex(features, 'point');
    const z = 11;
    const seen: string[] = [];
    for (let x = lon2tile(12.99, z); x <= lon2tile(13.11, z); x++) {
      for (let y = lat2tile(52.41, z); y <= lat2tile(52.29, z); y++) {
        for (const f of idx.getTile(z, x, y)) seen.push(String(f.tags?.code));
      }
    }
    expect(seen).toHaveLength(100);
    expect(new Set(seen).size).toBe(100);
  });

  it('gives [] outside the data and leaves null properties out of the tile', () => {
    const idx = buildTileIndex(features, 'polygon');
    expect(idx.getTile(5, 0, 0)).toEqual([]);
    const one = buildTileIndex([{ ...features[0], properties: { code: '0001', value: null } }], 'polygon');
    const feats = one.getTile(0, 0, 0);
    const f = decode(encodeTile('indicator', feats)).layers.indicator.feature(0);
    expect(f.properties).toEqual({ code: '0001' });
  });
});

describe('IndexCache', () => {
  it('builds once for concurrent requests', async () => {
    const cache = new IndexCache<{ n: number }>(1000, () => 10);
    let builds = 0;
    const build = async () => {
      builds++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: builds };
    };
    const got = await Promise.all(Array.from({ length: 10 }, () => cache.getOrBuild('a', build)));
    expect(builds).toBe(1);
    expect(new Set(got).size).toBe(1);
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 10, builds: 1 });
  });

  it('does not cache a failed build', async () => {
    const cache = new IndexCache<number>(1000, () => 1);
    await expect(cache.getOrBuild('x', () => Promise.reject(new Error('nope')))).rejects.toThrow('nope');
    expect(await cache.getOrBuild('x', async () => 42)).toBe(42);
  });

  it('evicts least recently used entries beyond the memory bound, also when an entry grows', async () => {
    const size = new Map<string, number>([
      ['a', 40],
      ['b', 40],
      ['c', 40],
    ]);
    const cache = new IndexCache<string>(100, (v) => size.get(v)!);
    await cache.getOrBuild('a', async () => 'a');
    await cache.getOrBuild('b', async () => 'b');
    cache.get('a'); // a is now younger than b
    await cache.getOrBuild('c', async () => 'c'); // 120 > 100: b goes
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('a');
    expect(cache.get('c')).toBe('c');
    size.set('c', 90);
    cache.resize('c'); // 130 > 100: a goes, c (in use) stays even though alone it is close to the bound
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 90, evictions: 2 });
  });
});

describe('DataVersionReader', () => {
  it('coalesces concurrent reads but never serves a read that started before the request', async () => {
    let version = 1;
    let queries = 0;
    const db = {
      async query() {
        queries++;
        const v = version;
        await new Promise((r) => setTimeout(r, 10));
        return { rows: [{ version: v }], rowCount: 1 };
      },
      async exec() {},
    } as unknown as Queryable;
    const reader = new DataVersionReader(db, 0);
    const first = reader.read(); // starts query 1 (sees version 1)
    version = 2; // an import commits while query 1 runs
    const later = Array.from({ length: 20 }, () => reader.read()); // must wait for a fresh read
    expect(await first).toBe(1);
    expect(await Promise.all(later)).toEqual(Array(20).fill(2));
    expect(queries).toBe(2);
  });

  it('reuses a version for ttlMs, then reads again', async () => {
    let version = 1;
    let queries = 0;
    const db = {
      async query() {
        queries++;
        return { rows: [{ version }], rowCount: 1 };
      },
      async exec() {},
    } as unknown as Queryable;
    const reader = new DataVersionReader(db, 50);
    expect(await reader.read()).toBe(1);
    version = 2;
    expect(await reader.read()).toBe(1); // within 50 ms: reused
    expect(queries).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(await reader.read()).toBe(2);
    expect(queries).toBe(2);
  });
});
