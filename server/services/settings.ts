/**
 * The settings the value engine reads from the `setting` table (sql/001, sql/007): the
 * confidentiality threshold (residents) and the coverage threshold (percent of the children's
 * population below which an aggregated parent value is flagged incomplete). One schema for the
 * API (PUT /api/settings), the environment (SOZIALATLAS_*_THRESHOLD) and the CLI; a change
 * recomputes the read model at once, in the same transaction.
 */
import { z } from 'zod';
import type { Db, Queryable } from '../../geodata/db.js';
import { recomputeValues } from '../../geodata/values/recompute.js';

/** Defaults as migrations 001 and 007 store them. */
export const SETTING_DEFAULTS = {
  /** Areas with fewer residents are hidden (primary suppression). */
  suppressionThreshold: 300,
  /** Percent of the children's population an aggregate must cover not to be flagged incomplete. */
  coverageThreshold: 90,
} as const;

export const SettingsBody = z
  .object({
    suppressionThreshold: z
      .number()
      .int('suppressionThreshold muss eine ganze Zahl sein')
      .min(0, 'suppressionThreshold muss ≥ 0 sein')
      .optional(),
    coverageThreshold: z
      .number()
      .min(0, 'coverageThreshold muss zwischen 0 und 100 liegen')
      .max(100, 'coverageThreshold muss zwischen 0 und 100 liegen')
      .optional(),
  })
  .strict();
export type SettingsBody = z.infer<typeof SettingsBody>;

export interface Settings {
  suppressionThreshold: number;
  coverageThreshold: number;
}

const KEYS = { suppressionThreshold: 'suppression_threshold', coverageThreshold: 'coverage_threshold' } as const;

export async function readSettings(db: Queryable): Promise<Settings> {
  const r = await db.query<{ key: string; value: string }>('SELECT key, value FROM setting WHERE key = ANY($1)', [
    Object.values(KEYS),
  ]);
  const byKey = new Map(r.rows.map((x) => [x.key, Number(x.value)]));
  return {
    suppressionThreshold: byKey.get(KEYS.suppressionThreshold) ?? SETTING_DEFAULTS.suppressionThreshold,
    coverageThreshold: byKey.get(KEYS.coverageThreshold) ?? SETTING_DEFAULTS.coverageThreshold,
  };
}

/** Stores the given settings and recomputes the read model (suppression and flags follow at once). */
export async function writeSettings(db: Db, body: SettingsBody): Promise<Settings> {
  await db.transaction(async (tx) => {
    for (const [name, key] of Object.entries(KEYS) as [keyof SettingsBody, string][]) {
      const value = body[name];
      if (value === undefined) continue;
      await tx.query(
        'INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
        [key, String(value)],
      );
    }
    await tx.query('UPDATE data_version SET version = version + 1, changed_at = now() WHERE id = 1');
    await recomputeValues(tx);
  });
  return readSettings(db);
}
