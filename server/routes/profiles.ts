/**
 * Sozialstruktur-Profile of areas, for print and download:
 *   GET /profile/{level}/{code} (printable HTML with a locator map; ?format=csv|csv-de|xlsx|json),
 *   GET /profile/{level}.zip (every area of a level, HTML and/or CSV; built once per data version,
 *   level and query, then served from memory: X-Cache hit|miss).
 * Level and code are in the path, so unknown ones are a 404; an unknown period or since is a 400.
 * The data is services/area-profile.ts, the renderers are geodata/report/area-profile-*.ts.
 */
import { Router } from 'express';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Queryable } from '../../geodata/db.js';
import { parseOr400 } from '../http/validate.js';
import { BuiltOnce } from '../http/built-once.js';
import { areaCode, isoDate, levelKey } from '../http/params.js';
import { buildProfile, buildProfiles, locatorShapes, locatorFor } from '../services/area-profile.js';
import { profileHtml } from '../../geodata/report/area-profile-html.js';
import { profileCsv, profileTable } from '../../geodata/report/area-profile-csv.js';
import { renderTable } from '../../geodata/export/formats.js';
import { writeZip, profileFileName, type ZipEntry } from '../../geodata/report/area-profile-zip.js';

const ProfileQuery = z.object({
  period: isoDate.optional(), // default: the level's default period (latest with the most indicators)
  since: isoDate.optional(), // default: no change column
  format: z.enum(['html', 'csv', 'csv-de', 'xlsx', 'json']).default('html'),
});
const ZipQuery = z.object({
  period: isoDate.optional(),
  since: isoDate.optional(),
  format: z.enum(['html', 'csv', 'both']).default('both'), // both: one .html and one .csv per area
});

/** HTML profile with its locator map; shapes are passed in when rendering many profiles at once. */
async function renderProfilesHtml(
  db: Queryable,
  level: string,
  codes: string[] | undefined,
  opts: { period?: string; since?: string },
) {
  const [profiles, shapes] = await Promise.all([
    buildProfiles(db, level, { ...opts, codes }),
    locatorShapes(db, level, codes),
  ]);
  return profiles.map((p) => ({
    p,
    html: profileHtml(p, { locatorSvg: locatorFor(p.code, p.name ?? p.code, shapes) }),
  }));
}

export function profilesRoutes(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.db;
  const zips = new BuiltOnce<{ bytes: Buffer; name: string }>(db);

  r.get('/profile/:level.zip', async (req, res) => {
    const { level } = parseOr400(z.object({ level: levelKey }), req.params, 'Pfadangabe');
    const q = parseOr400(ZipQuery, req.query);
    // Built once per data version, level and query, then served from memory (a level's ZIP renders every area).
    // Everything is built before the first byte, so a 400 (bad period) is still a proper JSON error.
    const key = JSON.stringify([level, q.period ?? null, q.since ?? null, q.format]);
    const { value: zip, cache } = await zips.get(key, async () => {
      const rendered = await renderProfilesHtml(db, level, undefined, q);
      const entries: ZipEntry[] = [];
      for (const { p, html } of rendered) {
        if (q.format !== 'csv') entries.push({ name: profileFileName(p.code, p.name, 'html'), content: html });
        if (q.format !== 'html') entries.push({ name: profileFileName(p.code, p.name, 'csv'), content: profileCsv(p) });
      }
      const chunks: Buffer[] = [];
      const sink = new PassThrough();
      sink.on('data', (c: Buffer) => chunks.push(c));
      await writeZip(sink, entries);
      return { bytes: Buffer.concat(chunks), name: `profile_${level}_${rendered[0]?.p.period ?? ''}.zip` };
    });
    res.type('application/zip').attachment(zip.name).set('X-Cache', cache).send(zip.bytes);
  });

  r.get('/profile/:level/:code', async (req, res) => {
    const { level, code } = parseOr400(z.object({ level: levelKey, code: areaCode }), req.params, 'Pfadangabe');
    const q = parseOr400(ProfileQuery, req.query);
    if (q.format === 'csv') {
      const p = await buildProfile(db, level, code, q);
      res
        .type('text/csv; charset=utf-8')
        .attachment(profileFileName(p.code, p.name, 'csv'))
        .send(profileCsv(p));
      return;
    }
    if (q.format === 'csv-de' || q.format === 'xlsx') {
      const p = await buildProfile(db, level, code, q);
      const out = renderTable(q.format, profileTable(p));
      res
        .type(out.contentType)
        .attachment(profileFileName(p.code, p.name, out.extension))
        .send(out.body);
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

const q = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string' },
});
const p = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const errors = {
  400: { description: 'Ungültige Anfrage (unbekannter Zeitraum oder since, since = Zeitraum, ungültiges Format)' },
};

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const profilesPaths: Record<string, unknown> = {
  '/profile/{level}/{code}': {
    get: {
      summary: 'Sozialstruktur-Profil als druckbares HTML (A4), ?format=csv|json',
      parameters: [
        p('level', 'Ebene'),
        p('code', 'Gebietsschlüssel'),
        q('period', 'Zeitraum'),
        q('since', 'Veränderung seit'),
        q('format', 'html (Standard), csv, csv-de (Excel deutsch), xlsx, json'),
      ],
      responses: {
        200: { description: 'Profil' },
        404: { description: 'Unbekannte Ebene oder unbekanntes Gebiet' },
        ...errors,
      },
    },
  },
  '/profile/{level}.zip': {
    get: {
      summary: 'Alle Profile einer Ebene als ZIP (je Gebiet HTML und CSV)',
      parameters: [
        p('level', 'Ebene'),
        q('period', 'Zeitraum'),
        q('since', 'Veränderung seit'),
        q('format', 'both (Standard), html, csv'),
      ],
      responses: { 200: { description: 'ZIP' }, 404: { description: 'Unbekannte Ebene' }, ...errors },
    },
  },
};
