/**
 * Bench-only comparison with PostGIS ST_AsMVT on the server backend (needs DATABASE_URL; PGlite's
 * PostGIS has no protobuf). Not an endpoint: it exists to tell whether our Node tiles keep up.
 *
 * Same data (the Berlin sample loaded into a scratch database), same layer (areas, level plr, same
 * properties and feature id), same tiles. "Cold" = a tile's first cut (ours: the layer's index is
 * built, the tile not yet; theirs: first execution of the query on a fresh connection), "warm" =
 * the same tile again (ours: served from the encoded-tile cache; theirs: the query repeated,
 * PostgreSQL buffers hot). Ratios are ours ÷ theirs: below 1 means we are faster.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPg } from '../../server/db/pg-db.js';
import { migrate } from '../../server/db/migrate.js';
import { loadSample } from '../../geodata/sample/load.js';
import { buildLayer } from '../../geodata/tiles/built-layer.js';
import { measure } from './harness.js';

// The areas layer as ST_AsMVT cuts it: same properties, id = code as integer, extent 4096,
// buffer 64, clipped; the bbox test uses area's GiST index on geom (EPSG:4326).
// Population per area in the tile by an index lookup (observation_area_idx), not a whole-level CTE,
// so the query only touches the tile's areas.
const MVT_SQL = `
WITH env AS (SELECT ST_TileEnvelope($1, $2, $3) AS e),
t AS (
  SELECT a.code::bigint AS fid, a.code, a.name, a.level, a.parent_code AS parent, pop.value AS population,
         ST_AsMVTGeom(ST_Transform(a.geom, 3857), env.e, 4096, 64, true) AS geom
    FROM area a CROSS JOIN env
    LEFT JOIN LATERAL (
      SELECT o.value FROM observation o
       WHERE o.level = a.level AND o.code = a.code AND o.indicator = 'EW' AND o.value IS NOT NULL
       ORDER BY o.period DESC LIMIT 1) pop ON true
   WHERE a.level = 'plr' AND a.geom && ST_Transform(env.e, 4326))
SELECT ST_AsMVT(t.*, 'areas', 4096, 'geom', 'fid') AS mvt FROM t WHERE t.geom IS NOT NULL`;

function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export async function benchStAsMvt(tiles: [number, number, number][]): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const name = `sozialatlas_bench_tiles_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = openPg(u.toString());
  try {
    await migrate(db);
    await loadSample(db);
    await db.query('ANALYZE');

    await measure(
      'tiles',
      `ST_AsMVT vs ours, areas plr, ${tiles.length} tiles z10–14 (server; ours via function call, theirs via query round trip)`,
      async () => {
        const layer = await buildLayer(db, { kind: 'areas', level: 'plr' });
        const time = (fn: () => unknown) => {
          const t = performance.now();
          fn();
          return performance.now() - t;
        };
        let oursCold = 0;
        let oursWarm = 0;
        let ourBytes = 0;
        for (const [z, x, y] of tiles) {
          oursCold += time(() => (ourBytes += layer.tile(z, x, y)?.byteLength ?? 0));
          oursWarm += time(() => layer.tile(z, x, y));
        }

        // Theirs: one fresh connection, so the first round is as cold as a running server gets.
        const client = new pg.Client({ connectionString: u.toString() });
        await client.connect();
        let theirCold = 0;
        let theirWarm = 0;
        let theirBytes = 0;
        for (const [z, x, y] of tiles) {
          let t = performance.now();
          const r = await client.query<{ mvt: Buffer | null }>(MVT_SQL, [z, x, y]);
          theirCold += performance.now() - t;
          theirBytes += r.rows[0]?.mvt?.byteLength ?? 0;
          t = performance.now();
          await client.query(MVT_SQL, [z, x, y]);
          theirWarm += performance.now() - t;
        }
        await client.end();

        const n = tiles.length;
        const ms = (v: number) => `${(v / n).toFixed(3)} ms`;
        return [
          `index build ${layer.buildMs.toFixed(0)} ms (once)`,
          `cold: ours ${ms(oursCold)} / ST_AsMVT ${ms(theirCold)} per tile = ratio ${(oursCold / theirCold).toFixed(2)}`,
          `with the build spread over these tiles ${((layer.buildMs + oursCold) / theirCold).toFixed(2)}`,
          `warm: ours ${ms(oursWarm)} / ST_AsMVT ${ms(theirWarm)} = ratio ${(oursWarm / theirWarm).toFixed(4)}`,
          `bytes ours ${(ourBytes / 2 ** 20).toFixed(1)} MB vs ST_AsMVT ${(theirBytes / 2 ** 20).toFixed(1)} MB (ST_AsMVTGeom only snaps to the grid; geojson-vt also simplifies below z14)`,
        ].join('; ');
      },
    );
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
