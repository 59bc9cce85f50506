/**
 * The dry run of an upload: the prepared import (prepare.ts) is run by importIndicatorTable with
 * dryRun — the same parsing, checks and upserts as the CLI inside a transaction that is rolled
 * back — collecting every problem instead of stopping at the first, plus a range check of shares.
 * Nothing is written.
 */
import type { Db } from '../../../geodata/db.js';
import { ImportError } from '../../../geodata/import/index.js';
import { importIndicatorTable } from '../../../geodata/import/indicators.js';
import type { ImportPreview, ImportProblem } from '../../api-types-imports.js';
import { prepareImport, problemOf } from './prepare.js';
import { getEntry, getUpload } from './store.js';
import { previewKindUpload } from './kinds.js';

/** Range warnings kept per preview (one file of wrong shares would otherwise list every cell). */
const MAX_RANGE_WARNINGS = 200;

/** A share column: the catalogue unit is '%', or a new column named like a share. */
const SHARE_NAME = /(anteil|quote|%)/i;

export async function previewUpload(db: Db, id: number): Promise<ImportPreview> {
  const upload = await getUpload(db, id);
  const entry = await getEntry(db, id);
  if (upload.kind !== 'indicators') return previewKindUpload(db, upload, entry);
  const prepared = await prepareImport(db, upload);
  const problems: ImportProblem[] = [...prepared.problems];
  let summary: ImportPreview['summary'] = null;
  let warnings: string[] = [];
  if (prepared.table && prepared.opts && problems.length === 0) {
    const collected: ImportError[] = [];
    const range: ImportProblem[] = [];
    const isShare = (key: string) => {
      const unit = prepared.units.get(key);
      return unit === undefined ? SHARE_NAME.test(key) : unit?.trim() === '%';
    };
    try {
      const report = await importIndicatorTable(db, upload.fileName, prepared.table, prepared.opts, undefined, {
        dryRun: true,
        problems: collected,
        inspect(o, rowNo) {
          if (o.value === null || range.length >= MAX_RANGE_WARNINGS || !isShare(o.indicator)) return;
          if (o.value > 100 || o.value < 0)
            range.push(
              problemOf(
                new ImportError(
                  `ein Anteil in % muss zwischen 0 und 100 liegen (Indikator ${o.indicator}, Gebiet ${o.code})`,
                  { file: upload.fileName, row: rowNo, field: o.indicator, value: String(o.value) },
                ),
                'warning',
              ),
            );
        },
      });
      summary = {
        total: report.total,
        added: report.added,
        replaced: report.replaced,
        newIndicators: report.newIndicators ?? [],
        periods: report.periods ?? [],
      };
      warnings = report.warnings;
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      collected.push(e); // a plan error: the file cannot be imported as set (the CLI's first message)
    }
    problems.push(...collected.map((e) => problemOf(e)), ...range);
  }
  return {
    ...entry,
    detected: prepared.detected,
    settings: {
      ...upload.settings,
      level: prepared.mapping.level ?? undefined,
      codeField: prepared.mapping.codeField ?? undefined,
      decimal: prepared.opts?.decimal,
      missing: prepared.opts?.missing,
    },
    header: prepared.header,
    rows: prepared.rows,
    mapping: prepared.mapping,
    problems,
    summary: problems.some((p) => p.severity === 'error') ? null : summary,
    warnings,
    levels: prepared.levels,
  };
}
