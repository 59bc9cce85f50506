/**
 * What may leave the service of a run's per-area results: areas hidden for the run's level and
 * period (secondary suppression, sql/007 area_suppression) take part in an analysis, but their
 * results are published nowhere — not in the stored-run reads (the *_member_public views), and not
 * in the answer of the request that made the run (API or CLI --json).
 */
import type { Queryable } from '../../geodata/db.js';

/** Codes hidden on a level at a period, for any reason. */
export async function hiddenCodes(db: Queryable, level: string, period: string): Promise<Set<string>> {
  const r = await db.query<{ code: string }>(
    'SELECT code FROM area_suppression WHERE level = $1 AND period = $2::date',
    [level, period],
  );
  return new Set(r.rows.map((x) => x.code));
}

/** The members that may be published: without the hidden areas (the input is not changed). */
export async function publishedMembers<M extends { code: string }>(
  db: Queryable,
  level: string,
  period: string,
  members: readonly M[],
): Promise<M[]> {
  const hidden = await hiddenCodes(db, level, period);
  return members.filter((m) => !hidden.has(m.code));
}
