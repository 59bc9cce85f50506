/**
 * The published typology (issue 14, item 1; migration 010): an editor publishes at most one run per
 * level, which planning and counselling show; every other run stays in the research view. Each type
 * of a run gets a plain name and description: stored in typology_type_text once a person has
 * edited them, otherwise suggested from the type's profile (analysis/type-plain-name.ts).
 *
 *   setPublished        PUT /api/typologies/{id}/published: one transaction; publishing a run
 *                       unpublishes the level's other run (a partial unique index keeps it one)
 *   getTypologyView     GET /api/typologies/{id}: the run (reads.ts) with its types' texts and need ranks
 *   getPublishedTypology GET /api/typologies/published?level=L: the same for the level's published run
 *   saveTypeTexts       PUT /api/typologies/{id}/types
 *
 * Members of a published run are read through typology_member_public like every other run's.
 */
import { z } from 'zod';
import type { Db, Queryable } from '../../../geodata/db.js';
import type { TypologyType } from '../../../analysis/typology.js';
import { needRanks, plainTypeTexts } from '../../../analysis/type-plain-name.js';
import type { TypologyPublishResult, TypologyRunView, TypologyRunViewType, TypologyTypeText } from '../../api-types.js';
import { badRequest, notFound } from '../../http/errors.js';
import { requireLevel } from '../catalog.js';
import { getTypology } from './reads.js';
import { kViewOr400, typeKParam } from './k-view.js';

/** Body of PUT /api/typologies/{id}/published. */
export const publishRequestSchema = z.strictObject({
  published: z.boolean({ error: 'published muss true oder false sein' }),
});

/** Bounds of an edited type text (also checked by the table, sql/010). */
export const TYPE_NAME_MAX = 120;
export const TYPE_DESCRIPTION_MAX = 1000;

/** Body of PUT /api/typologies/{id}/types: names and plain descriptions of the types of k (default the chosen k). */
export const typeTextsRequestSchema = z.strictObject({
  k: typeKParam.optional().describe('k, zu dem die Typen gehören; Standard: das gewählte k des Laufs'),
  editedBy: z.string().trim().max(80).optional().describe('wer die Texte bearbeitet hat (frei, optional)'),
  types: z
    .array(
      z.strictObject({
        type: z.number().int().min(1).max(99),
        name: z
          .string()
          .trim()
          .min(1, 'Name darf nicht leer sein')
          .max(TYPE_NAME_MAX, `Name höchstens ${TYPE_NAME_MAX} Zeichen`),
        description: z
          .string()
          .trim()
          .max(TYPE_DESCRIPTION_MAX, `Beschreibung höchstens ${TYPE_DESCRIPTION_MAX} Zeichen`)
          .default(''),
      }),
    )
    .min(1, 'mindestens ein Typ')
    .max(99),
});
export type TypeTextsRequest = z.infer<typeof typeTextsRequestSchema>;

/**
 * Publishes or unpublishes a run. Publishing locks the level's runs (FOR UPDATE), so two editors
 * publishing at once wait for each other instead of colliding on the unique index.
 */
export async function setPublished(db: Db, id: number, published: boolean): Promise<TypologyPublishResult> {
  return db.transaction(async (tx) => {
    const run = await tx.query<{ level: string }>('SELECT level FROM typology_run WHERE id = $1', [id]);
    if (!run.rows[0]) throw notFound(`Typisierungslauf ${id} nicht gefunden`);
    const level = run.rows[0].level;
    if (!published) {
      await tx.query('UPDATE typology_run SET published = false, published_at = NULL WHERE id = $1', [id]);
      return { id, level, published: false, unpublished: null };
    }
    await tx.query('SELECT id FROM typology_run WHERE level = $1 ORDER BY id FOR UPDATE', [level]);
    const before = await tx.query<{ id: string }>(
      'UPDATE typology_run SET published = false, published_at = NULL WHERE level = $1 AND published AND id <> $2 RETURNING id::text',
      [level, id],
    );
    await tx.query('UPDATE typology_run SET published = true, published_at = now() WHERE id = $1 AND NOT published', [
      id,
    ]);
    return { id, level, published: true, unpublished: before.rows[0] ? Number(before.rows[0].id) : null };
  });
}

/** The id of the level's published run, or null. */
export async function publishedRunId(db: Queryable, level: string): Promise<number | null> {
  const r = await db.query<{ id: string }>('SELECT id::text FROM typology_run WHERE level = $1 AND published', [level]);
  return r.rows[0] ? Number(r.rows[0].id) : null;
}

/** Names, descriptions and need ranks of the types of one k of a run: edited where stored, suggested otherwise. */
export async function typeTexts(
  db: Queryable,
  runId: number,
  k: number,
  indicators: readonly string[],
  types: readonly TypologyType[],
): Promise<TypologyTypeText[]> {
  const [stored, meta] = await Promise.all([
    db.query<{ type: number; name: string; description: string }>(
      'SELECT type, name, description FROM typology_type_text WHERE run_id = $1 AND k = $2',
      [runId, k],
    ),
    db.query<{ key: string; label: string }>('SELECT key, label FROM indicator WHERE key = ANY($1::text[])', [
      indicators,
    ]),
  ]);
  const labelOf = new Map(meta.rows.map((m) => [m.key, m.label]));
  const suggested = plainTypeTexts(
    types.map((t) => ({ type: t.type, meanZ: t.profile?.meanZ ?? {} })),
    indicators.map((key) => ({ key, label: labelOf.get(key) ?? key })),
  );
  const edited = new Map(stored.rows.map((r) => [Number(r.type), r]));
  const rank = needRanks(types);
  return suggested.map((s) => {
    const e = edited.get(s.type);
    return {
      type: s.type,
      name: e ? e.name : s.name,
      description: e ? e.description : s.description,
      suggested: !e,
      needRank: rank.get(s.type) ?? 0,
    };
  });
}

/** One run as GET /api/typologies/{id} answers: reads.ts's run, its types with plain texts and need ranks. */
export async function getTypologyView(db: Queryable, id: number, k?: number): Promise<TypologyRunView> {
  const run = await getTypology(db, id, k);
  const shownTypes = ((run.result as { types?: TypologyType[] } | null)?.types ?? []) as TypologyType[];
  const texts = new Map((await typeTexts(db, id, run.k, run.indicators, shownTypes)).map((t) => [t.type, t] as const));
  const types: TypologyRunViewType[] = run.types.map((t) => {
    const text = texts.get(t.type);
    return {
      ...t,
      name: text?.name ?? '',
      description: text?.description ?? '',
      suggested: text?.suggested ?? true,
      needRank: text?.needRank ?? 0,
    };
  });
  return { ...run, types } as TypologyRunView;
}

/** The published run of a level (same shape as one run); 400 for an unknown level, 404 when none is published. */
export async function getPublishedTypology(db: Queryable, level: string, k?: number): Promise<TypologyRunView> {
  await requireLevel(db, level, 'query');
  const id = await publishedRunId(db, level);
  if (id === null) throw notFound(`Für Ebene ${level} ist keine Typisierung veröffentlicht`, { level });
  return getTypologyView(db, id, k);
}

/**
 * Stores edited names and descriptions of the types of k (default the run's chosen k); types not in
 * the request keep their text. 404 for an unknown run, 400 for a k outside the run's range, a type
 * outside 1..k or a type named twice. Returns the run's texts for that k afterwards.
 */
export async function saveTypeTexts(db: Db, id: number, body: TypeTextsRequest): Promise<TypologyTypeText[]> {
  const run = await db.query<{ chosen_k: number; types_by_k: unknown }>(
    "SELECT chosen_k, result->'typesByK' AS types_by_k FROM typology_run WHERE id = $1",
    [id],
  );
  if (!run.rows[0]) throw notFound(`Typisierungslauf ${id} nicht gefunden`);
  const view = kViewOr400(id, Number(run.rows[0].chosen_k), run.rows[0].types_by_k, body.k);
  const seen = new Set<number>();
  for (const t of body.types) {
    if (t.type > view.k)
      throw badRequest(`Typ ${t.type} gibt es bei k = ${view.k} nicht (1 bis ${view.k})`, {
        field: 'types.type',
        type: t.type,
      });
    if (seen.has(t.type))
      throw badRequest(`Typ ${t.type} ist doppelt angegeben`, { field: 'types.type', type: t.type });
    seen.add(t.type);
  }
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO typology_type_text (run_id, k, type, name, description, edited_by, edited_at)
       SELECT $1::bigint, $2::int, t.type, t.name, t.description, $3::text, now()
         FROM jsonb_to_recordset($4::jsonb) AS t(type int, name text, description text)
       ON CONFLICT (run_id, k, type) DO UPDATE
         SET name = EXCLUDED.name, description = EXCLUDED.description, edited_by = EXCLUDED.edited_by, edited_at = now()`,
      [id, view.k, body.editedBy ?? null, JSON.stringify(body.types)],
    );
  });
  return (await getTypologyView(db, id, view.k)).types.map(({ type, name, description, suggested, needRank }) => ({
    type,
    name,
    description,
    suggested,
    needRank,
  }));
}
