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
    // Arrays keep their JSON order (WITH ORDINALITY): type_by_k[i] belongs to result.byK[i].
    await tx.query(
      `INSERT INTO typology_member (run_id, code, type, label, silhouette, stability, scores, type_by_k, silhouette_by_k)
       SELECT $1::bigint, m.code, m.type, m.label, m.silhouette, m.stability,
              ARRAY(SELECT x.v::float8 FROM jsonb_array_elements_text(m.scores) WITH ORDINALITY AS x(v, i) ORDER BY x.i),
              ARRAY(SELECT x.v::int FROM jsonb_array_elements_text(m."typeByK") WITH ORDINALITY AS x(v, i) ORDER BY x.i),
              ARRAY(SELECT x.v::float8 FROM jsonb_array_elements_text(m."silhouetteByK") WITH ORDINALITY AS x(v, i) ORDER BY x.i)
         FROM jsonb_to_recordset($2::jsonb)
           AS m(code text, type int, label text, silhouette float8, stability float8, scores jsonb, "typeByK" jsonb, "silhouetteByK" jsonb)`,
      [id, JSON.stringify(members.map((m) => ({ ...m, label: labelOf.get(m.type) ?? null })))],
    );
    return { id, createdAt: new Date(run.rows[0].created_at).toISOString() };
  });
}

/** Deletes a run and (by cascade) its members; 404 when there is none. */
export async function deleteTypology(db: Queryable, id: number): Promise<void> {
  const r = await db.query('DELETE FROM typology_run WHERE id = $1 RETURNING id', [id]);
  if (!r.rows[0]) throw notFound(`Typisierungslauf ${id} nicht gefunden`);
}
