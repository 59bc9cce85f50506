/**
 * The OpenAPI 3.1 path items of the vector tile and TileJSON routes (server/routes/tiles.ts),
 * merged into /api/openapi.json. Kept apart from the route: it is long, and the hot tile path
 * should read without it.
 */
import { BREAK_METHODS } from '../../analysis/class-breaks.js';
import { MAX_ZOOM } from '../http/tile-path.js';
import { MVT_TYPE } from './tiles.js';

const coord = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'integer', minimum: 0 },
});
const zxy = [
  coord('z', `Zoomstufe 0–${MAX_ZOOM}`),
  coord('x', 'Spalte 0 … 2^z − 1'),
  coord('y', 'Zeile 0 … 2^z − 1 (XYZ-Schema, Norden oben)'),
];
const levelParam = {
  name: 'level',
  in: 'query',
  required: false,
  description:
    "Ebene (Standard: die feinste Ebene mit den meisten Gebieten, in Berlin 'plr'; 'bzr' für die Umrisse der Bezirksregionen)",
  schema: { type: 'string' },
};
const indicatorParams = [
  { name: 'key', in: 'path', required: true, description: 'Indikatorschlüssel, z. B. S4', schema: { type: 'string' } },
  {
    name: 'period',
    in: 'path',
    required: true,
    description: 'Zeitraum JJJJ-MM-TT, z. B. 2020-12-31',
    schema: { type: 'string', format: 'date' },
  },
  levelParam,
  {
    name: 'method',
    in: 'query',
    required: false,
    description: 'Klassifikation',
    schema: { type: 'string', enum: BREAK_METHODS, default: 'quantile' },
  },
  {
    name: 'classes',
    in: 'query',
    required: false,
    description: 'Anzahl Klassen',
    schema: { type: 'integer', minimum: 3, maximum: 7, default: 5 },
  },
];
const runParam = {
  name: 'runId',
  in: 'path',
  required: true,
  description: 'ID des gespeicherten Laufs',
  schema: { type: 'integer', minimum: 1 },
};
const typologyKParam = {
  name: 'k',
  in: 'query',
  required: false,
  description:
    'Typen für dieses k aus dem k-Bereich des Laufs (eigene, ebenso unveränderliche URL); Standard: das gewählte k. Ein k, das der Lauf nicht gespeichert hat: 400',
  schema: { type: 'integer', minimum: 2 },
};
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function tileOp(summary: string, params: unknown[], runAddressed: boolean) {
  return {
    get: {
      tags: ['tiles'],
      summary,
      description: runAddressed
        ? 'Unveränderlich: Cache-Control public, max-age=31536000, immutable; ETag. Ein neuer Lauf bekommt eine neue URL.'
        : 'ETag aus der Datenversion und den Parametern; Cache-Control public, no-cache; If-None-Match → 304.',
      parameters: [...params, ...zxy],
      responses: {
        200: {
          description: 'Mapbox Vector Tile 2.1',
          content: { [MVT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
        },
        204: { description: 'Die Kachel enthält keine Gebiete' },
        304: { description: 'Unverändert (If-None-Match)' },
        400: errorResponse('Ungültige Kachelkoordinaten oder Parameter, unbekannte Ebene (level) oder unbekanntes k'),
        404: errorResponse('Unbekannte Kachelebene, Indikator, Zeitraum oder Lauf (im Pfad)'),
      },
    },
  };
}

function tileJsonOp(summary: string, params: unknown[]) {
  return {
    get: {
      tags: ['tiles'],
      summary,
      description:
        'TileJSON 3.0.0 (tiles, bounds, center, minzoom, maxzoom, vector_layers mit Feldern); für QGIS, OpenLayers, MapLibre.',
      parameters: params,
      responses: {
        200: { description: 'TileJSON 3.0.0', content: { 'application/json': { schema: { type: 'object' } } } },
        304: { description: 'Unverändert (If-None-Match)' },
        400: errorResponse('Ungültige Parameter, unbekannte Ebene (level) oder unbekanntes k'),
        404: errorResponse('Unbekannte Kachelebene, Indikator, Zeitraum oder Lauf (im Pfad)'),
      },
    },
  };
}

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const tilesPaths: Record<string, unknown> = {
  '/tiles/areas/{z}/{x}/{y}.pbf': tileOp('Gebietsumrisse (code, name, level, parent, population)', [levelParam], false),
  '/tiles/areas.json': tileJsonOp('TileJSON der Gebietsumrisse', [levelParam]),
  '/tiles/labels/{z}/{x}/{y}.pbf': tileOp('Beschriftungspunkte je Gebiet (code, name)', [levelParam], false),
  '/tiles/labels.json': tileJsonOp('TileJSON der Beschriftungspunkte', [levelParam]),
  '/tiles/indicator/{key}/{period}/{z}/{x}/{y}.pbf': tileOp(
    'Indikatorwerte mit Klasse (code, name, value, class, suppressed)',
    indicatorParams,
    false,
  ),
  '/tiles/indicator/{key}/{period}.json': tileJsonOp(
    'TileJSON eines Indikators, mit den Klassengrenzen in breaks',
    indicatorParams,
  ),
  '/tiles/typology/{runId}/{z}/{x}/{y}.pbf': tileOp(
    'Sozialraumtypen eines Laufs (code, type, label, silhouette, stability)',
    [runParam, typologyKParam],
    true,
  ),
  '/tiles/typology/{runId}.json': tileJsonOp('TileJSON eines Typisierungslaufs', [runParam, typologyKParam]),
  '/tiles/hotspots/{runId}/{z}/{x}/{y}.pbf': tileOp(
    'Hotspots eines Laufs (code, class, giZ, quadrant)',
    [runParam],
    true,
  ),
  '/tiles/hotspots/{runId}.json': tileJsonOp('TileJSON eines Hotspot-Laufs', [runParam]),
};
