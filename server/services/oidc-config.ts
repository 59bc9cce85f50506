/**
 * Configuration of the optional single sign-on with OpenID Connect (issue 15, part 3), read from the
 * environment and validated with zod at start, so a half-configured SSO stops the start with a
 * message naming the variables instead of failing at the first login:
 *   SOZIALATLAS_OIDC_ISSUER         issuer URL of the identity provider (https; http only on loopback)
 *   SOZIALATLAS_OIDC_CLIENT_ID      client id registered there
 *   SOZIALATLAS_OIDC_CLIENT_SECRET  its secret (client_secret_basic)
 *   SOZIALATLAS_OIDC_ROLES          claim values → roles, e.g. "admin:sozialatlas-admin,editor:sozialatlas-editor";
 *                                   entries separated by ";" (or "," when there is no ";", so LDAP DNs fit),
 *                                   the value after the first ":", "*" = every account of the IdP
 *   SOZIALATLAS_OIDC_ROLE_CLAIM     the claim holding the values (default "groups"; "a.b" reads a nested one,
 *                                   e.g. Keycloak's "realm_access.roles")
 *   SOZIALATLAS_OIDC_SCOPES         scopes to ask for (default "openid profile email"; "openid" is always added)
 *   SOZIALATLAS_PUBLIC_URL          must be set: the redirect URI is <public URL>/api/oidc/callback
 * A user whose claim matches no entry is refused (German message page); "viewer:*" lets every
 * account of the IdP in as a viewer. Pure: no I/O here.
 */
import { z } from 'zod';
import type { AccountRole } from '../api-types.js';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** <public URL>/api/oidc/callback, registered at the IdP. */
  redirectUri: string;
  /** Claim (or dotted path) whose values map to roles. */
  roleClaim: string;
  /** Claim values per role; '*' matches every account. */
  roles: Record<AccountRole, string[]>;
  scopes: string;
  /** Plain http to the IdP, allowed only for a loopback issuer (tests, a local IdP). */
  allowHttp: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Parses SOZIALATLAS_OIDC_ROLES into claim values per role; a malformed entry is a zod issue. */
function parseRoles(s: string, ctx: z.RefinementCtx): Record<AccountRole, string[]> {
  const roles: Record<AccountRole, string[]> = { viewer: [], editor: [], admin: [] };
  const entries = s
    .split(s.includes(';') ? ';' : ',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const role = entry.slice(0, colon).trim();
    const value = entry.slice(colon + 1).trim();
    if (colon < 1 || !value || !(role === 'viewer' || role === 'editor' || role === 'admin')) {
      ctx.addIssue({
        code: 'custom',
        message: `SOZIALATLAS_OIDC_ROLES: Eintrag '${entry}' ist nicht rolle:wert (rolle viewer, editor oder admin)`,
      });
      continue;
    }
    roles[role].push(value);
  }
  if (entries.length === 0)
    ctx.addIssue({ code: 'custom', message: 'SOZIALATLAS_OIDC_ROLES ist leer: mindestens eine Zuordnung rolle:wert' });
  return roles;
}

const Env = z
  .object({
    SOZIALATLAS_OIDC_ISSUER: z.url({ error: 'SOZIALATLAS_OIDC_ISSUER ist keine URL' }),
    SOZIALATLAS_OIDC_CLIENT_ID: z.string().min(1),
    SOZIALATLAS_OIDC_CLIENT_SECRET: z.string().min(1),
    SOZIALATLAS_OIDC_ROLES: z.string().transform(parseRoles),
    SOZIALATLAS_OIDC_ROLE_CLAIM: z.string().trim().min(1).default('groups'),
    SOZIALATLAS_OIDC_SCOPES: z.string().default('openid profile email'),
    SOZIALATLAS_PUBLIC_URL: z.url({
      error: 'SOZIALATLAS_PUBLIC_URL fehlt oder ist keine URL: die Rückkehradresse der Anmeldung hängt daran',
    }),
  })
  .transform((e, ctx): OidcConfig => {
    const issuer = new URL(e.SOZIALATLAS_OIDC_ISSUER);
    const loopback = LOOPBACK.has(issuer.hostname);
    if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && loopback))
      ctx.addIssue({
        code: 'custom',
        message: 'SOZIALATLAS_OIDC_ISSUER muss https sein (http nur für localhost)',
      });
    const scopes = new Set(e.SOZIALATLAS_OIDC_SCOPES.split(/\s+/).filter(Boolean));
    scopes.add('openid');
    return {
      issuer: e.SOZIALATLAS_OIDC_ISSUER,
      clientId: e.SOZIALATLAS_OIDC_CLIENT_ID,
      clientSecret: e.SOZIALATLAS_OIDC_CLIENT_SECRET,
      redirectUri: `${e.SOZIALATLAS_PUBLIC_URL.replace(/\/+$/, '')}/api/oidc/callback`,
      roleClaim: e.SOZIALATLAS_OIDC_ROLE_CLAIM,
      roles: e.SOZIALATLAS_OIDC_ROLES,
      scopes: [...scopes].join(' '),
      allowHttp: issuer.protocol === 'http:',
    };
  });

const REQUIRED = ['SOZIALATLAS_OIDC_ISSUER', 'SOZIALATLAS_OIDC_CLIENT_ID', 'SOZIALATLAS_OIDC_CLIENT_SECRET'] as const;
const OPTIONAL = ['SOZIALATLAS_OIDC_ROLES', 'SOZIALATLAS_OIDC_ROLE_CLAIM', 'SOZIALATLAS_OIDC_SCOPES'] as const;

/**
 * The SSO configuration, or undefined when none of its variables is set. Some set but not all, or a
 * bad value, is an Error naming the variables (the start stops with it).
 */
export function oidcConfigFromEnv(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const given = (k: string) => (env[k] ?? '').trim() !== '';
  if (![...REQUIRED, ...OPTIONAL].some(given)) return undefined;
  const missing = [...REQUIRED, 'SOZIALATLAS_OIDC_ROLES', 'SOZIALATLAS_PUBLIC_URL'].filter((k) => !given(k));
  if (missing.length > 0)
    throw new Error(`Single Sign-on (OpenID Connect) ist unvollständig konfiguriert: es fehlt ${missing.join(', ')}`);
  const pick = Object.fromEntries(
    [...REQUIRED, ...OPTIONAL, 'SOZIALATLAS_PUBLIC_URL'].filter(given).map((k) => [k, env[k]!.trim()]),
  );
  const parsed = Env.safeParse(pick);
  if (!parsed.success)
    throw new Error(
      `Single Sign-on (OpenID Connect): ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`,
    );
  return parsed.data;
}

/** Reads a claim by name, or by a dotted path into nested objects when no claim has that exact name. */
export function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let at: unknown = claims;
  for (const part of name.split('.')) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** The claim's values: an array of strings, or one string (as a whole and split at spaces). */
export function claimValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return [value, ...value.split(/\s+/).filter(Boolean)];
  return [];
}

/**
 * The highest role whose configured values meet the account's claim values ('*' meets any
 * account), or null when none does (the login is refused).
 */
export function roleFromClaim(roles: OidcConfig['roles'], values: readonly string[]): AccountRole | null {
  const held = new Set(values);
  for (const role of ['admin', 'editor', 'viewer'] as const)
    if (roles[role].some((v) => v === '*' || held.has(v))) return role;
  return null;
}
