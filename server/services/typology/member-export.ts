/**
 * The members of a typology run as a table for Excel and R (GET /api/typologies/{id}/members?format=
 * csv|csv-de|xlsx): per published area its type, the type's plain name and planners' label,
 * silhouette, stability, the population z-score of every indicator (mean and SD, ddof 0, over the
 * run's analysed areas, as in the type profiles) and the principal component scores.
 *
 * Published areas only (typology_member_public, like the JSON members): the z-scores' mean and SD
 * are the run's, computed over every analysed area, which the run's profiles already publish.
 */
import type { Queryable } from '../../../geodata/db.js';
import { typologyMembersTable, type TypologyMemberExport } from '../../../geodata/export/tables.js';
import type { ExportTable } from '../../../geodata/export/formats.js';
import { getTypologyMembers } from './reads.js';
import { getTypologyView } from './publication.js';

export async function typologyMembersExport(db: Queryable, id: number, k?: number): Promise<ExportTable> {
  const run = await getTypologyView(db, id, k);
  const members = await getTypologyMembers(db, id, run.k);
  const [values, names] = await Promise.all([
    db.query<{ code: string; indicator: string; value: number | null }>(
      `SELECT m.code, v.indicator, v.value
         FROM typology_member m
         JOIN indicator_value v ON v.level = $2 AND v.period = $3::date AND v.code = m.code AND v.indicator = ANY($4::text[])
        WHERE m.run_id = $1`,
      [id, run.level, run.period, run.indicators],
    ),
    db.query<{ code: string; name: string | null }>('SELECT code, name FROM area WHERE level = $1', [run.level]),
  ]);
  const byCode = new Map<string, Map<string, number>>();
  const sums = new Map(run.indicators.map((key) => [key, { n: 0, sum: 0, sum2: 0 }]));
  for (const r of values.rows) {
    if (r.value === null || !Number.isFinite(Number(r.value))) continue;
    const x = Number(r.value);
    let m = byCode.get(r.code);
    if (!m) byCode.set(r.code, (m = new Map()));
    m.set(r.indicator, x);
    const s = sums.get(r.indicator)!;
    s.n++;
    s.sum += x;
    s.sum2 += x * x;
  }
  const moments = new Map(
    [...sums].map(([key, s]) => {
      const mean = s.n > 0 ? s.sum / s.n : NaN;
      const sd = s.n > 0 ? Math.sqrt(Math.max(0, s.sum2 / s.n - mean * mean)) : NaN;
      return [key, { mean, sd }] as const;
    }),
  );
  const nameOf = new Map(names.rows.map((r) => [r.code, r.name]));
  const typeName = new Map(run.types.map((t) => [t.type, t.name]));
  const rows: TypologyMemberExport[] = members.map((m) => {
    const own = byCode.get(m.code);
    const z: Record<string, number | null> = {};
    for (const key of run.indicators) {
      const x = own?.get(key);
      const { mean, sd } = moments.get(key)!;
      z[key] = x === undefined || !(sd > 0) ? null : (x - mean) / sd;
    }
    return {
      code: m.code,
      name: nameOf.get(m.code) ?? null,
      type: m.type,
      typeName: typeName.get(m.type) ?? null,
      label: m.label,
      silhouette: m.silhouette,
      stability: m.stability,
      z,
      scores: m.scores,
    };
  });
  return typologyMembersTable({ id, level: run.level, period: run.period, k: run.k, indicators: run.indicators }, rows);
}
