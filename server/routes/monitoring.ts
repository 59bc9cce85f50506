/**
 * Monitoring over time:
 *   GET /api/change (an indicator's change between two periods), GET /api/index (MSS status and
 *   dynamics index), GET /api/compare (2–4 areas side by side), GET /api/warnings (the warning
 *   rules evaluated on a level).
 * Every name here is a query parameter, so an unknown level, indicator, period or area is a 400.
 * The rules themselves are warning-rules.ts, the printable area profiles profiles.ts.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { computeChange } from '../services/indicator-change.js';
import { computeStatusIndex } from '../services/status-index.js';
import { compareAreas } from '../services/area-compare.js';
import { evaluateWarnings } from '../services/warnings.js';
import { areaCode, indicatorKey, isoDate, levelKey } from '../http/params.js';
import { jsonOrTableFormat, sendTable } from '../http/export.js';
import { changeTable } from '../../geodata/export/tables.js';

/** "S1,S3,S4" → ['S1','S3','S4'] (1–12 keys). */
const keyList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(indicatorKey).min(1, 'mindestens ein Indikator').max(12, 'höchstens 12 Indikatoren'));
/** "−1,1,1.5" → numbers, exactly n of them. */
const numberList = (n: number, what: string) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => Number(x.trim())))
    .refine((a) => a.length === n && a.every(Number.isFinite), `${what}: ${n} Zahlen, durch Komma getrennt`);

/** GET /api/change and `sozialatlas change`. */
export const ChangeQuery = z.object({ indicator: indicatorKey, level: levelKey, from: isoDate, to: isoDate });
/** GET /api/index and `sozialatlas index`. */
export const IndexQuery = z.object({
  level: levelKey,
  period: isoDate,
  status: keyList.optional(), // default S1,S3,S4
  dynamics: keyList.optional(), // default D1,D3,D4
  statusCutoffs: numberList(3, 'statusCutoffs (hoch, niedrig, sehr niedrig)').optional(), // default −1,1,1.5
  dynamicsCutoffs: numberList(2, 'dynamicsCutoffs (positiv, negativ)').optional(), // default −1,1
});
const CompareQuery = z.object({
  codes: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(areaCode).min(2, '2 bis 4 Gebiete').max(4, '2 bis 4 Gebiete')),
  level: levelKey.optional(),
  period: isoDate.optional(),
});
const WarningsQuery = z.object({ level: levelKey, period: isoDate.optional() });

export function monitoringRoutes(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.db;

  r.get('/api/change', async (req, res) => {
    const { format } = parseOr400(z.object({ format: jsonOrTableFormat }), req.query);
    const change = await computeChange(db, parseOr400(ChangeQuery, req.query));
    if (format === 'json') res.json(change);
    else
      sendTable(
        res,
        format,
        `veraenderung_${change.indicator}_${change.level}_${change.from}_${change.to}`,
        changeTable(change),
      );
  });

  r.get('/api/index', async (req, res) => {
    const q = parseOr400(IndexQuery, req.query);
    res.json(
      await computeStatusIndex(db, {
        level: q.level,
        period: q.period,
        status: q.status,
        dynamics: q.dynamics,
        statusCutoffs: q.statusCutoffs
          ? { high: q.statusCutoffs[0], low: q.statusCutoffs[1], veryLow: q.statusCutoffs[2] }
          : undefined,
        dynamicsCutoffs: q.dynamicsCutoffs
          ? { positive: q.dynamicsCutoffs[0], negative: q.dynamicsCutoffs[1] }
          : undefined,
      }),
    );
  });

  r.get('/api/compare', async (req, res) => {
    res.json(await compareAreas(db, parseOr400(CompareQuery, req.query)));
  });

  r.get('/api/warnings', async (req, res) => {
    const q = parseOr400(WarningsQuery, req.query);
    res.json(await evaluateWarnings(db, q.level, q.period));
  });

  return r;
}

const q = (name: string, description: string, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string' },
});
const errors = {
  400: {
    description:
      'Ungültige Anfrage (unbekannte Ebene, Indikator, Zeitraum oder Gebiet, from = to, < 3 gültige Gebiete)',
  },
};

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const monitoringPaths: Record<string, unknown> = {
  '/api/change': {
    get: {
      summary:
        'Veränderung eines Indikators zwischen zwei Zeiträumen je Gebiet (absolut, bei Quoten in Prozentpunkten; relativ in %; Vergleichbarkeit)',
      parameters: [
        q('indicator', 'Indikator', true),
        q('level', 'Ebene', true),
        q('from', 'Zeitraum von (JJJJ-MM-TT)', true),
        q('to', 'Zeitraum bis (JJJJ-MM-TT)', true),
        q('format', 'json (Standard), csv, csv-de (Excel deutsch), xlsx'),
      ],
      responses: { 200: { description: 'Veränderung je Gebiet' }, ...errors },
    },
  },
  '/api/index': {
    get: {
      summary: 'Status- und Dynamik-Index nach MSS-Methode',
      parameters: [
        q('level', 'Ebene', true),
        q('period', 'Zeitraum', true),
        q('status', 'Status-Indikatoren, Standard S1,S3,S4'),
        q('dynamics', 'Dynamik-Indikatoren, Standard D1,D3,D4'),
        q('statusCutoffs', 'Grenzen hoch/niedrig/sehr niedrig, Standard -1,1,1.5'),
        q('dynamicsCutoffs', 'Grenzen positiv/negativ, Standard -1,1'),
      ],
      responses: {
        200: { description: 'members [{code, statusZ, statusClass, dynamicsZ, dynamicsClass, combinedClass}]' },
        ...errors,
      },
    },
  },
  '/api/compare': {
    get: {
      summary: '2–4 Gebiete nebeneinander: Indikatoren als Zeilen, Gebiete als Spalten, dazu der Gesamtwert',
      parameters: [
        q('codes', 'Gebietsschlüssel, durch Komma getrennt', true),
        q('level', 'Ebene'),
        q('period', 'Zeitraum'),
      ],
      responses: { 200: { description: 'Vergleichstabelle' }, ...errors },
    },
  },
  '/api/warnings': {
    get: {
      summary: 'Soziales Warnsystem: Gebiete mit den ausgelösten Regeln und den Zahlen dahinter',
      parameters: [
        q('level', 'Ebene', true),
        q('period', 'Zeitraum, Standard: der jüngste Stichtag mit den meisten Indikatoren'),
      ],
      responses: { 200: { description: 'Warnungen je Gebiet' }, ...errors },
    },
  },
};
