/**
 * Personal API tokens for scripts and the CLI: `sat_` + 32 random bytes, shown once at creation
 * and stored as SHA-256; each belongs to an account and acts with its role, has a label, an expiry
 * and can be revoked. A revoked or expired token (or one of a disabled account) is refused at the
 * next request: every request looks the token up.
 */
import type { Queryable } from '../../geodata/db.js';
import type { AccountRole, ApiTokenCreated, ApiTokenView } from '../api-types.js';
import { notFound } from '../http/errors.js';
import { newSecret, secretHash } from './accounts-secret.js';

/** Prefix of personal tokens: tells them from SOZIALATLAS_TOKEN without a database look-up. */
export const API_TOKEN_PREFIX = 'sat_';

interface TokenRow {
  id: number;
  label: string;
  created: Date | string;
  expires: Date | string | null;
  revoked: Date | string | null;
}
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const view = (r: TokenRow): ApiTokenView => ({
  id: Number(r.id),
  label: r.label,
  created: iso(r.created)!,
  expires: iso(r.expires),
  revoked: iso(r.revoked),
});

/** A new token for an account, valid `days` days: the answer is the only time the secret is seen. */
export async function createApiToken(
  db: Queryable,
  accountId: number,
  label: string,
  days: number,
): Promise<ApiTokenCreated> {
  const token = newSecret(API_TOKEN_PREFIX);
  const { rows } = await db.query<TokenRow>(
    `INSERT INTO api_token (account, label, hash, expires) VALUES ($1, $2, $3, now() + make_interval(days => $4))
     RETURNING id, label, created, expires, revoked`,
    [accountId, label, secretHash(token), days],
  );
  return { ...view(rows[0]), token };
}

/** An account's tokens, newest first, without their secrets. */
export async function listApiTokens(db: Queryable, accountId: number): Promise<ApiTokenView[]> {
  const { rows } = await db.query<TokenRow>(
    'SELECT id, label, created, expires, revoked FROM api_token WHERE account = $1 ORDER BY id DESC',
    [accountId],
  );
  return rows.map(view);
}

/** Revokes one of an account's tokens (404 for a token of another account or none). */
export async function revokeApiToken(db: Queryable, accountId: number, id: number): Promise<ApiTokenView> {
  const { rows } = await db.query<TokenRow>(
    `UPDATE api_token SET revoked = coalesce(revoked, now()) WHERE id = $1 AND account = $2
     RETURNING id, label, created, expires, revoked`,
    [id, accountId],
  );
  if (!rows[0]) throw notFound(`Kein eigenes Token mit id ${id}`);
  return view(rows[0]);
}

/** What a presented token is: the account it acts for, or why it is refused. */
export type TokenCheck =
  | { ok: true; accountId: number; name: string; role: AccountRole }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired' | 'disabled' };

/** Looks a presented token up (every request: a revocation holds at once). */
export async function checkApiToken(db: Queryable, token: string): Promise<TokenCheck> {
  const { rows } = await db.query<{
    account: number;
    name: string;
    role: AccountRole;
    disabled: boolean;
    revoked: boolean;
    expired: boolean;
  }>(
    `SELECT t.account, a.name, a.role, a.disabled, t.revoked IS NOT NULL AS revoked,
            (t.expires IS NOT NULL AND t.expires <= now()) AS expired
     FROM api_token t JOIN account a ON a.id = t.account WHERE t.hash = $1`,
    [secretHash(token)],
  );
  const r = rows[0];
  if (!r) return { ok: false, reason: 'unknown' };
  if (r.revoked) return { ok: false, reason: 'revoked' };
  if (r.expired) return { ok: false, reason: 'expired' };
  if (r.disabled) return { ok: false, reason: 'disabled' };
  return { ok: true, accountId: Number(r.account), name: r.name, role: r.role };
}
