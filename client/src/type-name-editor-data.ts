/**
 * The type-name editor's rules: which texts changed, whether they are acceptable, and the body of
 * PUT /api/typologies/{id}/types. The limits are the server's (server/services/typology/publication.ts,
 * sql/010): a name of 1–120 characters, a description up to 1000; names are trimmed as the server
 * trims them. Two types with the same name would be one type to a counsellor, so that is refused
 * here too. Pure: tested in node.
 */

export const TYPE_NAME_MAX = 120;
export const TYPE_DESCRIPTION_MAX = 1000;

/** A type's stored texts as the run view gives them (name and plain description). */
export interface TypeTexts {
  type: number;
  name: string;
  description: string;
}

export interface TypeTextsBody {
  /** Omitted = the run's chosen k. */
  k?: number;
  types: TypeTexts[];
}

/**
 * The body for the edits, or the German problems that stop saving. Only types whose trimmed name
 * or description differ from the stored text are sent; nothing changed is a problem too.
 * @param k the k the types belong to; undefined = the chosen k (the server's default).
 */
export function typeTextsBody(
  stored: readonly TypeTexts[],
  edited: readonly TypeTexts[],
  k?: number,
): { body: TypeTextsBody; problems: [] } | { body: null; problems: string[] } {
  const problems: string[] = [];
  const clean = edited.map((t) => ({ type: t.type, name: t.name.trim(), description: t.description.trim() }));
  for (const t of clean) {
    if (!t.name) problems.push(`Typ ${t.type}: Der Name darf nicht leer sein.`);
    else if (t.name.length > TYPE_NAME_MAX)
      problems.push(`Typ ${t.type}: Der Name ist länger als ${TYPE_NAME_MAX} Zeichen (${t.name.length}).`);
    if (t.description.length > TYPE_DESCRIPTION_MAX)
      problems.push(
        `Typ ${t.type}: Die Beschreibung ist länger als ${TYPE_DESCRIPTION_MAX} Zeichen (${t.description.length}).`,
      );
  }
  const byName = new Map<string, number[]>();
  for (const t of clean) {
    if (!t.name) continue;
    const key = t.name.toLocaleLowerCase('de');
    byName.set(key, [...(byName.get(key) ?? []), t.type]);
  }
  for (const types of byName.values())
    if (types.length > 1) problems.push(`Typen ${types.join(' und ')} haben denselben Namen.`);
  const before = new Map(stored.map((t) => [t.type, t]));
  const changed = clean.filter((t) => {
    const s = before.get(t.type);
    return !s || s.name.trim() !== t.name || s.description.trim() !== t.description;
  });
  if (!problems.length && !changed.length) problems.push('Nichts geändert.');
  if (problems.length) return { body: null, problems };
  return { body: k === undefined ? { types: changed } : { k, types: changed }, problems: [] };
}
