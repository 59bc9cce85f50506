/**
 * distance(KEY) from the population-weighted centre of an area's Zensus grid cells, on the trimmed
 * Bremen + Saarland fixture (test/fixtures/grid): the centre of a Kreis is computed here by hand
 * from the CSV (Σ Einwohner·x / Σ Einwohner, Σ Einwohner·y / Σ Einwohner over the populated cells
 * the fixture assigns to the Kreis, EPSG:3035 metres), facilities are placed at known offsets from
 * those centres (imported in EPSG:3035), and the stored distances must equal the offsets. A
 * hand-made level 'box' has one square holding all Bremen cells (its centre: the Land's) and one
 * square in Bavaria without any cell, which falls back to its point on surface and is named in the
 * report; point_input_note says per level which reference was used. PGlite and, with DATABASE_URL,
 * the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distance as turfDistance, point as turfPoint } from '@turf/turf';
import type { Db } from '../../geodata/db.js';
import { openTestDb, backend } from '../helpers/test-db.js';
import { importAreas, importMeta, type ImportReport } from '../../geodata/import/index.js';
import { importGrid } from '../../geodata/import/grid.js';
import { aggregateGrid } from '../../geodata/import/grid-aggregate.js';
import { importPoints } from '../../geodata/import/points.js';
import { DISTANCE_REFERENCES } from '../../geodata/values/point-inputs.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/grid/', import.meta.url));
const CSV = path.join(FIXTURE, 'zensus2022-1km-04-10.csv');
const ZENSUS = '2022-05-15';
const STAND = '2023-07-01';

interface Cell {
  land: string;
  kreis: string;
  x: number;
  y: number;
  ew: number | null;
}

async function readCells(): Promise<Cell[]> {
  const [head, ...lines] = (await readFile(CSV, 'utf8')).trim().split('\n');
  const h = head.split(',');
  const at = (f: string[], k: string) => f[h.indexOf(k)];
  return lines.map((l) => {
    const f = l.split(',');
    const ew = at(f, 'Einwohner');
    return {
      land: at(f, 'land'),
      kreis: at(f, 'kreis'),
      x: Number(at(f, 'x_mp_1km')),
      y: Number(at(f, 'y_mp_1km')),
      ew: ew === '' ? null : Number(ew),
    };
  });
}

/** The population-weighted mean of the populated cells' centres (EPSG:3035). */
function weightedCentre(cells: Cell[]): [number, number] {
  let [sx, sy, sw] = [0, 0, 0];
  for (const c of cells) {
    if (c.ew === null || c.ew <= 0) continue;
    sx += c.ew * c.x;
    sy += c.ew * c.y;
    sw += c.ew;
  }
  return [sx / sw, sy / sw];
}

const square = (code: string, west: number, south: number, east: number, north: number) => ({
  type: 'Feature',
  properties: { code, name: code },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  },
});

const META = [
  'key;label;unit;kind;scale;formula;visibility;weight_indicator;description',
  'ZIEL_DIST;Entfernung zum nächsten Ziel;m;mean;1;distance(ziel);public;Z22_EW;',
].join('\n');

describe(`distance from the population-weighted centre of the grid cells (${backend})`, () => {
  let db: Db;
  let dir: string;
  let meta: ImportReport;
  let centre11: [number, number];
  let centre41: [number, number];
  const value = async (level: string, code: string, period: string) =>
    (
      await db.query<{ value: number }>(
        "SELECT value FROM level_value WHERE level = $1 AND code = $2 AND indicator = 'ZIEL_DIST' AND period = $3::date",
        [level, code, period],
      )
    ).rows[0]?.value;

  beforeAll(async () => {
    db = await openTestDb();
    dir = await mkdtemp(path.join(tmpdir(), 'sozialatlas-grid-distance-'));
    const cells = await readCells();
    centre11 = weightedCentre(cells.filter((c) => c.kreis === '04011'));
    centre41 = weightedCentre(cells.filter((c) => c.kreis === '10041'));
    const centreBremen = weightedCentre(cells.filter((c) => c.land === '04'));
    // Z1 at the centre of Bremen (city), Z2 3 km east and 4 km north of Saarbrücken's, Z3 at the Land Bremen's.
    const targets: [string, number, number][] = [
      ['Z1', centre11[0], centre11[1]],
      ['Z2', centre41[0] + 3000, centre41[1] + 4000],
      ['Z3', centreBremen[0], centreBremen[1]],
    ];
    await writeFile(
      path.join(dir, 'ziel.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: targets.map(([nr, x, y]) => ({
          type: 'Feature',
          properties: { nr },
          geometry: { type: 'Point', coordinates: [x, y] },
        })),
      }),
    );
    await writeFile(
      path.join(dir, 'box.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        // B1 in Bavaria (no cell of the fixture), B2 around the whole Land Bremen (its cells only: the fixture has no others there)
        features: [square('B1', 11.0, 48.0, 11.1, 48.1), square('B2', 8.3, 52.9, 9.2, 53.8)],
      }),
    );
    await writeFile(path.join(dir, 'meta.csv'), META);
    const geo = { codeField: 'AGS', nameField: 'GEN' };
    await importAreas(db, path.join(FIXTURE, 'land-04-10.geojson'), { level: 'land', levelLabel: 'Land', ...geo });
    await importAreas(db, path.join(FIXTURE, 'kreis-04-10.geojson'), {
      level: 'kreis',
      levelLabel: 'Kreis',
      parentLevel: 'land',
      parentCodePrefix: 2,
      ...geo,
    });
    await importAreas(db, path.join(dir, 'box.geojson'), { level: 'box', codeField: 'code', nameField: 'name' });
    await importGrid(db, CSV, { level: 'z1km' });
    await aggregateGrid(db, { toLevel: 'kreis' });
    await importPoints(db, path.join(dir, 'ziel.geojson'), { layer: 'ziel', period: STAND, idField: 'nr', srid: 3035 });
    meta = await importMeta(db, path.join(dir, 'meta.csv'));
  }, 600_000);

  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('measures from the weighted centre of the Kreis cells (hand-computed), not from the point on surface', async () => {
    // Z1 stands on the centre of 04011: the distance is the round trip 3035 → 4326 → spheroid, far below a metre.
    const d11 = await value('kreis', '04011', ZENSUS);
    expect(d11).toBeDefined();
    expect(d11!).toBeLessThan(0.5);
    const pos = (
      await db.query<{ d: number }>(
        `SELECT ST_Distance(ST_PointOnSurface(a.geom)::geography, p.geom::geography) AS d
           FROM area a, point_feature p WHERE a.level = 'kreis' AND a.code = '04011' AND p.layer = 'ziel' AND p.fid = 'Z1'`,
      )
    ).rows[0].d;
    expect(pos).toBeGreaterThan(100); // the point on surface would have given another answer
    // Z2 lies 5 000 m (3-4-5) from the centre of 10041 in EPSG:3035; LAEA scale error there < 0.1 %.
    const d41 = await value('kreis', '10041', ZENSUS);
    expect(Math.abs(d41! / 5000 - 1)).toBeLessThan(0.003);
  });

  it('carries the Kreis distances to the Land as the Z22_EW-weighted mean', async () => {
    const r = await db.query<{ code: string; value: number }>(
      `SELECT code, value FROM level_value WHERE level = 'kreis' AND indicator = 'Z22_EW' AND period = $1::date AND code LIKE '04%'`,
      [ZENSUS],
    );
    let [num, den] = [0, 0];
    for (const k of r.rows) {
      num += k.value * (await value('kreis', k.code, ZENSUS))!;
      den += k.value;
    }
    expect(r.rows.length).toBe(2);
    expect(await value('land', '04', ZENSUS)).toBeCloseTo(num / den, 6);
  });

  it('falls back to the point on surface for an area without cells and says so', async () => {
    // B2 holds every Bremen cell: its centre is the Land's, where Z3 stands.
    expect((await value('box', 'B2', STAND))!).toBeLessThan(0.5);
    const ref = (
      await db.query<{ x: number; y: number }>(
        "SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM area WHERE level = 'box' AND code = 'B1'",
      )
    ).rows[0];
    const targets = await db.query<{ x: number; y: number }>(
      "SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM point_feature WHERE layer = 'ziel'",
    );
    const expected = Math.min(
      ...targets.rows.map((t) => turfDistance(turfPoint([ref.x, ref.y]), turfPoint([t.x, t.y]), { units: 'meters' })),
    );
    // turf: sphere (haversine); PostGIS: the WGS 84 spheroid. They agree within 0.5 %.
    expect(Math.abs((await value('box', 'B1', STAND))! / expected - 1)).toBeLessThan(0.005);
    const notes = await db.query<{ level: string; reference: string }>(
      "SELECT level, reference FROM point_input_note WHERE indicator = 'ZIEL_DIST' ORDER BY level",
    );
    expect(notes.rows).toEqual([
      { level: 'box', reference: DISTANCE_REFERENCES.mixed },
      { level: 'kreis', reference: DISTANCE_REFERENCES.populationCentre },
    ]);
    const said = meta.warnings.filter((w) => w.startsWith('ZIEL_DIST:'));
    expect(said).toEqual([
      "ZIEL_DIST: Ebene 'box': 1 von 2 Gebieten ohne besiedelte Gitterzelle (z1km); Entfernung dort vom Punkt im Gebiet (ST_PointOnSurface) statt vom einwohnergewichteten Mittelpunkt: B1",
    ]);
  });
});
