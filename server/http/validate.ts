/**
 * Request validation with zod, one way for every entry point: the API routes and the CLI (which
 * maps its flags to the same request object) parse with the same schemas through parseOr400, so
 * a bad value gives the same German message and details in both, as a 400 HttpError (the CLI
 * prints it and exits 2).
 *
 * zod's built-in messages (wrong type, unknown key, bad option) are switched to German here,
 * once for the process: routes, request modules and the CLI import this module, so the locale is
 * set before the first request is parsed. Messages written in the schemas themselves stay as
 * written.
 */
import { z } from 'zod';
import { badRequest } from './errors.js';

z.config(z.locales.de());

/** Parses a request part with a zod schema; a mismatch is a 400 naming each bad field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what = 'Parameter'): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  const first = details[0];
  throw badRequest(
    `Ungültige ${what}: ${first ? `${first.field || '(Wurzel)'}: ${first.message}` : 'unbekannt'}`,
    details,
  );
}
