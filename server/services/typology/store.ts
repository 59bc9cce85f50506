/**
 * Writes of typology runs: a finished run into typology_run (params with every default, data
 * fingerprint, result without members) and typology_member (one row per area, with its type and
 * silhouette for every k of the range), in one transaction; and deleting a run.
 */
import type { Db, Queryable } from '../../../geodata/db.js';
import type { TypologyResult } from '../../../analysis/typology.js';
import { notFound } from '../../http/errors.js';
import type { TypologyRequest } from './request.js';
import type { LoadedInput } from './matrix.js';

/** A number for a float8 parameter: NaN and ±Infinity travel as null, like JSON.stringify made them. */
const finiteOrNull = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x;

/**
 * A PostgreSQL array literal of numbers ('{1,2.5,NULL}'): what JSON.stringify wrote before (non-finite
 * and missing values as NULL), read back exactly (JavaScript prints the shortest round-trip decimal).
 */
function arrayLiteral(xs: readonly (number | null | undefined)[]): string {
  return `{${xs.map((x) => (x === null || x === undefined || !Number.isFinite(x) ? 'NULL' : String(x))).join(',')}}`;
}

/** Stores a finished run; returns its id. */
export async function storeRun(
  db: Db,
  req: TypologyRequest,
  fingerprint: string,
  result: TypologyResult,
  excluded: LoadedInput['excluded'],
): Promise<{ id: number; createdAt: string }> {
  const { members, ...rest } = result;
  const stored = { ...rest, dropped: [...excluded, ...result.dropped] };
  return db.transaction(async (tx) => {
    const run = await tx.query<{ id: string; created_at: string | Date }>(
      `INSERT INTO typology_run (level, period, params, fingerprint, chosen_k, result, indicators, n_areas)
       VALUES ($1, $2::date, $3::jsonb, $4, $5, $6::jsonb, $7::text[], $8) RETURNING id::text, created_at`,
      [
        req.level,
        req.period,
        JSON.stringify(req),
        fingerprint,
        result.chosenK,
        JSON.stringify(stored),
        req.indicators,
        result.n,
      ],
    );
    const id = Number(run.rows[0].id);
    const labelOf = new Map(result.types.map((t) => [t.type, t.label]));
    // One multi-row INSERT from parallel arrays (unnest), no JSON: each member's per-k arrays
    // travel as PostgreSQL array literals in a text[] and are cast per row (order kept).
    const withLabels = members.map((m) => ({ ...m, label: labelOf.get(m.type) ?? null }));
    await tx.query(
      `INSERT INTO typology_member (run_id, code, type, label, silhouette, stability, scores, type_by_k, silhouette_by_k)
       SELECT $1::bigint, m.code, m.type, m.label, m.silhouette, m.stability,
              m.scores::float8[], m.type_by_k::int[], m.silhouette_by_k::float8[]
         FROM unnest($2::text[], $3::int[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::text[], $9::text[])
           AS m(code, type, label, silhouette, stability, scores, type_by_k, silhouette_by_k)`,
      [
        id,
        withLabels.map((m) => m.code),
        withLabels.map((m) => m.type),
        withLabels.map((m) => m.label),
        withLabels.map((m) => finiteOrNull(m.silhouette)),
        withLabels.map((m) => finiteOrNull(m.stability)),
        withLabels.map((m) => arrayLiteral(m.scores)),
        withLabels.map((m) => arrayLiteral(m.typeByK)),
        withLabels.map((m) => arrayLiteral(m.silhouetteByK)),
      ],
    );
    return { id, createdAt: new Date(run.rows[0].created_at).toISOString() };
  });
}

/** Deletes a run and (by cascade) its members; 404 when there is none. */
export async function deleteTypology(db: Queryable, id: number): Promise<void> {
  const r = await db.query('DELETE FROM typology_run WHERE id = $1 RETURNING id', [id]);
  if (!r.rows[0]) throw notFound(`Typisierungslauf ${id} nicht gefunden`);
}
