/**
 * Accounts with a role (viewer, editor, admin): create, list, change role, disable, set or change
 * the password, and check a login. Passwords are stored only as scrypt hashes
 * (accounts-password.ts); a disabled account can neither log in nor use its sessions or tokens.
 * Every change that takes rights away (disable, new role, new password) ends the account's
 * sessions, so it holds at the next request.
 */
import type { Queryable } from '../../geodata/db.js';
import type { AccountRole, AccountView } from '../api-types.js';
import { HttpError, notFound } from '../http/errors.js';
import { hashPassword, verifyPassword } from './accounts-password.js';

interface AccountRow {
  id: number;
  name: string;
  role: AccountRole;
  created: Date | string;
  disabled: boolean;
}

const view = (r: AccountRow): AccountView => ({
  id: Number(r.id),
  name: r.name,
  role: r.role,
  created: new Date(r.created).toISOString(),
  disabled: r.disabled,
});

const COLUMNS = 'id, name, role, created, disabled';

/** All accounts, by name. */
export async function listAccounts(db: Queryable): Promise<AccountView[]> {
  const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM account ORDER BY name`);
  return rows.map(view);
}

/** How many accounts exist (0 = first start), and how many active admins. */
export async function accountCounts(db: Queryable): Promise<{ all: number; admins: number }> {
  const { rows } = await db.query<{ all: string; admins: string }>(
    "SELECT count(*) AS all, count(*) FILTER (WHERE role = 'admin' AND NOT disabled) AS admins FROM account",
  );
  return { all: Number(rows[0].all), admins: Number(rows[0].admins) };
}

/** A new account; a name already taken is a 409. */
export async function createAccount(
  db: Queryable,
  a: { name: string; role: AccountRole; password: string },
): Promise<AccountView> {
  const hash = await hashPassword(a.password);
  const { rows } = await db.query<AccountRow>(
    `INSERT INTO account (name, role, password_hash) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
    [a.name, a.role, hash],
  );
  if (!rows[0]) throw new HttpError(409, 'conflict', `Das Konto '${a.name}' gibt es schon`);
  return view(rows[0]);
}

/** The account of a login, or null: the same answer (and about the same time) for an unknown name and a wrong password. */
export async function checkLogin(db: Queryable, name: string, password: string): Promise<AccountView | null> {
  const { rows } = await db.query<AccountRow & { password_hash: string }>(
    `SELECT ${COLUMNS}, password_hash FROM account WHERE name = $1`,
    [name.trim()],
  );
  const row = rows[0];
  const ok = await verifyPassword(password, row?.password_hash);
  return ok && row && !row.disabled ? view(row) : null;
}

/** One account by id (404 when there is none). */
export async function getAccount(db: Queryable, id: number): Promise<AccountView> {
  const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM account WHERE id = $1`, [id]);
  if (!rows[0]) throw notFound(`Kein Konto mit id ${id}`);
  return view(rows[0]);
}

/**
 * Changes role, disabled flag and/or password of an account and ends its sessions. The last active
 * admin cannot be demoted or disabled (409): somebody has to be able to administer.
 */
export async function updateAccount(
  db: Queryable,
  id: number,
  change: { role?: AccountRole; disabled?: boolean; password?: string },
): Promise<AccountView> {
  const before = await getAccount(db, id);
  const losesAdmin =
    before.role === 'admin' &&
    !before.disabled &&
    (change.disabled === true || (change.role !== undefined && change.role !== 'admin'));
  if (losesAdmin && (await accountCounts(db)).admins <= 1)
    throw new HttpError(409, 'conflict', 'Das letzte aktive Admin-Konto kann nicht herabgestuft oder gesperrt werden');
  const hash = change.password === undefined ? null : await hashPassword(change.password);
  const { rows } = await db.query<AccountRow>(
    `UPDATE account SET role = coalesce($2, role), disabled = coalesce($3, disabled),
       password_hash = coalesce($4, password_hash)
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, change.role ?? null, change.disabled ?? null, hash],
  );
  await db.query('DELETE FROM session WHERE account = $1', [id]);
  return view(rows[0]);
}

/** The own password: the current one must be right (403 otherwise); other sessions end, this one stays. */
export async function changeOwnPassword(
  db: Queryable,
  id: number,
  currentPassword: string,
  newPassword: string,
  keepSessionId: string | null,
): Promise<void> {
  const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM account WHERE id = $1', [id]);
  if (!(await verifyPassword(currentPassword, rows[0]?.password_hash)))
    throw new HttpError(403, 'forbidden', 'Das bisherige Passwort ist falsch');
  await db.query('UPDATE account SET password_hash = $2 WHERE id = $1', [id, await hashPassword(newPassword)]);
  await db.query('DELETE FROM session WHERE account = $1 AND id IS DISTINCT FROM $2', [id, keepSessionId]);
}

/** The account by name (for the CLI), or a 404. */
export async function accountByName(db: Queryable, name: string): Promise<AccountView> {
  const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM account WHERE name = $1`, [name]);
  if (!rows[0]) throw notFound(`Kein Konto '${name}'`);
  return view(rows[0]);
}
