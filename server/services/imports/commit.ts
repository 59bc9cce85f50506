/**
 * Committing an upload: the prepared import (prepare.ts) runs through importIndicatorTable, the
 * CLI's code path, in ONE transaction with the undo journal (upload_observation: every row's
 * value before and after) and the new status. The first problem aborts it, as in the CLI; nothing
 * is written then.
 */
import type { Db, Queryable } from '../../../geodata/db.js';
import { ImportError } from '../../../geodata/import/index.js';
import { importIndicatorTable, type ObservationBatch } from '../../../geodata/import/indicators.js';
import { inOneTransaction } from '../../../geodata/one-transaction.js';
import { HttpError, badRequest } from '../../http/errors.js';
import type { ImportCommitResult } from '../../api-types-imports.js';
import { prepareImport } from './prepare.js';
import { alreadyDone, getEntry, getUpload } from './store.js';
import { commitKindUpload } from './kinds.js';

export async function commitUpload(db: Db, id: number, actor: string): Promise<ImportCommitResult> {
  const upload = await getUpload(db, id);
  if (upload.status !== 'preview') throw alreadyDone(id, upload.status);
  if (upload.kind !== 'indicators') return commitKindUpload(db, id, upload, actor);
  const prepared = await prepareImport(db, upload);
  const first = prepared.problems[0];
  if (first || !prepared.table || !prepared.opts)
    throw badRequest(`Der Import kann so nicht übernommen werden: ${first?.message ?? 'die Datei ist nicht lesbar'}`, {
      problems: prepared.problems,
    });
  const { table, opts } = prepared;
  try {
    return await inOneTransaction(db, async (tx) => {
      // Re-checked inside the transaction: two commits of the same upload must not both run.
      const lock = await tx.query<{ status: string }>('SELECT status FROM upload WHERE id = $1 FOR UPDATE', [id]);
      if (lock.rows[0]?.status !== 'preview') throw alreadyDone(id, lock.rows[0]?.status ?? 'undone');
      const report = await importIndicatorTable(tx, upload.fileName, table, opts, undefined, {
        beforeWrite: (q, level, batch) => journal(q, id, level, batch),
      });
      await tx.query(
        `UPDATE upload_observation u
            SET new_value = o.value, new_numerator = o.numerator, new_denominator = o.denominator
           FROM observation o
          WHERE u.upload = $1 AND o.level = u.level AND o.indicator = u.indicator
            AND o.period = u.period AND o.code = u.code`,
        [id],
      );
      if (report.newIndicators?.length)
        await tx.query('INSERT INTO upload_indicator (upload, indicator) SELECT $1, unnest($2::text[])', [
          id,
          report.newIndicators,
        ]);
      await tx.query(
        `UPDATE upload SET status = 'committed', committed = now(), committed_by = $2, report = $3::jsonb,
                settings = $4::jsonb WHERE id = $1`,
        [
          id,
          actor,
          JSON.stringify(report),
          JSON.stringify({ ...upload.settings, level: opts.level, codeField: opts.codeField }),
        ],
      );
      return {
        entry: await getEntry(tx, id),
        report: {
          file: report.file,
          level: report.level,
          total: report.total,
          added: report.added,
          replaced: report.replaced,
          warnings: report.warnings,
          newIndicators: report.newIndicators,
          periods: report.periods,
        },
      };
    });
  } catch (e) {
    if (e instanceof ImportError) throw badRequest(e.message, { row: e.row ?? null, field: e.field ?? null });
    if (e instanceof HttpError) throw e;
    throw e;
  }
}

/** Records, before a batch is written, whether each row existed and its values then. */
async function journal(tx: Queryable, id: number, level: string, b: ObservationBatch): Promise<void> {
  await tx.query(
    `INSERT INTO upload_observation
       (upload, level, indicator, period, code, existed, old_value, old_numerator, old_denominator)
     SELECT $1, $2, t.indicator, t.period::date, t.code, o.code IS NOT NULL, o.value, o.numerator, o.denominator
       FROM unnest($3::text[], $4::text[], $5::text[]) AS t(code, indicator, period)
       LEFT JOIN observation o
         ON o.level = $2 AND o.indicator = t.indicator AND o.period = t.period::date AND o.code = t.code
     ON CONFLICT DO NOTHING`,
    [id, level, b.code, b.indicator, b.period],
  );
}
