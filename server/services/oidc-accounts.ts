/**
 * Local accounts of single sign-on (sql/020 account_oidc): an account is linked to the IdP's
 * (issuer, subject), never found by its name, so an IdP user called like a local account gets an
 * account of its own ("name-sso") instead of taking the local one over. The role follows the IdP's
 * claim at every login; a changed role ends the account's other sessions, as an admin's change does
 * (accounts.ts). An admin can disable such an account (then its logins are refused); its role set
 * by an admin holds until the next SSO login.
 */
import type { Db, Queryable } from '../../geodata/db.js';
import type { AccountRole } from '../api-types.js';
import { HttpError } from '../http/errors.js';

/** password_hash of an SSO account: matches no scrypt hash, so a password login never succeeds. */
export const SSO_PASSWORD_MARK = '!sso';

export interface OidcIdentity {
  issuer: string;
  subject: string;
  /** preferred_username, email or name from the claims, as the IdP gave them. */
  displayName: string | null;
}

export interface OidcAccount {
  id: number;
  name: string;
  role: AccountRole;
  /** The account was created by this login. */
  created: boolean;
  /** The role before this login (null for a new account). */
  previousRole: AccountRole | null;
}

/** An account name from the IdP's name: only the characters AccountName allows, room for a suffix. */
export function accountNameFrom(displayName: string | null, subject: string): string {
  const base = (displayName ?? '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._@-]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return (base || `sso-${subject.replace(/[^\p{L}\p{N}._@-]+/gu, '-')}`).slice(0, 56);
}

/** Inserts the account under the first free name of base, base-sso, base-sso-2, … */
async function insertUnderFreeName(tx: Queryable, base: string, role: AccountRole) {
  for (let i = 0; i < 50; i++) {
    const name = i === 0 ? base : i === 1 ? `${base}-sso` : `${base}-sso-${i}`;
    const { rows } = await tx.query<{ id: number; name: string }>(
      `INSERT INTO account (name, role, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO NOTHING RETURNING id, name`,
      [name, role, SSO_PASSWORD_MARK],
    );
    if (rows[0]) return { id: Number(rows[0].id), name: rows[0].name };
  }
  throw new HttpError(409, 'conflict', `Für '${base}' ist kein freier Kontoname zu finden`);
}

/**
 * The local account of an IdP identity with the role of this login: created at the first login,
 * its role updated at later ones. A disabled account is refused (403).
 */
export async function upsertOidcAccount(db: Db, who: OidcIdentity, role: AccountRole): Promise<OidcAccount> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; name: string; role: AccountRole; disabled: boolean }>(
      `SELECT a.id, a.name, a.role, a.disabled FROM account_oidc o JOIN account a ON a.id = o.account
       WHERE o.issuer = $1 AND o.subject = $2 FOR UPDATE OF a`,
      [who.issuer, who.subject],
    );
    const found = rows[0];
    if (found) {
      const id = Number(found.id);
      if (found.disabled)
        throw new HttpError(403, 'forbidden', `Das Konto '${found.name}' ist in Sozialatlas gesperrt`);
      if (found.role !== role) {
        await tx.query('UPDATE account SET role = $2 WHERE id = $1', [id, role]);
        await tx.query('DELETE FROM session WHERE account = $1', [id]);
      }
      await tx.query('UPDATE account_oidc SET last_login = now() WHERE account = $1', [id]);
      return { id, name: found.name, role, created: false, previousRole: found.role };
    }
    const account = await insertUnderFreeName(tx, accountNameFrom(who.displayName, who.subject), role);
    const linked = await tx.query(
      `INSERT INTO account_oidc (account, issuer, subject) VALUES ($1, $2, $3)
       ON CONFLICT (issuer, subject) DO NOTHING`,
      [account.id, who.issuer, who.subject],
    );
    // a parallel first login of the same person won the race: roll this one back
    if (linked.rowCount === 0)
      throw new HttpError(409, 'conflict', 'Dieses Konto wird gerade angelegt: bitte erneut anmelden');
    return { id: account.id, name: account.name, role, created: true, previousRole: null };
  });
}
