/**
 * The indicator definition import (`sozialatlas import meta`): label, unit, topic, polarity,
 * target and the rest of each indicator's definition, from CSV or JSON. Rows are validated with
 * zod and upserted in one transaction, so one bad row changes nothing: every analysis reads
 * an indicator's direction ("higher means more need") and unit from here.
 */
import { extname } from 'node:path';
import { z } from 'zod';
import type { Db, Queryable } from '../db.js';
import {
  checkFormula,
  formulaOrder,
  formulaPointInputs,
  parseFormula,
  ratioParts,
  FormulaError,
  type CatalogKind,
  type Formula,
} from '../../analysis/formula.js';
import { ImportError } from './errors.js';
import { parseCsv, requireRectangular } from './read-csv.js';
import { parseJsonText, readTextFile } from './sniff.js';
import { keyAlphabetReason, MAX_NEW_INDICATORS, tooManyIndicators } from './indicators.js';
import { INDICATOR_KEY_PATTERN } from '../../analysis/keys.js';
import { parseDecimal } from './numbers.js';
import { bumpDataVersion } from './versions.js';
import { recomputeValues } from '../values/recompute.js';
import type { ImportReport } from './types.js';
import { DryRunRollback, transactionOrDryRun, type WriteHooks } from './dry-run.js';

/** What the upload preview and commit add (dry-run.ts); the CLI passes none. */
export interface MetaImportHooks extends Omit<WriteHooks<ImportReport>, 'beforeWrite'> {
  /** Collect the row problems here instead of throwing the first (then the first is thrown after reading). */
  problems?: ImportError[];
  /** Inside the transaction before the upsert, with the keys of the file (the undo journal). */
  beforeWrite?: (tx: Queryable, keys: string[]) => Promise<void>;
}

/** The columns of an indicator definition, in table order. */
export const META_COLUMNS = [
  'key',
  'label',
  'unit',
  'topic',
  'polarity',
  'description',
  'target',
  'target_direction',
  'kind',
  'scale',
  'numerator',
  'denominator',
  'sort_order',
  'formula',
  'visibility',
  'weight_indicator',
  'source',
  'attribution',
] as const;

/** Cells arrive as text (CSV) or JSON values; '' and null mean "not given". */
const blankToUndefined = (v: unknown) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v);
/** Accepts 1.5, "1.5", "1,5" (German CSV); blank → undefined. */
const toNumber = (v: unknown) => {
  v = blankToUndefined(v);
  if (typeof v !== 'string') return v;
  return parseDecimal(v, v.includes(',') ? ',' : '.') ?? v;
};
const toText = (v: unknown) => {
  v = blankToUndefined(v);
  return typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : v;
};
const num = z.number({ error: 'keine Zahl' }).finite();
const optionalNumber = <T extends z.ZodType>(inner: T) => z.preprocess(toNumber, inner.optional());
const optionalText = z.preprocess(toText, z.string({ error: 'kein Text' }).optional());
const requiredText = (what: string) =>
  z.preprocess(toText, z.string({ error: `${what} fehlt` }).min(1, `${what} fehlt`));

const MetaRow = z.object({
  key: requiredText('der Schlüssel (key)'),
  label: requiredText('die Bezeichnung (label)'),
  unit: optionalText,
  topic: optionalText, // Lebenslage: Arbeit, Einkommen, Bildung, Wohnen, Gesundheit, Demografie, Familie, Teilhabe
  // +1: a higher value means more need; default 0 (no direction)
  polarity: optionalNumber(
    num.pipe(z.union([z.literal(-1), z.literal(0), z.literal(1)], { error: 'polarity muss -1, 0 oder +1 sein' })),
  ),
  description: optionalText,
  target: optionalNumber(num),
  target_direction: z.preprocess(
    blankToUndefined,
    z.enum(['max', 'min'], { error: "target_direction muss 'max' oder 'min' sein" }).optional(),
  ),
  // default 'rate' (the schema's default)
  kind: z.preprocess(
    blankToUndefined,
    z
      .enum(['rate', 'count', 'mean', 'index', 'class'], {
        error: 'kind muss rate, count, mean, index oder class sein',
      })
      .optional(),
  ),
  scale: optionalNumber(num), // default 100 (percent)
  numerator: optionalText,
  denominator: optionalText,
  sort_order: optionalNumber(num.pipe(z.number().int({ error: 'sort_order muss eine ganze Zahl sein' }))), // default: row number
  formula: optionalText, // Kennzahl over count indicators, e.g. "100 * E_65 / EW"; default none (imported values)
  // 'grunddaten': a base count kept out of the public catalogue but usable in formulas; default 'public'
  visibility: z.preprocess(
    blankToUndefined,
    z.enum(['public', 'grunddaten'], { error: "visibility muss 'public' oder 'grunddaten' sein" }).optional(),
  ),
  weight_indicator: optionalText, // for kind 'mean': the count that weights the mean on parent levels
  source: optionalText, // Quelle, e.g. "Amt für Statistik Berlin-Brandenburg"; default none
  attribution: optionalText, // Nutzungsbedingungen/Namensnennung, e.g. "CC BY 3.0 DE"; default none
});
type MetaRow = z.infer<typeof MetaRow>;

/**
 * Loads indicator definitions from a CSV (delimiter ';' or ',' detected) or a
 * JSON array of objects, and upserts them by key.
 */
export async function importMeta(
  db: Db,
  file: string,
  opts: { allowMany?: boolean } = {},
  hooks: MetaImportHooks = {},
): Promise<ImportReport> {
  const warnings: string[] = [];
  const records = await readMetaRecords(file, warnings);
  const problem = (e: ImportError): void => {
    if (!hooks.problems) throw e;
    hooks.problems.push(e);
  };
  const rows: MetaRow[] = [];
  const seen = new Map<string, number>();
  records.forEach((rec, k) => {
    // Blank cells mean "not given": drop them before parsing so optional fields stay optional.
    const given = Object.fromEntries(
      Object.entries(rec as Record<string, unknown>).filter(([, v]) => blankToUndefined(v) !== undefined),
    );
    const parsed = MetaRow.safeParse(given);
    if (!parsed.success) {
      // Every field's problem of the row when collecting (the preview); the first otherwise, as before.
      for (const issue of hooks.problems ? parsed.error.issues : parsed.error.issues.slice(0, 1)) {
        const field = String(issue.path[0] ?? '');
        problem(new ImportError(issue.message, { file, row: k + 1, field, value: rec[field] ?? null }));
      }
      return;
    }
    if (!INDICATOR_KEY_PATTERN.test(parsed.data.key)) {
      return problem(
        new ImportError(keyAlphabetReason(parsed.data.key), {
          file,
          row: k + 1,
          field: 'key',
          value: parsed.data.key,
        }),
      );
    }
    const first = seen.get(parsed.data.key);
    if (first !== undefined) {
      return problem(
        new ImportError(`doppelter Schlüssel: Zeile ${first} hat denselben Schlüssel`, {
          file,
          row: k + 1,
          field: 'key',
          value: parsed.data.key,
        }),
      );
    }
    seen.set(parsed.data.key, k + 1);
    rows.push(parsed.data);
  });
  if (hooks.problems?.length) throw hooks.problems[0];
  if (rows.length === 0) throw new ImportError('die Datei enthält keine Indikator-Definitionen', { file });

  return transactionOrDryRun(db, async (tx) => {
    if (!opts.allowMany && rows.length > MAX_NEW_INDICATORS) {
      const keys = rows.map((x) => x.key);
      const known = await tx.query<{ key: string }>('SELECT key FROM indicator WHERE key = ANY($1::text[])', [keys]);
      const have = new Set(known.rows.map((x) => x.key));
      const unknown = keys.filter((x) => !have.has(x));
      if (unknown.length > MAX_NEW_INDICATORS) throw tooManyIndicators(unknown, file);
    }
    await hooks.beforeWrite?.(
      tx,
      rows.map((r) => r.key),
    );
    const col = <K extends keyof MetaRow>(k: K, dflt: (r: MetaRow, i: number) => unknown = () => null) =>
      rows.map((r, i) => r[k] ?? dflt(r, i));
    const r = await tx.query<{ added: number; total: number }>(
      `WITH up AS (
         INSERT INTO indicator (key, label, unit, topic, polarity, description, target, target_direction,
                                kind, scale, numerator, denominator, sort_order, formula, visibility, weight_indicator,
                                source, attribution)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[],
                              $7::float8[], $8::text[], $9::text[], $10::float8[], $11::text[], $12::text[], $13::int[],
                              $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
         ON CONFLICT (key) DO UPDATE SET
           label = EXCLUDED.label, unit = EXCLUDED.unit, topic = EXCLUDED.topic, polarity = EXCLUDED.polarity,
           description = EXCLUDED.description, target = EXCLUDED.target, target_direction = EXCLUDED.target_direction,
           kind = EXCLUDED.kind, scale = EXCLUDED.scale, numerator = EXCLUDED.numerator,
           denominator = EXCLUDED.denominator, sort_order = EXCLUDED.sort_order, formula = EXCLUDED.formula,
           visibility = EXCLUDED.visibility, weight_indicator = EXCLUDED.weight_indicator,
           source = EXCLUDED.source, attribution = EXCLUDED.attribution
         RETURNING (xmax = 0) AS added)
       SELECT count(*) FILTER (WHERE added)::int AS added, count(*)::int AS total FROM up`,
      [
        col('key'),
        col('label'),
        col('unit'),
        col('topic'),
        col('polarity', () => 0),
        col('description'),
        col('target'),
        col('target_direction'),
        col('kind', () => 'rate'),
        rows.map((r) => formulaScale(r) ?? r.scale ?? 100), // default 100 (percent); a quotient formula sets its own
        col('numerator'),
        col('denominator'),
        col('sort_order', (_r, i) => i + 1),
        col('formula'),
        col('visibility', () => 'public'),
        col('weight_indicator'),
        col('source'),
        col('attribution'),
      ],
    );
    await checkCatalogFormulas(tx, file, rows, seen);
    await bumpDataVersion(tx);
    // every level, formula and suppression in the same transaction; its notes on point inputs join the report
    const recompute = await recomputeValues(tx);
    warnings.push(...recompute.pointWarnings);
    const { added, total } = r.rows[0];
    const report = {
      file,
      kind: 'meta',
      total,
      added,
      replaced: total - added,
      repaired: [],
      warnings,
    } satisfies ImportReport;
    if (hooks.dryRun) throw new DryRunRollback(report);
    await hooks.afterWrite?.(tx, report);
    return report;
  });
}

/** The scale of a quotient formula (`100 * A / B` → 100), so that Σnum/Σden aggregates give the formula's value. */
function formulaScale(row: MetaRow): number | undefined {
  if (!row.formula) return undefined;
  try {
    return ratioParts(parseFormula(row.formula))?.scale;
  } catch {
    return undefined; // reported with its position by checkCatalogFormulas
  }
}

/**
 * Checks every formula of the file against the whole catalog after the upsert (so a formula may
 * name an indicator defined further down or already stored): syntax, unknown keys, inputs that are
 * not counts, constant division by zero, cycles, and a mean without a count as weight. The error
 * names the file, the row, the formula and the position; the transaction then rolls back.
 */
async function checkCatalogFormulas(
  tx: Queryable,
  file: string,
  rows: MetaRow[],
  rowOf: Map<string, number>,
): Promise<void> {
  const all = (
    await tx.query<{ key: string; kind: CatalogKind; formula: string | null }>(
      'SELECT key, kind, formula FROM indicator',
    )
  ).rows;
  const catalog = new Map(all.map((r) => [r.key, { kind: r.kind, formula: r.formula }]));
  const fail = (key: string, field: string, value: unknown, e: unknown): never => {
    throw new ImportError(e instanceof Error ? e.message : String(e), {
      file,
      row: rowOf.get(key),
      field,
      value: value ?? null,
    });
  };
  const parsed = new Map<string, Formula>();
  for (const r of all) {
    if (!r.formula) continue;
    try {
      const f = parseFormula(r.formula);
      checkFormula(f, catalog);
      parsed.set(r.key, f);
    } catch (e) {
      fail(r.key, 'formula', r.formula, e);
    }
  }
  try {
    formulaOrder(parsed);
  } catch (e) {
    const key = e instanceof FormulaError && e.key ? e.key : rows[0].key;
    fail(rowOf.has(key) ? key : rows[0].key, 'formula', catalog.get(key)?.formula, e);
  }
  // The file's own formulas read point layers and fields that must exist now (stored formulas are
  // not re-checked: a layer re-imported without a field is a warning of the recompute instead).
  const pointFormulas = rows.filter(
    (r) => r.formula && parsed.has(r.key) && formulaPointInputs(parsed.get(r.key)!).length,
  );
  if (pointFormulas.length > 0) {
    const pointLayers = await storedPointLayers(tx);
    for (const r of pointFormulas) {
      try {
        checkFormula(parsed.get(r.key)!, catalog, { pointLayers });
      } catch (e) {
        fail(r.key, 'formula', r.formula, e);
      }
    }
  }
  for (const r of rows) {
    if (r.kind !== 'mean') continue;
    const weight = r.weight_indicator ? catalog.get(r.weight_indicator) : undefined;
    if (!weight || weight.kind !== 'count') {
      fail(
        r.key,
        'weight_indicator',
        r.weight_indicator,
        'ein Mittelwert (kind mean) braucht als weight_indicator einen Zähl-Indikator (kind count)',
      );
    }
  }
}

/** Every point layer with the attribute names its points have in any stand. */
async function storedPointLayers(tx: Queryable): Promise<Map<string, Set<string>>> {
  const r = await tx.query<{ key: string; fields: string[] | null }>(
    `SELECT l.key, (SELECT array_agg(DISTINCT k) FROM point_feature f, jsonb_object_keys(f.attrs) k
                     WHERE f.layer = l.key) AS fields
       FROM (SELECT DISTINCT key FROM point_layer) l`,
  );
  return new Map(r.rows.map((l) => [l.key, new Set(l.fields ?? [])]));
}

/** Records as objects keyed by lower-case column name; unknown columns are reported and ignored. */
export async function readMetaRecords(file: string, warnings: string[]): Promise<Record<string, unknown>[]> {
  const { text } = await readTextFile(file, extname(file).toLowerCase() === '.json' ? 'JSON' : 'CSV');
  let records: Record<string, unknown>[];
  if (extname(file).toLowerCase() === '.json' || /^\s*\[/.test(text)) {
    const doc = parseJsonText(text, file, 'JSON', (p) => ({ row: typeof p[0] === 'number' ? p[0] + 1 : undefined }));
    if (!Array.isArray(doc)) throw new ImportError('erwartet wird ein JSON-Array mit Indikator-Definitionen', { file });
    records = doc.map((d, k) => {
      if (typeof d !== 'object' || d === null || Array.isArray(d)) {
        throw new ImportError('erwartet wird ein JSON-Objekt', { file, row: k + 1, value: d });
      }
      return Object.fromEntries(Object.entries(d).map(([key, v]) => [key.toLowerCase(), v]));
    });
  } else {
    const table = parseCsv(text, file);
    requireRectangular(table, file);
    const header = table.header.map((h) => h.toLowerCase());
    records = table.rows.map((row) => Object.fromEntries(header.map((h, j) => [h, row[j]])));
  }
  const known = new Set<string>(META_COLUMNS);
  const extra = new Set(records.flatMap((r) => Object.keys(r)).filter((k) => !known.has(k)));
  if (extra.size > 0) warnings.push(`${file}: unbekannte Spalten ignoriert: ${[...extra].join(', ')}`);
  if (records.length > 0 && !('key' in records[0])) {
    throw new ImportError(`keine Spalte "key"; erwartet werden die Spalten ${META_COLUMNS.join(', ')}`, {
      file,
      field: 'key',
    });
  }
  return records;
}
