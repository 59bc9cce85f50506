/**
 * Typology and hotspot runs written straight into their tables, for tile tests that need a run
 * with known members but not the statistics behind it (the services are tested elsewhere).
 * Members cover every area of the sample's 'plr' level with a type or class cycling by code; the
 * runs are of 31.12.2020, so readers publish them without the 10 areas hidden then (5 below the
 * population threshold, 5 hidden to protect them): 532 members in tiles and GET …/members.
 */
import type { Queryable } from '../../geodata/db.js';

/** A run with k types: type = 1 + (row number by code) mod k, label 'Typ n'. */
export async function insertTypologyRun(db: Queryable, k: number): Promise<number> {
  const run = await db.query<{ id: string }>(
    `INSERT INTO typology_run (level, period, params, fingerprint, chosen_k, result)
     VALUES ('plr', '2020-12-31', $1::jsonb, 'test', $2, '{}'::jsonb) RETURNING id::text`,
    [JSON.stringify({ k }), k],
  );
  const id = Number(run.rows[0].id);
  await db.query(
    `INSERT INTO typology_member (run_id, code, type, label, silhouette, stability)
     SELECT $1, code, 1 + (row_number() OVER (ORDER BY code))::int % $2, 'Typ ' || (1 + (row_number() OVER (ORDER BY code))::int % $2), 0.25, 0.9
       FROM area WHERE level = 'plr'`,
    [id, k],
  );
  return id;
}

/** A hotspot run of S4 with class = (row number by code) mod 7 − 3, Gi z 1.5, quadrant HH. */
export async function insertHotspotRun(db: Queryable): Promise<number> {
  const run = await db.query<{ id: string }>(
    `INSERT INTO hotspot_run (level, period, indicator, params, fingerprint, result)
     VALUES ('plr', '2020-12-31', 'S4', '{}'::jsonb, 'test', '{}'::jsonb) RETURNING id::text`,
  );
  const id = Number(run.rows[0].id);
  await db.query(
    `INSERT INTO hotspot_member (run_id, code, neighbours, class, gi_z, quadrant)
     SELECT $1, code, 4, (row_number() OVER (ORDER BY code))::int % 7 - 3, 1.5, 'HH' FROM area WHERE level = 'plr'`,
    [id],
  );
  return id;
}
