import type { z } from 'zod';
import { badRequest } from './errors.js';

/** Parses a request part with a zod schema; a mismatch is a 400 naming each bad field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what = 'Parameter'): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  const first = details[0];
  throw badRequest(`Ungültige ${what}: ${first ? `${first.field || '(Wurzel)'}: ${first.message}` : 'unbekannt'}`, details);
}
