/**
 * Reads of stored typology runs: the list (summaries), one run with its params and result, and
 * its members, each for the chosen k or another k of the run's range (k-view.ts). Runs stored
 * before migration 006 have no per-k data and offer their chosen k only.
 */
import type { Queryable } from '../../../geodata/db.js';
import { notFound } from '../../http/errors.js';
import { kViewOr400 } from './k-view.js';
import type { TypologyRunSummary } from '../../api-types.js';
export type { TypologyRunSummary };

const SUMMARY_COLUMNS = `id::text AS id, created_at AS "createdAt", level, to_char(period, 'YYYY-MM-DD') AS period, indicators,
  chosen_k AS "chosenK", n_areas AS n, fingerprint, published`;

/** A run row (SUMMARY_COLUMNS plus result.types) as the API shows it. */
function summary(row: Record<string, unknown>): TypologyRunSummary {
  const result = row.result as { types?: { type: number; label: string; size: number }[] } | undefined;
  return {
    id: Number(row.id),
    createdAt: new Date(row.createdAt as string).toISOString(),
    level: row.level as string,
    period: row.period as string,
    indicators: row.indicators as string[],
    chosenK: Number(row.chosenK),
    n: row.n === null ? null : Number(row.n),
    fingerprint: row.fingerprint as string,
    published: row.published === true,
    types: (result?.types ?? []).map((t) => ({ type: t.type, label: t.label, size: t.size })),
  };
}

/** Stored runs, newest first (by id as a number, not the text alias), optionally of one level and period; types without profiles. */
export async function listTypologies(
  db: Queryable,
  filter: { level?: string; period?: string } = {},
): Promise<TypologyRunSummary[]> {
  const r = await db.query(
    `SELECT ${SUMMARY_COLUMNS}, jsonb_build_object('types', result->'types') AS result FROM typology_run
      WHERE ($1::text IS NULL OR level = $1) AND ($2::date IS NULL OR period = $2::date)
      ORDER BY typology_run.id DESC`,
    [filter.level ?? null, filter.period ?? null],
  );
  return r.rows.map(summary);
}

/**
 * One run: summary, params and result. With k (another k of the run's range) the types in the
 * summary and in result are that k's; `k` says which k is shown, `availableK` which k can be asked
 * for. result.typesByK is left out: each k is one request away, and the default answer stays as it was.
 */
export async function getTypology(
  db: Queryable,
  id: number,
  k?: number,
): Promise<TypologyRunSummary & { k: number; availableK: number[]; params: unknown; result: unknown }> {
  const r = await db.query(`SELECT ${SUMMARY_COLUMNS}, params, result FROM typology_run WHERE id = $1`, [id]);
  if (!r.rows[0]) throw notFound(`Typisierungslauf ${id} nicht gefunden`);
  const row = r.rows[0];
  const { typesByK, ...result } = (row.result ?? {}) as Record<string, unknown> & { typesByK?: unknown };
  const view = kViewOr400(id, Number(row.chosenK), typesByK, k);
  const shownResult = view.types ? { ...result, types: view.types } : result;
  return {
    ...summary({ ...row, result: shownResult }),
    k: view.k,
    availableK: view.availableK,
    params: row.params,
    result: shownResult,
  };
}

export interface TypologyMemberRow {
  code: string;
  type: number;
  label: string | null;
  silhouette: number | null;
  stability: number | null;
  scores: number[];
}

/** Per-area types of a run, for its chosen k (default) or another stored k (stability null there: no bootstrap). */
export async function getTypologyMembers(db: Queryable, id: number, k?: number): Promise<TypologyMemberRow[]> {
  const run = await db.query<{ chosen_k: number; types_by_k: unknown }>(
    `SELECT chosen_k, ${k === undefined ? 'NULL' : "result->'typesByK'"} AS types_by_k FROM typology_run WHERE id = $1`,
    [id],
  );
  if (!run.rows[0]) throw notFound(`Typisierungslauf ${id} nicht gefunden`);
  const view = kViewOr400(id, Number(run.rows[0].chosen_k), run.rows[0].types_by_k, k);
  const r =
    view.index === null
      ? await db.query<TypologyMemberRow>(
          'SELECT code, type, label, silhouette, stability, scores FROM typology_member_public WHERE run_id = $1 ORDER BY code',
          [id],
        )
      : await db.query<TypologyMemberRow>(
          `SELECT code, type_by_k[$2] AS type, NULL::text AS label, silhouette_by_k[$2] AS silhouette, NULL::float8 AS stability, scores
             FROM typology_member_public WHERE run_id = $1 ORDER BY code`,
          [id, view.index],
        );
  const labelOf = new Map((view.types ?? []).map((t) => [t.type, t.label]));
  return r.rows.map((m) => ({
    ...m,
    type: Number(m.type),
    label: m.label ?? labelOf.get(Number(m.type)) ?? null,
    silhouette: m.silhouette === null ? null : Number(m.silhouette),
    stability: m.stability === null ? null : Number(m.stability),
    scores: (m.scores ?? []).map(Number),
  }));
}
