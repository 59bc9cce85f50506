/**
 * HTTP access to the server. Every failure becomes an ApiError with a German message,
 * so views can show it instead of crashing while parts of the server are still missing.
 * Credentials: the session cookie (sent by the browser, same origin only) with the session's CSRF
 * token in X-CSRF-Token on every write (login.ts sets it), and/or a pasted personal API token
 * (sessionStorage) sent as Authorization: Bearer on requests that ask for it.
 */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly url: string,
  ) {
    super(message);
  }
  /** The endpoint does not exist (yet) on this server. */
  get missing(): boolean {
    return this.status === 404 || this.status === 405 || this.status === 501;
  }
}

const TOKEN_KEY = 'sozialatlas.token';

export function getToken(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setToken(token: string): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* private mode: the token just is not remembered */
  }
}

/** The CSRF token of the browser session (null when not logged in); login.ts keeps it current. */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether writes can be sent at all: logged in (a session) or a pasted API token. */
export function canWrite(): boolean {
  return csrfToken !== null || getToken() !== '';
}

function statusText(status: number): string {
  if (status === 401) return 'Bitte anmelden (oben „Anmelden“) oder ein gültiges Zugangstoken eintragen.';
  if (status === 403) return 'Keine Berechtigung für diese Aktion.';
  if (status === 404) return 'Diese Funktion ist auf dem Server (noch) nicht verfügbar.';
  if (status >= 500) return 'Der Server hat einen Fehler gemeldet.';
  return `Anfrage abgelehnt (${status}).`;
}

/**
 * One request: sends the token when asked, parses the JSON body and turns a failure into an
 * ApiError with the server's German message (a 404 for an unknown path gets the plainer text).
 */
async function request(
  url: string,
  init: RequestInit & { auth?: boolean },
): Promise<{ status: number; body: unknown }> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  // a FormData body (file upload) sets its own multipart Content-Type with the boundary
  const isForm = typeof FormData !== 'undefined' && init.body instanceof FormData;
  if (init.body && !isForm && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  if (init.auth) {
    const t = getToken();
    if (t) headers.set('Authorization', `Bearer ${t}`);
  }
  if (csrfToken && WRITES.has((init.method ?? 'GET').toUpperCase())) headers.set('X-CSRF-Token', csrfToken);
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError('Der Server ist nicht erreichbar.', 0, url);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    // The server's error format: {error: {code, message, details}}; its message is already German.
    const msg = (body as { error?: { message?: string } } | null)?.error?.message;
    throw new ApiError(msg && !/Unbekannter Pfad/.test(msg) ? msg : statusText(res.status), res.status, url);
  }
  return { status: res.status, body };
}

export async function fetchJson<T>(url: string, init: RequestInit & { auth?: boolean } = {}): Promise<T> {
  const { status, body } = await request(url, init);
  if (body === null && status !== 204) throw new ApiError('Unerwartete Antwort des Servers.', status, url);
  return body as T;
}

/** The HTTP status of a JSON request, for polling jobs (202) versus results (200). */
export async function postJson<T>(url: string, data: unknown): Promise<{ status: number; body: T }> {
  const { status, body } = await request(url, { method: 'POST', body: JSON.stringify(data), auth: true });
  return { status, body: body as T };
}

/** The message to show for any caught error. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'Unerwarteter Fehler im Browser.';
}

export const q = (params: Record<string, string | number | undefined | null>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};
