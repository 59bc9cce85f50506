/**
 * Shapes of the account API's answers (issue 15, part 3), types only like api-types.ts: the
 * server's account services return them and the client's login dialog reads them.
 */

/** Roles in ascending order of rights. */
export type AccountRole = 'viewer' | 'editor' | 'admin';

/** An account as GET /api/accounts lists it (never its password hash). */
export interface AccountView {
  id: number;
  name: string;
  role: AccountRole;
  created: string;
  disabled: boolean;
}

/**
 * GET /api/session and POST /api/login: who is calling and how. `csrfToken` is set for a browser
 * session only: the client sends it back in X-CSRF-Token on every state-changing request.
 */
export interface SessionView {
  authenticated: boolean;
  name: string | null;
  role: AccountRole | null;
  via: 'session' | 'api-token' | 'env-token' | 'anonymous';
  csrfToken: string | null;
  /** The server runs in the internal mode (SOZIALATLAS_PRIVATE=1): reads need a login too. */
  private: boolean;
  /** No account exists yet: the first admin is created with the setup link. */
  setupPending: boolean;
}

/** A personal API token as listed (GET /api/tokens): never its secret. */
export interface ApiTokenView {
  id: number;
  label: string;
  created: string;
  expires: string | null;
  revoked: string | null;
}

/** POST /api/tokens: the token itself, shown this once. */
export interface ApiTokenCreated extends ApiTokenView {
  token: string;
}

/** One entry of GET /api/audit (newest first). */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  role: string;
  method: string;
  path: string;
  action: string;
  target: string | null;
  detail: unknown;
  status: number;
}
