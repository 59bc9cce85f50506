/**
 * The request schemas of the upload API (routes/imports.ts), defined once: the settings a user can
 * change between previews, the query of POST /api/imports and the path id. The route validates
 * with them, the OpenAPI document shows them, and the CLI (--server) sends the same fields.
 */
import { z } from 'zod';
import { INDICATOR_KEY_MAX } from '../../../analysis/keys.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format YYYY-MM-DD erwartet');
const column = z.string().min(1).max(200);

/** What the user may set for an upload (the CLI's flags of its kind); every field optional (default: detected or proposed). */
export const ImportSettings = z
  .object({
    /** Level key of the areas; default: the level whose codes match the code column best. */
    level: z.string().min(1).max(64).optional(),
    /** Column with the area code; default: the column whose values match area codes best. */
    codeField: column.optional(),
    /** Period (YYYY-MM-DD) of a wide file; default: a period column, else none (the preview asks). */
    period: isoDate.optional(),
    /** Decimal mark; default: detected from the cells. */
    decimal: z.enum(['.', ',']).optional(),
    /** Field delimiter of a CSV; default: detected from the header line. */
    delimiter: z.string().length(1).optional(),
    /** Coded missing values; default: the CLI's (-9999, -99999) plus –, ., x, - when the file uses them. */
    missing: z.array(z.string().max(20)).max(50).optional(),
    /** Spreadsheets: 1-based row of the header; default: detected (a title row above is skipped). */
    headerRow: z.number().int().min(1).max(1000).optional(),
    /**
     * Wide files: value column → indicator key it is stored as (an existing one or a new key), or
     * null to leave the column out; default: every number column under its own name.
     */
    columns: z
      .record(column, z.string().min(1).max(INDICATOR_KEY_MAX).nullable())
      .optional()
      .refine((m) => m === undefined || Object.keys(m).length <= 2000, 'höchstens 2000 Spalten'),
    // Areas (the flags of `sozialatlas import areas`); level and codeField above are shared.
    /** Label of a new level (--level-label); default: the key. */
    levelLabel: z.string().min(1).max(200).optional(),
    /** Attribute with the area name (--name-field); default: a field called name/Name/…, else none. */
    nameField: column.optional(),
    /** Parent level (--parent-level), with parentField or parentCodePrefix; default none. */
    parentLevel: z.string().min(1).max(64).optional(),
    parentField: column.optional(),
    parentCodePrefix: z.number().int().min(1).max(40).optional(),
    /** EPSG code overriding the file's (--srid); default: the file's own. */
    srid: z.number().int().min(1).max(999999).optional(),
    /** Re-import: first day the new geometries apply (--valid-from); default as the CLI. */
    validFrom: isoDate.optional(),
    // Point layers (`sozialatlas import points`); the stand is `period` above.
    /** Layer key (--layer); default: derived from the file name. */
    layer: z.string().min(1).max(64).optional(),
    /** Legend label (--label); default: the key. */
    label: z.string().min(1).max(200).optional(),
    /** Attribute with a unique id (--id-field); default: a field called id, else running numbers. */
    idField: column.optional(),
    /** Address template (--address), e.g. "{strasse} {hnr}, {plz} Berlin"; default none. */
    address: z.string().min(1).max(500).optional(),
    /** Source and licence line (--attribution); default none. */
    attribution: z.string().min(1).max(500).optional(),
    /** Indicator values and metadata: more than 500 new indicators (--allow-many); default false. */
    allowMany: z.boolean().optional(),
  })
  .strict();
export type ImportSettings = z.infer<typeof ImportSettings>;

/** Query of POST /api/imports: the file name (the body is the file itself) and first settings. */
export const UploadQuery = z
  .object({
    name: z
      .string()
      .min(1)
      .max(255)
      .refine(
        (n) => !/[/\\]/.test(n) && ![...n].some((ch) => ch.charCodeAt(0) < 0x20),
        'Dateiname ohne Pfad und Steuerzeichen',
      )
      .describe('Dateiname (z. B. sozialdaten.csv oder tabelle.xlsx)'),
    kind: z
      .enum(['indicators', 'areas', 'points', 'meta'])
      .default('indicators')
      .describe(
        'Art der Daten: Indikatorwerte, Gebiete, Punktdaten oder Indikator-Metadaten; Standard: Indikatorwerte',
      ),
    level: z.string().min(1).max(64).optional().describe('Ebene; Standard: erkannt'),
    codeField: column.optional().describe('Spalte mit dem Gebietsschlüssel; Standard: erkannt'),
    period: isoDate.optional().describe('Stichtag YYYY-MM-DD einer breiten Datei; Stand eines Punktlayers'),
    layer: z.string().min(1).max(64).optional().describe('Punktlayer: Schlüssel; Standard: aus dem Dateinamen'),
  })
  .strict();

/** Path id of /api/imports/{id}. */
export const ImportId = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1),
});
