/**
 * Read API over areas and indicator values (issue 2):
 *   GET /api/levels, /api/indicators, /api/areas (GeoJSON), /api/areas/{code}, /api/values,
 *   /api/search, /api/coverage, /api/export.csv, /api/export.geojson
 * Suppressed values (population under the threshold) are null in every public response.
 * Levels, indicators and periods come in the query string: unknown ones are a 400; an unknown
 * area code in the path is a 404 (errors.unknownName).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { notFound, unknownName } from '../http/errors.js';
import {
  listIndicators,
  listLevels,
  requireIndicator,
  requireIndicators,
  requireLevel,
  requirePeriod,
  levelDefaultPeriod,
} from '../services/catalog.js';
import {
  areaProfile,
  choroplethValues,
  coverage,
  exportRows,
  areasGeoJson,
  importedGaps,
} from '../services/area-values.js';
import { searchPlaces, searchRequest } from '../services/search.js';
import { toCsv } from '../../geodata/export/csv.js';
import { rankingTable } from '../../geodata/export/tables.js';
import { jsonOrTableFormat, sendTable, tableFormat } from '../http/export.js';
import { areaCode, indicatorKey, isoDate, levelKey } from '../http/params.js';

const bbox = z
  .string()
  .transform((s) => s.split(',').map(Number))
  .refine(
    (a) => a.length === 4 && a.every(Number.isFinite) && a[0] < a[2] && a[1] < a[3],
    'bbox = minLon,minLat,maxLon,maxLat',
  );

async function resolveLevel(ctx: AppContext, level: string | undefined): Promise<string> {
  if (level) return (await requireLevel(ctx.db, level, 'query')).key;
  const levels = await listLevels(ctx.db);
  if (!levels[0]) throw notFound('Es sind noch keine Gebiete importiert');
  return levels[0].key; // the level with most areas: the finest one
}

async function resolvePeriod(ctx: AppContext, level: string, period: string | undefined): Promise<string> {
  if (period) return period;
  const p = await levelDefaultPeriod(ctx.db, level);
  if (!p) throw notFound(`Ebene '${level}' hat noch keine Indikatorwerte`);
  return p;
}

export function areasRoutes(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.db;

  r.get('/api/levels', async (_req, res) => {
    res.json(await listLevels(db));
  });

  r.get('/api/indicators', async (req, res) => {
    const q = parseOr400(z.object({ level: levelKey.optional() }), req.query);
    if (q.level) await requireLevel(db, q.level, 'query');
    res.json(await listIndicators(db, q.level));
  });

  r.get('/api/areas', async (req, res) => {
    const q = parseOr400(z.object({ level: levelKey.optional(), bbox: bbox.optional() }), req.query);
    const level = await resolveLevel(ctx, q.level);
    res.type('application/geo+json').json(await areasGeoJson(db, level, q.bbox as number[] | undefined));
  });

  r.get('/api/search', async (req, res) => {
    const q = parseOr400(searchRequest, req.query);
    if (q.level) await requireLevel(db, q.level, 'query');
    res.json(await searchPlaces(db, q));
  });

  r.get('/api/areas/:code', async (req, res) => {
    const { code } = parseOr400(z.object({ code: areaCode }), req.params, 'Pfadangabe');
    const q = parseOr400(z.object({ level: levelKey.optional(), period: isoDate.optional() }), req.query);
    if (q.level) await requireLevel(db, q.level, 'query');
    const profile = await areaProfile(db, code, q.level, q.period);
    if (!profile)
      throw unknownName('path', `Unbekanntes Gebiet '${code}'${q.level ? ` auf Ebene '${q.level}'` : ''}`, {
        code,
        level: q.level ?? null,
      });
    res.json(profile);
  });

  r.get('/api/values', async (req, res) => {
    const q = parseOr400(
      z.object({
        indicator: indicatorKey,
        period: isoDate.optional(),
        level: levelKey.optional(),
        format: jsonOrTableFormat,
      }),
      req.query,
    );
    const level = await resolveLevel(ctx, q.level);
    const meta = await requireIndicator(db, q.indicator, 'query');
    const period = await resolvePeriod(ctx, level, q.period);
    await requirePeriod(db, level, period, 'query', { indicator: q.indicator });
    const values = await choroplethValues(db, meta, level, period);
    // ?format=csv|csv-de|xlsx: the ranking of the level (highest value first) as a table
    if (q.format !== 'json') sendTable(res, q.format, `rangfolge_${meta.key}_${level}_${period}`, rankingTable(values));
    else res.json(values);
  });

  r.get('/api/coverage', async (req, res) => {
    const q = parseOr400(
      z.object({ level: levelKey.optional(), period: isoDate.optional(), indicator: indicatorKey.optional() }),
      req.query,
    );
    if (q.level) await requireLevel(db, q.level, 'query');
    if (q.indicator) await requireIndicator(db, q.indicator, 'query');
    res.json(await coverage(db, q));
  });

  // Anschlussfähigkeit: per area, an imported parent value against the sum of its children.
  r.get('/api/coverage/gaps', async (req, res) => {
    const q = parseOr400(z.object({ level: levelKey, period: isoDate, indicator: indicatorKey }), req.query);
    await requireLevel(db, q.level, 'query');
    await requireIndicator(db, q.indicator, 'query');
    res.json(await importedGaps(db, q.level, q.indicator, q.period));
  });

  const exportQuery = z.object({
    level: levelKey.optional(),
    period: isoDate.optional(),
    indicators: z
      .string()
      .regex(/^[A-Za-z0-9_.,-]{1,2000}$/)
      .optional(),
    format: tableFormat,
  });
  async function exportArgs(query: unknown) {
    const q = parseOr400(exportQuery, query);
    const level = await resolveLevel(ctx, q.level);
    const period = await resolvePeriod(ctx, level, q.period);
    const keys = q.indicators ? q.indicators.split(',').filter(Boolean) : undefined;
    if (keys) await requireIndicators(db, keys, 'query');
    return { level, period, keys, format: q.format };
  }
  r.get('/api/export.csv', async (req, res) => {
    const { level, period, keys, format } = await exportArgs(req.query);
    const { columns, rows } = await exportRows(db, level, period, keys, false);
    // ?format=csv-de|xlsx: the same table for German Excel (geodata/export/formats.ts)
    if (format !== 'csv')
      sendTable(res, format, `sozialatlas_${level}_${period}`, { sheet: `Werte ${level}`, columns, rows });
    else
      res.type('text/csv; charset=utf-8').attachment(`sozialatlas_${level}_${period}.csv`).send(toCsv(columns, rows));
  });
  r.get('/api/export.geojson', async (req, res) => {
    const { level, period, keys } = await exportArgs(req.query);
    const { columns, rows } = await exportRows(db, level, period, keys, true);
    const features = rows.map((row) => {
      const { geometry, ...props } = row as Record<string, unknown> & { geometry: unknown };
      return { type: 'Feature', id: props.code, properties: props, geometry };
    });
    res
      .type('application/geo+json')
      .attachment(`sozialatlas_${level}_${period}.geojson`)
      .json({ type: 'FeatureCollection', columns: columns.filter((c) => c !== 'geometry'), features });
  });

  return r;
}

const q = (name: string, required = false, description = '') => ({
  name,
  in: 'query',
  required,
  schema: { type: 'string' },
  description,
});
/** 400 for bad or unknown parameters (level, indicator, period are all query parameters); 404 only where `missing` says when. */
const ok = (description: string, missing?: string) => ({
  200: { description },
  400: { $ref: '#/components/responses/BadRequest' },
  ...(missing ? { 404: { description: missing } } : {}),
});
const FORMAT_DOC = 'json (Standard), csv, csv-de (Excel deutsch), xlsx';
const NOTHING_IMPORTED = 'Noch keine Gebiete (oder für die Ebene keine Werte) importiert';

export const areasPaths: Record<string, unknown> = {
  '/api/levels': {
    get: {
      summary:
        'Räumliche Ebenen mit Anzahl der Gebiete, Zeiträumen und Standard-Stichtag (defaultPeriod: jüngster Stichtag mit den meisten Indikatoren)',
      responses: { 200: { description: 'Liste der Ebenen' } },
    },
  },
  '/api/indicators': {
    get: {
      summary: 'Indikatoren mit Bezeichnung, Einheit, Lebenslage, Polarität und Zeiträumen',
      parameters: [q('level')],
      responses: ok('Liste der Indikatoren'),
    },
  },
  '/api/areas': {
    get: {
      summary: 'Gebiete einer Ebene als GeoJSON',
      parameters: [q('level'), q('bbox', false, 'minLon,minLat,maxLon,maxLat')],
      responses: ok('GeoJSON FeatureCollection', NOTHING_IMPORTED),
    },
  },
  '/api/areas/{code}': {
    get: {
      summary: 'Alle Indikatorwerte eines Gebiets mit Wert der übergeordneten Ebene, Gesamtwert und Rang',
      parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }, q('level'), q('period')],
      responses: ok('Gebietsprofil', 'Unbekanntes Gebiet (auf der angegebenen Ebene)'),
    },
  },
  '/api/values': {
    get: {
      summary:
        'Werte eines Indikators für eine Choroplethenkarte mit n, min, max, Mittel, SD, Quantilen; format=csv|csv-de|xlsx: die Rangfolge der Ebene als Tabelle',
      parameters: [q('indicator', true), q('period'), q('level'), q('format', false, FORMAT_DOC)],
      responses: ok('Werte', NOTHING_IMPORTED),
    },
  },
  '/api/search': {
    get: {
      summary:
        'Suche nach Adresse (Straße und Hausnummer), Straße, Postleitzahl, Ortsteil, Gebietsname oder -schlüssel; jeder Treffer führt zu einem Gebiet der Ebene (SearchHit)',
      parameters: [q('q', true), q('level'), q('limit')],
      responses: ok('Treffer'),
    },
  },
  '/api/coverage': {
    get: {
      summary:
        'Datenlücken je Indikator × Zeitraum × Ebene: Werte, fehlende, geheim gehaltene (Einwohnerzahl / Schutz vor Rückrechnung), importiert, summiert oder per Formel, Abdeckung, Abweichungen importiert − summiert',
      parameters: [q('level'), q('period'), q('indicator')],
      responses: ok('Abdeckung'),
    },
  },
  '/api/coverage/gaps': {
    get: {
      summary: 'Anschlussfähigkeit: je Gebiet eigener (importierter) Wert gegen die Summe der Teilgebiete',
      parameters: [q('level'), q('period'), q('indicator')],
      responses: ok('Abweichungen je Gebiet'),
    },
  },
  '/api/export.csv': {
    get: {
      summary: 'Export der Indikatorwerte als CSV (format=csv-de: Excel deutsch, format=xlsx: Excel)',
      parameters: [
        q('level'),
        q('period'),
        q('indicators'),
        q(
          'format',
          false,
          'csv (Standard), csv-de (Semikolon, Dezimalkomma, UTF-8 mit BOM), xlsx (Schlüssel als Text)',
        ),
      ],
      responses: ok('CSV', NOTHING_IMPORTED),
    },
  },
  '/api/export.geojson': {
    get: {
      summary: 'Export der Gebiete mit Indikatorwerten als GeoJSON',
      parameters: [q('level'), q('period'), q('indicators')],
      responses: ok('GeoJSON', NOTHING_IMPORTED),
    },
  },
};
