/**
 * From a stored upload to the import it stands for: reads the file with the importer's own reader
 * (readIndicatorTable), detects what the file says about itself, completes the user's settings with
 * proposals, and applies the column mapping. The preview (preview.ts) and the commit (commit.ts)
 * both start here, and both then run importIndicatorTable — one code path with the CLI.
 */
import type { Db } from '../../../geodata/db.js';
import { DEFAULT_MISSING, ImportError, type IndicatorImportOptions } from '../../../geodata/import/index.js';
import { readIndicatorTable } from '../../../geodata/import/indicators.js';
import type { CsvTable } from '../../../geodata/import/read-csv.js';
import type { ImportColumnMapping, ImportDetected, ImportProblem } from '../../api-types-imports.js';
import type { ImportSettings } from './schemas.js';
import {
  GERMAN_MISSING,
  detectDecimal,
  detectThousands,
  missingCodesUsed,
  proposeCodeColumn,
  proposeLevel,
} from './detect.js';

/** Levels with more areas than this are not searched when guessing the level (a grid has millions). */
const GUESS_MAX_AREAS = 20000;

/** An upload as read from the table `upload`. */
export interface StoredUpload {
  id: number;
  fileName: string;
  bytes: Uint8Array;
  settings: ImportSettings;
}

/** Everything the preview shows and the commit needs. */
export interface PreparedImport {
  /** The table with the mapped column names, or undefined when the file could not be read. */
  table?: CsvTable;
  opts?: IndicatorImportOptions;
  detected: ImportDetected | null;
  header: string[];
  rows: string[][];
  mapping: { level: string | null; codeField: string | null; period: string | null; columns: ImportColumnMapping[] };
  /** Problems found before the import runs (the file cannot be read, no level, a mapping clash). */
  problems: ImportProblem[];
  levels: { key: string; label: string }[];
  /** Catalogue units by indicator key (for the range check of the preview). */
  units: Map<string, string | null>;
}

/** An ImportError as a problem of the report, with the very message the CLI prints. */
export function problemOf(e: ImportError, severity: ImportProblem['severity'] = 'error'): ImportProblem {
  return {
    severity,
    ...(e.row === undefined ? {} : { row: e.row }),
    ...(e.field === undefined ? {} : { field: e.field }),
    ...(e.value === undefined ? {} : { value: String(e.value) }),
    message: e.message,
  };
}

export async function prepareImport(db: Db, upload: StoredUpload): Promise<PreparedImport> {
  const s = upload.settings;
  const file = upload.fileName;
  const levels = (await db.query<{ key: string; label: string }>('SELECT key, label FROM level ORDER BY key')).rows;
  const catalogue = await db.query<{ key: string; label: string; unit: string | null }>(
    'SELECT key, label, unit FROM indicator',
  );
  const units = new Map(catalogue.rows.map((r) => [r.key, r.unit]));
  const labels = new Map(catalogue.rows.map((r) => [r.key, r.label]));
  const empty: PreparedImport = {
    detected: null,
    header: [],
    rows: [],
    mapping: { level: s.level ?? null, codeField: s.codeField ?? null, period: s.period ?? null, columns: [] },
    problems: [],
    levels,
    units,
  };

  let table: CsvTable;
  let decimal = s.decimal;
  try {
    table = await readIndicatorTable(file, { ...s, decimal: decimal ?? '.' }, upload.bytes);
    if (decimal === undefined) {
      decimal = detectDecimal(valueCells(table));
      if (decimal === ',' && table.spreadsheet) table = await readIndicatorTable(file, { ...s, decimal }, upload.bytes);
    }
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    return { ...empty, problems: [problemOf(e)] };
  }
  const cells = valueCells(table);
  const sample = table.rows.slice(0, 20).map((r) => [...r]);

  const levelCodes = await levelCodeSets(db);
  const codeIndex =
    s.codeField !== undefined
      ? table.header.indexOf(s.codeField)
      : proposeCodeColumn(table.header, table.rows, levelCodes);
  const codeField = s.codeField ?? table.header[codeIndex] ?? null;
  const level =
    s.level ??
    (codeIndex >= 0
      ? proposeLevel(
          table.rows.map((r) => r[codeIndex] ?? ''),
          levelCodes,
        )
      : undefined);
  const usedMissing = missingCodesUsed(cells, [...DEFAULT_MISSING, ...GERMAN_MISSING]);
  const missing = s.missing ?? [...new Set([...DEFAULT_MISSING, ...usedMissing])];
  const detected: ImportDetected = {
    format: table.spreadsheet ? (file.toLowerCase().endsWith('.ods') ? 'ods' : 'xlsx') : 'csv',
    encoding: table.encoding,
    ...(table.spreadsheet ? {} : { delimiter: table.delimiter }),
    decimal,
    thousands: detectThousands(cells, decimal),
    headerRow: table.spreadsheet?.headerRow ?? 1,
    missing: usedMissing,
    codesAsNumbers: codeIndex >= 0 && table.spreadsheet?.numberColumns[codeIndex] === true,
  };

  const problems: ImportProblem[] = [];
  const long =
    table.header.some((h) => h.toLowerCase() === 'indicator') && table.header.some((h) => h.toLowerCase() === 'value');
  const columns: ImportColumnMapping[] = [];
  const header = [...table.header];
  if (!long) {
    const targets = new Map<string, string>();
    table.header.forEach((col, i) => {
      if (i === codeIndex) return;
      const chosen = s.columns?.[col];
      const text = isTextColumn(
        table.rows.map((r) => r[i] ?? ''),
        new Set(['', ...missing]),
        decimal,
      );
      const indicator = chosen === undefined ? (text ? null : (matchIndicator(col, labels) ?? col)) : chosen;
      if (indicator === null) {
        columns.push({ column: col, indicator: null, status: 'skipped' });
        return;
      }
      const clash = targets.get(indicator);
      if (clash !== undefined)
        problems.push({
          severity: 'error',
          field: col,
          value: indicator,
          message: `${file}, Feld "${col}": die Spalten "${clash}" und "${col}" sollen beide als Indikator ${indicator} gespeichert werden; bitte eine anders zuordnen oder weglassen`,
        });
      targets.set(indicator, col);
      header[i] = indicator;
      columns.push({
        column: col,
        indicator,
        status: labels.has(indicator) ? 'existing' : 'new',
        ...(labels.has(indicator) ? { label: labels.get(indicator)! } : {}),
      });
    });
  }
  if (!level)
    problems.push({
      severity: 'error',
      field: 'level',
      message: `${file}: keine Ebene erkannt (kein Schlüssel der Spalte "${codeField ?? ''}" passt zu einem Gebiet); bitte die Ebene wählen`,
    });

  const mapped: CsvTable = { ...table, header, rows: table.rows };
  const opts: IndicatorImportOptions = {
    level: level ?? '',
    codeField: codeField ?? '',
    ...(s.period ? { period: s.period } : {}),
    missing,
    decimal,
    ...(s.delimiter ? { delimiter: s.delimiter } : {}),
    ...(s.headerRow ? { headerRow: s.headerRow } : {}),
    // With a mapping the chosen columns are imported (text columns among them are then errors, as with --columns).
    ...(s.columns && !long ? { columns: columns.filter((c) => c.indicator !== null).map((c) => c.indicator!) } : {}),
  };
  return {
    table: mapped,
    opts,
    detected,
    header: table.header,
    rows: sample,
    mapping: { level: level ?? null, codeField, period: s.period ?? null, columns },
    problems,
    levels,
    units,
  };
}

/** Every cell of the data rows. */
function valueCells(table: CsvTable): string[] {
  return table.rows.flat();
}

/** A column whose filled cells are all non-numbers (names, labels): the import leaves it out. */
function isTextColumn(cells: string[], missing: Set<string>, decimal: '.' | ','): boolean {
  const filled = cells.map((c) => c.trim()).filter((c) => !missing.has(c));
  const num = decimal === ',' ? /^[+-]?[\d.]*,?\d+([eE][+-]?\d+)?$/ : /^[+-]?[\d]*\.?\d+([eE][+-]?\d+)?$/;
  return filled.length > 0 && filled.every((c) => !num.test(c));
}

/** An indicator whose key or label equals the column name (case-insensitive), or undefined. */
function matchIndicator(column: string, labels: Map<string, string>): string | undefined {
  if (labels.has(column)) return column;
  const lower = column.trim().toLowerCase();
  for (const [key, label] of labels)
    if (key.toLowerCase() === lower || label.trim().toLowerCase() === lower) return key;
  return undefined;
}

/** The codes of each level small enough to search (level → codes). */
async function levelCodeSets(db: Db): Promise<Map<string, Set<string>>> {
  const r = await db.query<{ level: string; code: string }>(
    `SELECT a.level, a.code FROM area a
      WHERE a.level IN (SELECT level FROM area GROUP BY level HAVING count(*) <= $1)`,
    [GUESS_MAX_AREAS],
  );
  const out = new Map<string, Set<string>>();
  for (const { level, code } of r.rows) {
    if (!out.has(level)) out.set(level, new Set());
    out.get(level)!.add(code);
  }
  return out;
}
