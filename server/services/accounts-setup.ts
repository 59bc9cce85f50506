/**
 * The first admin, never with a default password: at start, SOZIALATLAS_ADMIN_USER and
 * SOZIALATLAS_ADMIN_PASSWORD create an admin account if no admin exists; without them, a database
 * without any account gets a one-time setup link (…/#einrichten=<token>, valid SETUP_HOURS, stored
 * hashed) which the server prints once, and with which the first admin sets name and password
 * (POST /api/setup). A later start replaces an unused link by a new one.
 */
import type { Db } from '../../geodata/db.js';
import type { AccountView } from '../api-types.js';
import { HttpError } from '../http/errors.js';
import { AccountCreateBody } from './accounts-schemas.js';
import { accountCounts, createAccount } from './accounts.js';
import { newSecret, secretHash } from './accounts-secret.js';

/** How long a setup link stays valid: 24 h. */
export const SETUP_HOURS = 24;

export type FirstAdmin =
  { kind: 'exists' } | { kind: 'created'; name: string } | { kind: 'setup-link'; token: string; url: string };

/**
 * Makes sure the first admin can exist: from the environment (when no active admin exists yet), or
 * a new setup link when there is no account at all. A bad name or password in the environment is an
 * Error naming the variable.
 */
export async function ensureFirstAdmin(
  db: Db,
  env: { adminUser?: string; adminPassword?: string; publicUrl: string },
): Promise<FirstAdmin> {
  const counts = await accountCounts(db);
  if (env.adminUser && env.adminPassword && counts.admins === 0) {
    const parsed = AccountCreateBody.safeParse({ name: env.adminUser, role: 'admin', password: env.adminPassword });
    if (!parsed.success)
      throw new Error(
        `SOZIALATLAS_ADMIN_USER / SOZIALATLAS_ADMIN_PASSWORD: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      );
    await createAccount(db, parsed.data);
    return { kind: 'created', name: parsed.data.name };
  }
  if (counts.all > 0) return { kind: 'exists' };
  const token = newSecret();
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM setup_token WHERE used IS NULL');
    await tx.query('INSERT INTO setup_token (hash, expires) VALUES ($1, now() + make_interval(hours => $2))', [
      secretHash(token),
      SETUP_HOURS,
    ]);
  });
  return { kind: 'setup-link', token, url: `${env.publicUrl}/#einrichten=${token}` };
}

/** Whether no account exists yet (the client then offers the setup form behind the link). */
export async function setupPending(db: Db): Promise<boolean> {
  return (await accountCounts(db)).all === 0;
}

/**
 * Uses a setup token once: valid, unused, not expired and still no account, then the first admin is
 * created in the same transaction. Anything else is a 403 with one message (the link is used up).
 */
export async function completeSetup(db: Db, token: string, name: string, password: string): Promise<AccountView> {
  return db.transaction(async (tx) => {
    const used = await tx.query(
      `UPDATE setup_token SET used = now() WHERE hash = $1 AND used IS NULL AND expires > now()
       AND NOT EXISTS (SELECT 1 FROM account) RETURNING hash`,
      [secretHash(token)],
    );
    if (used.rowCount !== 1)
      throw new HttpError(403, 'forbidden', 'Der Einrichtungslink ist ungültig, abgelaufen oder schon benutzt');
    return createAccount(tx, { name, role: 'admin', password });
  });
}
