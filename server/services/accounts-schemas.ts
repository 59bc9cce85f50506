/**
 * Request schemas of the account API, defined once for the routes, the OpenAPI document and the
 * CLI (`sozialatlas accounts …`), with German messages.
 */
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from './accounts-password.js';

export const RoleSchema = z.enum(['viewer', 'editor', 'admin'], {
  error: 'role muss viewer, editor oder admin sein',
});

/** Account names: letters, digits and . _ - @, 1–64 characters (they appear in the audit log). */
export const AccountName = z
  .string()
  .trim()
  .min(1, 'name fehlt')
  .max(64, 'name ist länger als 64 Zeichen')
  .regex(/^[\p{L}\p{N}._@-]+$/u, 'name darf nur Buchstaben, Ziffern und . _ - @ enthalten');

/** A new password: at least MIN_PASSWORD_LENGTH characters, at most 200. */
export const NewPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Das Passwort braucht mindestens ${MIN_PASSWORD_LENGTH} Zeichen`)
  .max(200, 'Das Passwort ist länger als 200 Zeichen');

/** POST /api/login. */
export const LoginBody = z.object({ name: z.string().max(200), password: z.string().max(200) }).strict();

/** POST /api/setup: the token of the setup link and the first admin's name and password. */
export const SetupBody = z
  .object({ token: z.string().min(1).max(200), name: AccountName, password: NewPassword })
  .strict();

/** POST /api/password: the own password. */
export const PasswordChangeBody = z.object({ currentPassword: z.string().max(200), newPassword: NewPassword }).strict();

/** POST /api/accounts (admin). */
export const AccountCreateBody = z.object({ name: AccountName, role: RoleSchema, password: NewPassword }).strict();

/** PATCH /api/accounts/{id} (admin): any of role, disabled, a new password. */
export const AccountPatchBody = z
  .object({ role: RoleSchema.optional(), disabled: z.boolean().optional(), password: NewPassword.optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.disabled !== undefined || b.password !== undefined, {
    message: 'Nichts zu ändern: role, disabled oder password angeben',
  });

/** Path parameter {id} of accounts and tokens. */
export const IdParams = z.object({
  id: z.coerce
    .number()
    .int('id muss eine ganze Zahl sein')
    .min(1)
    .max(2 ** 31 - 1),
});

/** POST /api/tokens: a label and the days until it expires (default 90, at most 3650). */
export const TokenCreateBody = z
  .object({
    label: z.string().trim().min(1, 'label fehlt').max(100, 'label ist länger als 100 Zeichen'),
    days: z.number().int('days muss eine ganze Zahl sein').min(1).max(3650).default(90),
  })
  .strict();

/** GET /api/audit: page size (default 50, at most 500), the id to page below, and filters by account or action. */
export const AuditQuery = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(500)
      .default(50)
      .describe('Einträge je Seite (Standard 50, höchstens 500)'),
    before: z.coerce
      .number()
      .int()
      .min(1)
      .max(2 ** 53 - 1)
      .optional()
      .describe('nur Einträge mit kleinerer id (nächste Seite)'),
    actor: z.string().trim().min(1).max(200).optional().describe('nur Einträge dieses Kontos (Name)'),
    action: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('nur Einträge dieser Aktion, z. B. „POST /api/tokens“ oder „login“'),
  })
  .strict();
