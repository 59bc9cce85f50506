/**
 * Editing the indicator catalogue in the UI (issue 15, part 2):
 *   GET   /api/indicators/catalogue   every indicator with its full definition (editor; includes Grunddaten)
 *   PATCH /api/indicators/{key}       label, unit, topic (Lebenslage), polarity, target and its
 *                                     direction, description, source and attribution, visibility, sort order (editor)
 * The rules are those of `sozialatlas import meta` (geodata/import/meta.ts): polarity -1/0/+1,
 * target direction max|min, visibility public|grunddaten. Kind, scale and formula shape every
 * computed value and stay with `import meta`. A change bumps the data version (cached answers).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { requireRole } from '../http/require-role.js';
import { notFound } from '../http/errors.js';
import { jsonRequestBody } from '../openapi.js';
import { INDICATOR_KEY_PATTERN, INDICATOR_KEY_RULE } from '../../analysis/keys.js';
import { bumpDataVersion } from '../../geodata/import/versions.js';

const text = (max: number) => z.string().trim().max(max).nullable().optional();

/** The editable fields; each optional (absent: unchanged), null clears an optional one. */
export const IndicatorPatch = z
  .object({
    label: z.string().trim().min(1, 'die Bezeichnung fehlt').max(200).optional(),
    unit: text(40),
    /** Lebenslage: Arbeit, Einkommen, Bildung, Wohnen, Gesundheit, Demografie, Familie, Teilhabe. */
    topic: text(80),
    /** +1: a higher value means more need; -1: less; 0: no direction. */
    polarity: z
      .union([z.literal(-1), z.literal(0), z.literal(1)], { error: 'polarity muss -1, 0 oder +1 sein' })
      .optional(),
    target: z.number().finite().nullable().optional(),
    /** 'max': the value should stay at or below the target; 'min': at or above. */
    target_direction: z
      .enum(['max', 'min'], { error: "target_direction muss 'max' oder 'min' sein" })
      .nullable()
      .optional(),
    description: text(4000),
    /** Quelle, e.g. "Amt für Statistik Berlin-Brandenburg, MSS 2021". */
    source: text(500),
    /** Nutzungsbedingungen/Namensnennung, e.g. "CC BY 3.0 DE". */
    attribution: text(500),
    /** 'grunddaten': kept out of the public catalogue, usable in formulas. */
    visibility: z
      .enum(['public', 'grunddaten'], { error: "visibility muss 'public' oder 'grunddaten' sein" })
      .optional(),
    sort_order: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'keine Änderung angegeben');
export type IndicatorPatch = z.infer<typeof IndicatorPatch>;

const KeyParam = z.object({ key: z.string().regex(INDICATOR_KEY_PATTERN, INDICATOR_KEY_RULE) });

/** Columns answered, in catalogue order. */
const FIELDS = `key, label, unit, topic, polarity, target, target_direction, description, source, attribution,
                visibility, sort_order, kind, formula`;

export function indicatorsEditRoutes(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.db;
  const write = requireRole(ctx, 'editor');

  r.get('/api/indicators/catalogue', write, async (_req, res) => {
    res.json((await db.query(`SELECT ${FIELDS} FROM indicator ORDER BY sort_order, key`)).rows);
  });
  r.patch('/api/indicators/:key', write, async (req, res) => {
    const { key } = parseOr400(KeyParam, req.params, 'Pfadangabe');
    const patch = parseOr400(IndicatorPatch, req.body ?? {}, 'Änderung');
    const entries = Object.entries(patch);
    const row = await db.transaction(async (tx) => {
      // Column names come from the schema's fixed keys, never from the request text.
      const sets = entries.map(([col], i) => `${col} = $${i + 2}`).join(', ');
      const u = await tx.query(`UPDATE indicator SET ${sets} WHERE key = $1 RETURNING ${FIELDS}`, [
        key,
        ...entries.map(([, v]) => v),
      ]);
      if (u.rows.length === 0) throw notFound(`Unbekannter Indikator: ${key}`);
      await bumpDataVersion(tx);
      return u.rows[0];
    });
    res.locals.auditDetail = { indicator: key, fields: entries.map(([col]) => col) };
    res.json(row);
  });
  return r;
}

/** OpenAPI 3.1 path items of these routes, merged into /api/openapi.json. */
export const indicatorsEditPaths: Record<string, unknown> = {
  '/api/indicators/catalogue': {
    get: {
      summary: 'Indikatorkatalog mit allen Feldern, auch Grunddaten (editor)',
      security: [{ bearer: [] }],
      responses: { 200: { description: 'Liste' }, 401: { description: 'ohne Anmeldung' } },
    },
  },
  '/api/indicators/{key}': {
    patch: {
      summary:
        'Indikator beschreiben (editor): Bezeichnung, Einheit, Lebenslage, Polarität, Zielwert, Beschreibung, Quelle, Nutzungsbedingungen, Sichtbarkeit',
      security: [{ bearer: [] }],
      parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: jsonRequestBody(IndicatorPatch),
      responses: {
        200: { description: 'geändert' },
        400: { $ref: '#/components/responses/BadRequest' },
        401: { description: 'ohne Anmeldung' },
        404: { description: 'unbekannter Indikator' },
      },
    },
  },
};
