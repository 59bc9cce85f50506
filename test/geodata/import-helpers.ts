import { fileURLToPath } from 'node:url';
import type { Db } from '../../geodata/db.js';

/** Absolute path of a file in test/fixtures/import. */
export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

/** Everything an import can change; compared before and after a failed import. */
export async function snapshot(db: Db): Promise<Record<string, unknown>> {
  const one = async (sql: string) => (await db.query<{ v: unknown }>(sql)).rows[0].v;
  return {
    levels: await one('SELECT count(*)::int AS v FROM level'),
    levelVersions: await one(
      "SELECT coalesce(string_agg(key || ':' || geometry_version || ':' || coalesce(parent_level, '-'), ',' ORDER BY key), '') AS v FROM level",
    ),
    areas: await one('SELECT count(*)::int AS v FROM area'),
    indicators: await one('SELECT count(*)::int AS v FROM indicator'),
    observations: await one('SELECT count(*)::int AS v FROM observation'),
    observationSum: await one('SELECT coalesce(sum(value), 0)::float8 AS v FROM observation'),
    dataVersion: await one('SELECT version::int AS v FROM data_version'),
  };
}
