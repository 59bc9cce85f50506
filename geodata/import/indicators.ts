/**
 * The indicator value import (`sozialatlas import indicators`): a CSV in wide or long form into
 * `observation`, with numerators and denominators where given so that parent levels can
 * aggregate rates as Σnum/Σden. Codes stay text and coded missing values become NULL, because a
 * "-9999" or a lost leading zero would otherwise pass silently into every analysis.
 */
import type { Db, Queryable } from '../db.js';
import { ImportError } from './errors.js';
import { readCsvFile, parseCsv, requireRectangular, findColumn, type CsvTable } from './read-csv.js';
import { isSpreadsheetName, readSpreadsheet } from './read-xlsx.js';
import { decodeInput, readInputBytes, sniff } from './sniff.js';
import { parseDecimal, isIsoDate, nonFiniteReason, SUSPICIOUS_SENTINELS } from './numbers.js';
import { INDICATOR_KEY_MAX, INDICATOR_KEY_PATTERN, suggestKey } from '../../analysis/keys.js';
import { bumpDataVersion } from './versions.js';
import { recomputeValues } from '../values/recompute.js';
import type { ImportReport, IndicatorImportOptions, ProgressFn } from './types.js';

/** Problems kept when collecting (the upload preview); more are counted, not kept. */
export const MAX_COLLECTED_PROBLEMS = 1000;

/**
 * What the upload preview and the undo journal add to an import; the CLI passes none, so its
 * import throws the first problem and commits, as before. Every default is "off".
 */
export interface IndicatorImportHooks {
  /** Collect row problems (cells, codes, duplicates, short rows) here instead of throwing the first; default: throw. */
  problems?: ImportError[];
  /** Roll back at the end and answer the report of what would have been written; default false. */
  dryRun?: boolean;
  /** Called with each observation as read, after its code was checked; default none. */
  inspect?: (o: Obs, rowNo: number) => void;
  /** Called inside the transaction before each batch is written (the undo journal); default none. */
  beforeWrite?: (tx: Queryable, level: string, batch: ObservationBatch) => Promise<void>;
}

/** Thrown inside the transaction of a dry run to roll it back; carries the report out. */
class DryRunRollback {
  constructor(readonly report: ImportReport) {}
}

/** Coded missing values assumed when the caller names none: no social indicator is ever -9999. */
export const DEFAULT_MISSING = ['-9999', '-99999'];

/**
 * More new indicators than this in one import need `allowMany` (--allow-many): a wide CSV with
 * 100 000 columns would otherwise create 100 000 indicators, and every catalogue, list and
 * correlation of the application grows with them. Real catalogues have tens to a few hundred.
 */
export const MAX_NEW_INDICATORS = 500;

/** Observations per multi-row upsert. */
const OBSERVATION_BATCH_ROWS = 5000;

/** One batch of observations, column by column (cheaper than an object per value). */
export interface ObservationBatch {
  code: string[];
  indicator: string[];
  period: string[];
  value: (number | null)[];
  numerator: (number | null)[];
  denominator: (number | null)[];
}

/** Where each value of an observation comes from in a CSV row. */
interface Plan {
  format: 'wide' | 'long';
  codeIndex: number;
  /** Indicator keys this file writes (wide: from the header; long: collected from the rows). */
  keys: string[];
  /** Long format: the first data row of each key, for messages. */
  keyRows?: Map<string, number>;
  /** Long format: the column holding the key. */
  keyField?: string;
  rowsToObservations(row: string[], rowNo: number): Iterable<Obs>;
  /** Observations in the whole file, for progress. */
  total: number;
}

/** One observation as read from a row. */
export interface Obs {
  code: string;
  indicator: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

/**
 * Imports indicator values for the areas of one level from a CSV in wide form
 * (one column per indicator, one period) or long form (code, indicator, period,
 * value[, numerator, denominator]); the form is told by the header. Codes stay
 * text; coded missing values become NULL; re-importing upserts.
 */
export async function importIndicators(
  db: Db,
  file: string,
  opts: IndicatorImportOptions,
  onProgress?: ProgressFn,
): Promise<ImportReport> {
  checkIndicatorOptions(file, opts);
  const table = await readIndicatorTable(file, opts);
  return importIndicatorTable(db, file, table, opts, onProgress);
}

/**
 * The table of an indicator file: a spreadsheet when the name ends .xlsx/.xlsm/.ods (read-xlsx.ts),
 * else a CSV (sniffed and decoded, sniff.ts). `bytes` are used when given (an upload), else the
 * file is read.
 */
export async function readIndicatorTable(
  file: string,
  opts: Pick<IndicatorImportOptions, 'delimiter' | 'decimal' | 'headerRow'>,
  bytes?: Uint8Array,
): Promise<CsvTable> {
  if (isSpreadsheetName(file)) {
    const data = bytes ?? (await readInputBytes(file));
    const kind = sniff(data);
    if (kind !== 'xlsx' && kind !== 'ods')
      throw new ImportError('die Datei heißt wie eine Tabelle (XLSX/ODS), ist aber keine', { file });
    return readSpreadsheet(data, file, { decimal: opts.decimal, headerRow: opts.headerRow });
  }
  if (!bytes) return readCsvFile(file, { delimiter: opts.delimiter });
  const { text, encoding } = decodeInput(bytes, file, 'CSV');
  return parseCsv(text, file, { delimiter: opts.delimiter, encoding });
}

/** The checks of the options alone, before the file is read. */
export function checkIndicatorOptions(file: string, opts: IndicatorImportOptions): void {
  if (!opts.level) throw new ImportError('keine Ebene angegeben (--level)', { file, field: 'level' });
  if (!opts.codeField)
    throw new ImportError('keine Spalte für den Gebietsschlüssel angegeben (--code-field)', {
      file,
      field: 'codeField',
    });
  if (opts.period !== undefined && !isIsoDate(opts.period)) {
    throw new ImportError('der Stichtag muss ein Datum im Format YYYY-MM-DD sein (z. B. 2020-12-31)', {
      file,
      field: 'period',
      value: opts.period,
    });
  }
  const decimal = opts.decimal ?? '.'; // default: decimal point
  if (decimal !== '.' && decimal !== ',')
    throw new ImportError("das Dezimaltrennzeichen muss '.' oder ',' sein", { file, field: 'decimal', value: decimal });
}

/**
 * importIndicators on a table already read (readIndicatorTable): the one code path of the CLI and
 * the upload preview and commit (hooks). Plan errors (a missing column, a bad option) always throw;
 * row problems are thrown or, with hooks.problems, collected.
 */
export async function importIndicatorTable(
  db: Db,
  file: string,
  table: CsvTable,
  opts: IndicatorImportOptions,
  onProgress?: ProgressFn,
  hooks: IndicatorImportHooks = {},
): Promise<ImportReport> {
  checkIndicatorOptions(file, opts);
  const decimal = opts.decimal ?? '.'; // default: decimal point
  let overflow = 0;
  const problem = (e: ImportError): void => {
    if (!hooks.problems) throw e;
    if (hooks.problems.length < MAX_COLLECTED_PROBLEMS) hooks.problems.push(e);
    else overflow++;
  };
  requireRectangular(table, file, hooks.problems ? problem : undefined);
  const warnings: string[] = [];
  if (table.encoding === 'windows-1252') warnings.push(`${file}: kein UTF-8, als windows-1252 gelesen`);
  if (table.spreadsheet && table.spreadsheet.headerRow > 1)
    warnings.push(
      `Kopfzeile in Zeile ${table.spreadsheet.headerRow} des Blatts "${table.spreadsheet.sheet}" erkannt; die Zeilen darüber (Titel) wurden übergangen`,
    );

  // The empty cell is always missing; without --missing the MSS-style codes -9999/-99999 are.
  const missing = new Set(['', ...(opts.missing ?? DEFAULT_MISSING).map((m) => m.trim())]);
  const cell = makeCellReader(file, table, missing, decimal, warnings, hooks.problems ? problem : undefined);
  const plan = isLongFormat(table.header)
    ? planLong(file, table, opts, cell)
    : planWide(file, table, opts, cell, missing, decimal, warnings);
  requireKeyAlphabet(plan, file);

  const run = async (tx: Queryable): Promise<ImportReport> => {
    const areaCodes = await levelAreaCodes(tx, opts.level, file);
    const padTo = table.spreadsheet?.numberColumns[plan.codeIndex] ? uniformDigitLength(areaCodes) : undefined;
    let padded = 0;
    let paddedExample = '';
    const newIndicators = await ensureIndicators(tx, plan.keys, warnings, file, opts.allowMany ?? false);
    const periods = new Set<string>();
    // Every row's area code and indicator key is checked in Node against what this transaction
    // read (codes) or wrote (indicators). On PGlite the per-row foreign-key triggers of the same
    // checks cost ~80 % of the insert time (SPI in WASM), and PGlite has a single connection, so
    // nothing can delete an area in between: skip the triggers there for this transaction only.
    // On a server the checks are cheap and other sessions exist, so they stay on.
    const skipFkTriggers = db.kind === 'pglite';
    if (skipFkTriggers) await tx.query("SET LOCAL session_replication_role = 'replica'");

    let added = 0;
    let total = 0;
    const seen = new Set<string>();
    let batch = emptyBatch();
    const flush = async () => {
      if (batch.code.length === 0) return;
      await hooks.beforeWrite?.(tx, opts.level, batch);
      const r = await upsertObservations(tx, opts.level, batch);
      added += r.added;
      total += r.total;
      batch = emptyBatch();
      onProgress?.(total, plan.total);
    };
    for (let k = 0; k < table.rows.length; k++) {
      const rowNo = k + 1;
      let firstOfRow = true;
      let codeChecked = '';
      try {
        for (const o of plan.rowsToObservations(table.rows[k], rowNo)) {
          if (padTo !== undefined && !areaCodes.has(o.code) && /^\d+$/.test(o.code) && o.code.length < padTo) {
            const full = o.code.padStart(padTo, '0');
            if (areaCodes.has(full)) {
              if (codeChecked !== o.code) {
                padded++;
                if (!paddedExample) paddedExample = `${o.code} → ${full}`;
              }
              codeChecked = o.code;
              o.code = full;
            }
          }
          if (!areaCodes.has(o.code)) {
            problem(
              new ImportError(`der Schlüssel passt zu keinem Gebiet der Ebene "${opts.level}"`, {
                file,
                row: rowNo,
                field: table.header[plan.codeIndex],
                value: o.code,
              }),
            );
            break; // one message per row; the row is not written
          }
          // A wide row holds one code and distinct indicator columns, so only a repeated code can
          // duplicate; keying by code alone keeps the set at one entry per row (1.2 M keys cost ~100 MB).
          const wide = plan.format === 'wide';
          const key = wide ? o.code : `${o.code}\u0000${o.indicator}\u0000${o.period}`;
          const check = !wide || firstOfRow;
          firstOfRow = false;
          if (check && seen.has(key)) {
            problem(
              new ImportError(`doppelter Wert für Gebiet ${o.code}, Indikator ${o.indicator}, Stichtag ${o.period}`, {
                file,
                row: rowNo,
                field: table.header[plan.codeIndex],
                value: o.code,
              }),
            );
            break;
          }
          if (check) seen.add(key);
          hooks.inspect?.(o, rowNo);
          periods.add(o.period);
          batch.code.push(o.code);
          batch.indicator.push(o.indicator);
          batch.period.push(o.period);
          batch.value.push(o.value);
          batch.numerator.push(o.numerator);
          batch.denominator.push(o.denominator);
          if (batch.code.length >= OBSERVATION_BATCH_ROWS) await flush();
        }
      } catch (e) {
        if (!(e instanceof ImportError)) throw e;
        problem(e); // a row problem thrown by the plan (missing code, bad period) while collecting
      }
    }
    await flush();
    if (skipFkTriggers) await tx.query("SET LOCAL session_replication_role = 'origin'");
    if (padded > 0)
      warnings.push(
        `${padded} Gebietsschlüssel waren als Zahl gespeichert und haben ihre führenden Nullen verloren; auf ${padTo} Stellen ergänzt (z. B. ${paddedExample})`,
      );
    if (overflow > 0) warnings.push(`${overflow} weitere Probleme nicht einzeln aufgeführt`);
    const report = {
      file,
      kind: 'indicators',
      level: opts.level,
      total,
      added,
      replaced: total - added,
      repaired: [],
      warnings,
      newIndicators,
      periods: [...periods].sort(),
    } satisfies ImportReport;
    if (hooks.dryRun) throw new DryRunRollback(report);
    await bumpDataVersion(tx);
    await recomputeValues(tx); // every level, formula and suppression in the same transaction
    return report;
  };
  try {
    return await db.transaction(run);
  } catch (e) {
    if (e instanceof DryRunRollback) return e.report;
    throw e;
  }
}

/** The length of every code of the level when all are digits of one length, else undefined. */
function uniformDigitLength(codes: Set<string>): number | undefined {
  let len: number | undefined;
  for (const c of codes) {
    if (!/^\d+$/.test(c)) return undefined;
    if (len === undefined) len = c.length;
    else if (c.length !== len) return undefined;
  }
  return len;
}

type CellReader = (row: string[], rowNo: number, col: number) => number | null;

/** Reads one numeric cell: missing codes → null, anything else must be a number. */
function makeCellReader(
  file: string,
  table: CsvTable,
  missing: Set<string>,
  decimal: '.' | ',',
  warnings: string[],
  problem: (e: ImportError) => void = (e) => {
    throw e;
  },
): CellReader {
  const flagged = new Set<number>();
  return (row, rowNo, col) => {
    const text = row[col].trim();
    if (missing.has(text)) return null;
    const nonFinite = nonFiniteReason(text, decimal);
    if (nonFinite) {
      problem(new ImportError(nonFinite, { file, row: rowNo, field: table.header[col], value: row[col] }));
      return null;
    }
    const v = parseDecimal(text, decimal);
    if (v === undefined) {
      const hint = decimal === '.' && /^[+-]?\d+,\d+$/.test(text) ? " (Dezimalkomma? dann --decimal ',' angeben)" : '';
      problem(new ImportError(`keine Zahl${hint}`, { file, row: rowNo, field: table.header[col], value: row[col] }));
      return null;
    }
    if (SUSPICIOUS_SENTINELS.has(text) && !flagged.has(col)) {
      flagged.add(col);
      warnings.push(
        `Spalte "${table.header[col]}" enthält ${text}, das sieht nach einem Code für fehlende Werte aus; falls ja, --missing ${text} angeben`,
      );
    }
    return v;
  };
}

/** Long form has an 'indicator' and a 'value' column. */
function isLongFormat(header: string[]): boolean {
  return findColumn(header, 'indicator') >= 0 && findColumn(header, 'value') >= 0;
}

function requireColumn(file: string, header: string[], name: string, option: string): number {
  const i = findColumn(header, name);
  if (i < 0)
    throw new ImportError(
      `die Kopfzeile hat keine Spalte "${name}" (${option}); vorhandene Spalten: ${header.join(', ')}`,
      { file, field: name },
    );
  return i;
}

function planWide(
  file: string,
  table: CsvTable,
  opts: IndicatorImportOptions,
  cell: CellReader,
  missing: Set<string>,
  decimal: '.' | ',',
  warnings: string[],
): Plan {
  if (!opts.period) {
    throw new ImportError('eine breite Datei (eine Spalte je Indikator) braucht --period YYYY-MM-DD', {
      file,
      field: 'period',
    });
  }
  const period = opts.period;
  const header = table.header;
  const codeIndex = requireColumn(file, header, opts.codeField, '--code-field');
  const counts = opts.numeratorFor ?? {};
  // Count columns named as a numerator belong to their rate, not indicators of their own;
  // denominators (e.g. EW) usually are indicators too and stay in.
  const numeratorCols = new Set(Object.values(counts).map((c) => c.numerator));

  let columns: number[];
  if (opts.columns && opts.columns.length > 0) {
    columns = opts.columns.map((c) => requireColumn(file, header, c, '--columns'));
    if (columns.includes(codeIndex))
      throw new ImportError('die Schlüsselspalte kann keine Indikatorspalte sein', { file, field: opts.codeField });
  } else {
    // Default: every column but the code and numerators; text columns (names, labels) are skipped with a warning.
    columns = header.map((_, i) => i).filter((i) => i !== codeIndex && !numeratorCols.has(header[i]));
    columns = columns.filter((i) => {
      const values = table.rows.map((r) => r[i].trim()).filter((v) => !missing.has(v));
      if (values.length === 0) {
        warnings.push(`Spalte "${header[i]}" hat keine Werte; übersprungen`);
        return false;
      }
      // A column of numbers and NaN/Infinity/#DIV/0! is a number column with broken cells, not
      // text: it is imported, so the first such cell is reported (never skipped with rc 0).
      const nonFinite = (v: string) => nonFiniteReason(v, decimal) !== undefined;
      const numberLike = (v: string) => parseDecimal(v, decimal) !== undefined || nonFinite(v);
      if (values.some(nonFinite) && values.every(numberLike)) return true;
      if (values.every((v) => parseDecimal(v, decimal) === undefined)) {
        warnings.push(
          `Spalte "${header[i]}" enthält Text statt Zahlen; übersprungen (zum Importieren in --columns nennen)`,
        );
        return false;
      }
      return true;
    });
  }
  const countCols = new Map<number, { num: number; den: number }>();
  for (const [key, c] of Object.entries(counts)) {
    const col = findColumn(header, key);
    if (!columns.includes(col))
      throw new ImportError(`numeratorFor nennt "${key}", das ist keine Indikatorspalte`, { file, field: key });
    countCols.set(col, {
      num: requireColumn(file, header, c.numerator, 'numerator'),
      den: requireColumn(file, header, c.denominator, 'denominator'),
    });
  }
  columns = [...new Set(columns)]; // --columns S1,S1 names one indicator
  const keys = columns.map((i) => header[i]);
  return {
    format: 'wide',
    codeIndex,
    keys,
    total: table.rows.length * columns.length,
    *rowsToObservations(row, rowNo) {
      const code = row[codeIndex].trim();
      if (code === '')
        throw new ImportError('der Gebietsschlüssel fehlt', {
          file,
          row: rowNo,
          field: header[codeIndex],
          value: row[codeIndex],
        });
      for (const i of columns) {
        const c = countCols.get(i);
        yield {
          code,
          indicator: header[i],
          period,
          value: cell(row, rowNo, i),
          numerator: c ? cell(row, rowNo, c.num) : null,
          denominator: c ? cell(row, rowNo, c.den) : null,
        };
      }
    },
  };
}

function planLong(file: string, table: CsvTable, opts: IndicatorImportOptions, cell: CellReader): Plan {
  const header = table.header;
  const codeIndex = requireColumn(file, header, opts.codeField, '--code-field');
  const indIndex = findColumn(header, 'indicator');
  const valIndex = findColumn(header, 'value');
  const perIndex = findColumn(header, 'period');
  const numIndex = findColumn(header, 'numerator');
  const denIndex = findColumn(header, 'denominator');
  if (perIndex < 0 && !opts.period) {
    throw new ImportError('eine lange Datei braucht eine Spalte "period" oder --period YYYY-MM-DD', {
      file,
      field: 'period',
    });
  }
  const keys = new Set<string>();
  const keyRows = new Map<string, number>();
  table.rows.forEach((row, k) => {
    const key = row[indIndex].trim();
    if (key === '')
      throw new ImportError('der Indikatorschlüssel fehlt', {
        file,
        row: k + 1,
        field: header[indIndex],
        value: row[indIndex],
      });
    keys.add(key);
    if (!keyRows.has(key)) keyRows.set(key, k + 1);
  });
  return {
    format: 'long',
    codeIndex,
    keys: [...keys],
    keyRows,
    keyField: header[indIndex],
    total: table.rows.length,
    *rowsToObservations(row, rowNo) {
      const code = row[codeIndex].trim();
      if (code === '')
        throw new ImportError('der Gebietsschlüssel fehlt', {
          file,
          row: rowNo,
          field: header[codeIndex],
          value: row[codeIndex],
        });
      const period = perIndex >= 0 && row[perIndex].trim() !== '' ? row[perIndex].trim() : opts.period!;
      if (!period || !isIsoDate(period)) {
        throw new ImportError('der Stichtag muss ein Datum im Format YYYY-MM-DD sein (z. B. 2020-12-31)', {
          file,
          row: rowNo,
          field: header[perIndex] ?? 'period',
          value: period ?? '',
        });
      }
      yield {
        code,
        indicator: row[indIndex].trim(),
        period,
        value: cell(row, rowNo, valIndex),
        numerator: numIndex >= 0 ? cell(row, rowNo, numIndex) : null,
        denominator: denIndex >= 0 ? cell(row, rowNo, denIndex) : null,
      };
    },
  };
}

async function levelAreaCodes(tx: Queryable, level: string, file: string): Promise<Set<string>> {
  const lv = await tx.query('SELECT 1 FROM level WHERE key = $1', [level]);
  if (lv.rows.length === 0)
    throw new ImportError(`die Ebene "${level}" gibt es nicht; bitte zuerst ihre Gebiete importieren`, {
      file,
      field: 'level',
      value: level,
    });
  const r = await tx.query<{ code: string }>('SELECT code FROM area WHERE level = $1', [level]);
  return new Set(r.rows.map((x) => x.code));
}

/**
 * Every key must be readable over the API (analysis/keys.ts): a key with an umlaut or a space
 * would be stored but answer 400 on every request. The message suggests an ASCII spelling.
 */
function requireKeyAlphabet(plan: Plan, file: string): void {
  for (const key of plan.keys) {
    if (INDICATOR_KEY_PATTERN.test(key)) continue;
    throw new ImportError(keyAlphabetReason(key), {
      file,
      ...(plan.format === 'long'
        ? { row: plan.keyRows?.get(key), field: plan.keyField, value: key }
        : { field: key, value: key }),
    });
  }
}

/** Why `key` is not a valid indicator key, with a suggested spelling (also used by import meta). */
export function keyAlphabetReason(key: string): string {
  const suggestion = suggestKey(key);
  const rule =
    key.length > INDICATOR_KEY_MAX
      ? `ein Indikatorschlüssel hat höchstens ${INDICATOR_KEY_MAX} Zeichen`
      : 'ein Indikatorschlüssel darf nur Buchstaben A–Z/a–z ohne Umlaute, Ziffern, _ . und - enthalten, sonst ist er über die API nicht abrufbar';
  return `${rule}${suggestion && suggestion !== key ? `; Vorschlag: "${suggestion}"` : ''}`;
}

/** An indicator without a meta row is created with label = key, so the values are not lost; a warning says so. */
async function ensureIndicators(
  tx: Queryable,
  keys: string[],
  warnings: string[],
  file: string,
  allowMany: boolean,
): Promise<string[]> {
  const r = await tx.query<{ key: string }>('SELECT key FROM indicator WHERE key = ANY($1::text[])', [keys]);
  const known = new Set(r.rows.map((x) => x.key));
  const unknown = keys.filter((k) => !known.has(k));
  if (unknown.length === 0) return [];
  if (unknown.length > MAX_NEW_INDICATORS && !allowMany) throw tooManyIndicators(unknown, file);
  await tx.query('INSERT INTO indicator (key, label) SELECT k, k FROM unnest($1::text[]) AS t(k)', [unknown]);
  warnings.push(
    unknown.length > 1
      ? `Indikatoren ${unknown.join(', ')} hatten keine Definition; mit dem Schlüssel als Bezeichnung angelegt (mit "import meta" beschreiben)`
      : `Indikator ${unknown[0]} hatte keine Definition; mit dem Schlüssel als Bezeichnung angelegt (mit "import meta" beschreiben)`,
  );
  return unknown;
}

function emptyBatch(): ObservationBatch {
  return { code: [], indicator: [], period: [], value: [], numerator: [], denominator: [] };
}

async function upsertObservations(
  tx: Queryable,
  level: string,
  b: ObservationBatch,
): Promise<{ added: number; total: number }> {
  const r = await tx.query<{ added: number; total: number }>(
    `WITH up AS (
       INSERT INTO observation (level, code, indicator, period, value, numerator, denominator)
       SELECT $1, t.code, t.indicator, t.period::date, t.value, t.numerator, t.denominator
         FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[])
              AS t(code, indicator, period, value, numerator, denominator)
       ON CONFLICT (level, indicator, period, code) DO UPDATE
         SET value = EXCLUDED.value, numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator
       RETURNING (xmax = 0) AS added)
     SELECT count(*) FILTER (WHERE added)::int AS added, count(*)::int AS total FROM up`,
    [level, b.code, b.indicator, b.period, b.value, b.numerator, b.denominator],
  );
  return r.rows[0];
}

/** The error for more than MAX_NEW_INDICATORS new indicators without allowMany (also used by import meta). */
export function tooManyIndicators(unknown: string[], file: string): ImportError {
  const some = unknown.slice(0, 5).join(', ');
  return new ImportError(
    `die Datei würde ${unknown.length} neue Indikatoren anlegen (${some}, …); mehr als ${MAX_NEW_INDICATORS} in einem Import nur mit --allow-many. Ist die Datei vielleicht quer (Gebiete als Spalten) gespeichert?`,
    { file },
  );
}
