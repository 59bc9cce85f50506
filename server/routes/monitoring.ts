/**
 * Monitoring over time and reports (issue 6):
 *   GET /api/change, GET /api/index, GET /api/compare, GET /api/warnings,
 *   /api/warning-rules (GET; POST/PUT/DELETE with the bearer token),
 *   GET /profile/{level}/{code} (HTML, ?format=csv), GET /profile/{level}.zip
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { requireToken } from '../http/auth.js';
import { computeChange } from '../services/indicator-change.js';
import { computeStatusIndex } from '../services/status-index.js';
import { buildProfile, buildProfiles, locatorShapes, locatorFor } from '../services/area-profile.js';
import { compareAreas } from '../services/area-compare.js';
import { evaluateWarnings, listRules, getRule, createRule, updateRule, deleteRule, RuleBody } from '../services/warnings.js';
import { profileHtml } from '../../geodata/report/area-profile-html.js';
import { profileCsv } from '../../geodata/report/area-profile-csv.js';
import { writeZip, profileFileName, type ZipEntry } from '../../geodata/report/area-profile-zip.js';
import type { Queryable } from '../../geodata/db.js';
import { areaCode, indicatorKey, isoDate, levelKey } from '../http/params.js';

/** "S1,S3,S4" → ['S1','S3','S4'] (1–12 keys). */
const keyList = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(indicatorKey).min(1, 'mindestens ein Indikator').max(12, 'höchstens 12 Indikatoren'));
/** "−1,1,1.5" → numbers, exactly n of them. */
const numberList = (n: number, what: string) => z.string().transform((s) => s.split(',').map((x) => Number(x.trim())))
  .refine((a) => a.length === n && a.every(Number.isFinite), `${what}: ${n} Zahlen, durch Komma getrennt`);
const ruleId = z.object({ id: z.coerce.number().int().positive() });

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
const ProfileQuery = z.object({
  period: isoDate.optional(), // default: the level's default period (latest with the most indicators)
  since: isoDate.optional(), // default: no change column
  format: z.enum(['html', 'csv', 'json']).default('html'),
});
const ZipQuery = z.object({
  period: isoDate.optional(),
  since: isoDate.optional(),
  format: z.enum(['html', 'csv', 'both']).default('both'), // both: one .html and one .csv per area
});
const CompareQuery = z.object({
  codes: z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)).pipe(z.array(areaCode).min(2, '2 bis 4 Gebiete').max(4, '2 bis 4 Gebiete')),
  level: levelKey.optional(),
  period: isoDate.optional(),
});
const WarningsQuery = z.object({ level: levelKey, period: isoDate.optional() });

/** HTML profile with its locator map; shapes are passed in when rendering many profiles at once. */
async function renderProfilesHtml(db: Queryable, level: string, codes: string[] | undefined, opts: { period?: string; since?: string }) {
  const [profiles, shapes] = await Promise.all([buildProfiles(db, level, { ...opts, codes }), locatorShapes(db, level, codes)]);
  return profiles.map((p) => ({ p, html: profileHtml(p, { locatorSvg: locatorFor(p.code, p.name ?? p.code, shapes) }) }));
}

export function monitoringRoutes(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.db;
  const write = requireToken(ctx.config.apiToken);

  r.get('/api/change', async (req, res) => {
    res.json(await computeChange(db, parseOr400(ChangeQuery, req.query)));
  });

  r.get('/api/index', async (req, res) => {
    const q = parseOr400(IndexQuery, req.query);
    res.json(await computeStatusIndex(db, {
      level: q.level,
      period: q.period,
      status: q.status,
      dynamics: q.dynamics,
      statusCutoffs: q.statusCutoffs ? { high: q.statusCutoffs[0], low: q.statusCutoffs[1], veryLow: q.statusCutoffs[2] } : undefined,
      dynamicsCutoffs: q.dynamicsCutoffs ? { positive: q.dynamicsCutoffs[0], negative: q.dynamicsCutoffs[1] } : undefined,
    }));
  });

  r.get('/api/compare', async (req, res) => {
    res.json(await compareAreas(db, parseOr400(CompareQuery, req.query)));
  });

  r.get('/api/warnings', async (req, res) => {
    const q = parseOr400(WarningsQuery, req.query);
    res.json(await evaluateWarnings(db, q.level, q.period));
  });

  r.get('/api/warning-rules', async (_req, res) => {
    res.json(await listRules(db));
  });
  r.get('/api/warning-rules/:id', async (req, res) => {
    res.json(await getRule(db, parseOr400(ruleId, req.params, 'Pfadangabe').id));
  });
  r.post('/api/warning-rules', write, async (req, res) => {
    res.status(201).json(await createRule(db, parseOr400(RuleBody, req.body, 'Regel')));
  });
  r.put('/api/warning-rules/:id', write, async (req, res) => {
    const { id } = parseOr400(ruleId, req.params, 'Pfadangabe');
    res.json(await updateRule(db, id, parseOr400(RuleBody, req.body, 'Regel')));
  });
  r.delete('/api/warning-rules/:id', write, async (req, res) => {
    await deleteRule(db, parseOr400(ruleId, req.params, 'Pfadangabe').id);
    res.status(204).end();
  });

  r.get('/profile/:level.zip', async (req, res) => {
    const { level } = parseOr400(z.object({ level: levelKey }), req.params, 'Pfadangabe');
    const q = parseOr400(ZipQuery, req.query);
    // Everything is built before the first byte, so a 400 (bad period) is still a proper JSON error.
    const rendered = await renderProfilesHtml(db, level, undefined, q);
    const entries: ZipEntry[] = [];
    for (const { p, html } of rendered) {
      if (q.format !== 'csv') entries.push({ name: profileFileName(p.code, p.name, 'html'), content: html });
      if (q.format !== 'html') entries.push({ name: profileFileName(p.code, p.name, 'csv'), content: profileCsv(p) });
    }
    res.type('application/zip').attachment(`profile_${level}_${rendered[0]?.p.period ?? ''}.zip`);
    await writeZip(res, entries);
  });

  r.get('/profile/:level/:code', async (req, res) => {
    const { level, code } = parseOr400(z.object({ level: levelKey, code: areaCode }), req.params, 'Pfadangabe');
    const q = parseOr400(ProfileQuery, req.query);
    if (q.format === 'csv') {
      const p = await buildProfile(db, level, code, q);
      res.type('text/csv; charset=utf-8').attachment(profileFileName(p.code, p.name, 'csv')).send(profileCsv(p));
      return;
    }
    if (q.format === 'json') {
      res.json(await buildProfile(db, level, code, q));
      return;
    }
    const [{ html }] = await renderProfilesHtml(db, level, [code], q);
    res.type('text/html; charset=utf-8').send(html);
  });

  return r;
}

const q = (name: string, description: string, required = false) => ({ name, in: 'query', required, description, schema: { type: 'string' } });
const p = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const errors = { 400: { description: 'Ungültige Anfrage (unbekannter Zeitraum/Indikator, from = to, < 3 gültige Gebiete, unbekannter Regeltyp)' } };

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const monitoringPaths: Record<string, unknown> = {
  '/api/change': {
    get: {
      summary: 'Veränderung eines Indikators zwischen zwei Zeiträumen je Gebiet (absolut, bei Quoten in Prozentpunkten; relativ in %; Vergleichbarkeit)',
      parameters: [q('indicator', 'Indikator', true), q('level', 'Ebene', true), q('from', 'Zeitraum von (JJJJ-MM-TT)', true), q('to', 'Zeitraum bis (JJJJ-MM-TT)', true)],
      responses: { 200: { description: 'Veränderung je Gebiet' }, ...errors },
    },
  },
  '/api/index': {
    get: {
      summary: 'Status- und Dynamik-Index nach MSS-Methode',
      parameters: [
        q('level', 'Ebene', true), q('period', 'Zeitraum', true),
        q('status', 'Status-Indikatoren, Standard S1,S3,S4'), q('dynamics', 'Dynamik-Indikatoren, Standard D1,D3,D4'),
        q('statusCutoffs', 'Grenzen hoch/niedrig/sehr niedrig, Standard -1,1,1.5'), q('dynamicsCutoffs', 'Grenzen positiv/negativ, Standard -1,1'),
      ],
      responses: { 200: { description: 'members [{code, statusZ, statusClass, dynamicsZ, dynamicsClass, combinedClass}]' }, ...errors },
    },
  },
  '/api/compare': {
    get: {
      summary: '2–4 Gebiete nebeneinander: Indikatoren als Zeilen, Gebiete als Spalten, dazu der Gesamtwert',
      parameters: [q('codes', 'Gebietsschlüssel, durch Komma getrennt', true), q('level', 'Ebene'), q('period', 'Zeitraum')],
      responses: { 200: { description: 'Vergleichstabelle' }, ...errors },
    },
  },
  '/api/warnings': {
    get: {
      summary: 'Soziales Warnsystem: Gebiete mit den ausgelösten Regeln und den Zahlen dahinter',
      parameters: [q('level', 'Ebene', true), q('period', 'Zeitraum, Standard: der jüngste Stichtag mit den meisten Indikatoren')],
      responses: { 200: { description: 'Warnungen je Gebiet' }, ...errors },
    },
  },
  '/api/warning-rules': {
    get: { summary: 'Warnregeln', responses: { 200: { description: 'Liste' } } },
    post: {
      summary: 'Warnregel anlegen (Token): type threshold | target | trend | hotspot | index_class',
      security: [{ bearer: [] }],
      responses: { 201: { description: 'angelegt' }, ...errors, 401: { description: 'ohne Token' } },
    },
  },
  '/api/warning-rules/{id}': {
    get: { summary: 'Eine Warnregel', parameters: [p('id', 'Regel-ID')], responses: { 200: { description: 'Regel' }, 404: { description: 'unbekannt' } } },
    put: { summary: 'Warnregel ändern (Token)', security: [{ bearer: [] }], parameters: [p('id', 'Regel-ID')], responses: { 200: { description: 'geändert' }, ...errors } },
    delete: { summary: 'Warnregel löschen (Token)', security: [{ bearer: [] }], parameters: [p('id', 'Regel-ID')], responses: { 204: { description: 'gelöscht' } } },
  },
  '/profile/{level}/{code}': {
    get: {
      summary: 'Sozialstruktur-Profil als druckbares HTML (A4), ?format=csv|json',
      parameters: [p('level', 'Ebene'), p('code', 'Gebietsschlüssel'), q('period', 'Zeitraum'), q('since', 'Veränderung seit'), q('format', 'html (Standard), csv, json')],
      responses: { 200: { description: 'Profil' }, 404: { description: 'unbekanntes Gebiet' }, ...errors },
    },
  },
  '/profile/{level}.zip': {
    get: {
      summary: 'Alle Profile einer Ebene als ZIP (je Gebiet HTML und CSV)',
      parameters: [p('level', 'Ebene'), q('period', 'Zeitraum'), q('since', 'Veränderung seit'), q('format', 'both (Standard), html, csv')],
      responses: { 200: { description: 'ZIP' }, ...errors },
    },
  },
};
