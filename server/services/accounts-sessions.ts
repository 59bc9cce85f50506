/**
 * Browser sessions: a login creates a random session token (the cookie's value) and a CSRF token;
 * only the token's SHA-256 is stored. A session ends at logout, at its expiry (SESSION_HOURS after
 * the login) or when its account is disabled or changed (accounts.ts).
 */
import type { Queryable } from '../../geodata/db.js';
import type { AccountRole } from '../api-types.js';
import { newSecret, secretHash } from './accounts-secret.js';

/** Lifetime of a session: 12 h (a working day), then the user logs in again. */
export const SESSION_HOURS = 12;

export interface SessionAccount {
  sessionId: string;
  accountId: number;
  name: string;
  role: AccountRole;
  csrf: string;
}

/** A new session for an account: the cookie token (give to the client, never store) and the CSRF token. */
export async function createSession(db: Queryable, accountId: number): Promise<{ token: string; csrf: string }> {
  const token = newSecret();
  const csrf = newSecret();
  await db.query(
    `INSERT INTO session (id, account, expires, csrf) VALUES ($1, $2, now() + make_interval(hours => $3), $4)`,
    [secretHash(token), accountId, SESSION_HOURS, csrf],
  );
  return { token, csrf };
}

/** The live session of a cookie token with its (enabled) account, or null. */
export async function findSession(db: Queryable, token: string): Promise<SessionAccount | null> {
  const { rows } = await db.query<{ id: string; account: number; name: string; role: AccountRole; csrf: string }>(
    `SELECT s.id, s.account, a.name, a.role, s.csrf FROM session s JOIN account a ON a.id = s.account
     WHERE s.id = $1 AND s.expires > now() AND NOT a.disabled`,
    [secretHash(token)],
  );
  const r = rows[0];
  return r ? { sessionId: r.id, accountId: Number(r.account), name: r.name, role: r.role, csrf: r.csrf } : null;
}

/** Ends a session (logout). */
export async function deleteSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('DELETE FROM session WHERE id = $1', [sessionId]);
}

/** Removes expired sessions (at each login, so the table stays small); returns how many. */
export async function expireSessions(db: Queryable): Promise<number> {
  return (await db.query('DELETE FROM session WHERE expires <= now()')).rowCount;
}
