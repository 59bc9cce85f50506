/**
 * Pure logic of the "Konto & Verwaltung" dialog (view-admin.ts): German labels of roles and
 * audited actions, date-time text, a token's state, the checks of the forms before anything is
 * sent (the same rules and limits the server's zod schemas hold, so the user hears them early)
 * and the query of an audit page. No DOM: tested in node.
 */
import type { AccountRole, ApiTokenView, AuditEntry } from '../../server/api-types.js';
import { MISSING } from './format.js';

export const ROLE_LABEL: Record<AccountRole, string> = { viewer: 'Lesen', editor: 'Bearbeiten', admin: 'Verwaltung' };
export const ROLE_OPTIONS: readonly { value: AccountRole; label: string }[] = (
  ['viewer', 'editor', 'admin'] as const
).map((value) => ({ value, label: ROLE_LABEL[value] }));

/** The server's MIN_PASSWORD_LENGTH (accounts-password.ts), which the client may not import. */
export const MIN_PASSWORD = 8;
/** Name rule of accounts-schemas.ts (letters, digits and . _ - @, 1–64). */
const NAME_RE = /^[\p{L}\p{N}._@-]{1,64}$/u;

const DATE_TIME = new Intl.DateTimeFormat('de-DE', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Berlin',
});

/** An ISO time as German local time of the administration ("02.12.2026, 15:10"); null → "–". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return MISSING;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : DATE_TIME.format(d);
}

/** A token's state for the list: revoked wins over expired. */
export function tokenState(t: ApiTokenView, now: Date): { active: boolean; text: string } {
  if (t.revoked) return { active: false, text: `widerrufen am ${formatDateTime(t.revoked)}` };
  if (t.expires && new Date(t.expires).getTime() <= now.getTime()) return { active: false, text: 'abgelaufen' };
  return { active: true, text: 'gültig' };
}

/** The checked form of a new token, or the German reason it cannot be sent. */
export function tokenForm(label: string, days: string): { label: string; days: number } | string {
  const l = label.trim();
  if (!l) return 'Bitte einen Namen für das Token angeben (z. B. „Import-Skript“).';
  if (l.length > 100) return 'Der Name des Tokens ist länger als 100 Zeichen.';
  const d = Number(days.trim());
  if (!Number.isInteger(d) || d < 1 || d > 3650) return 'Gültigkeit: eine ganze Zahl von 1 bis 3650 Tagen.';
  return { label: l, days: d };
}

/** The checked change of the own password, or the German reason it cannot be sent. */
export function passwordForm(
  current: string,
  next: string,
  repeat: string,
): { currentPassword: string; newPassword: string } | string {
  if (!current) return 'Bitte das bisherige Passwort eingeben.';
  if (next.length < MIN_PASSWORD) return `Das neue Passwort braucht mindestens ${MIN_PASSWORD} Zeichen.`;
  if (next.length > 200) return 'Das neue Passwort ist länger als 200 Zeichen.';
  if (next !== repeat) return 'Die beiden neuen Passwörter stimmen nicht überein.';
  if (next === current) return 'Das neue Passwort ist dasselbe wie das bisherige.';
  return { currentPassword: current, newPassword: next };
}

/** The checked form of a new account, or the German reason it cannot be sent. */
export function accountForm(
  name: string,
  role: string,
  password: string,
): { name: string; role: AccountRole; password: string } | string {
  const n = name.trim();
  if (!n) return 'Bitte einen Namen angeben.';
  if (!NAME_RE.test(n)) return 'Der Name darf nur Buchstaben, Ziffern und . _ - @ enthalten (höchstens 64 Zeichen).';
  if (!(role in ROLE_LABEL)) return 'Bitte eine Rolle wählen.';
  if (password.length < MIN_PASSWORD) return `Das Anfangspasswort braucht mindestens ${MIN_PASSWORD} Zeichen.`;
  if (password.length > 200) return 'Das Anfangspasswort ist länger als 200 Zeichen.';
  return { name: n, role: role as AccountRole, password };
}

/** Filter and page of the audit log, as GET /api/audit takes them. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  before?: number;
  limit?: number;
}

/** The query string of an audit page ("?limit=50&actor=anna"); empty filters are left out. */
export function auditQuery(f: AuditFilter): string {
  const p = new URLSearchParams();
  p.set('limit', String(f.limit ?? 50));
  if (f.before) p.set('before', String(f.before));
  if (f.actor?.trim()) p.set('actor', f.actor.trim());
  if (f.action?.trim()) p.set('action', f.action.trim());
  return `?${p.toString()}`;
}

/** German names of the audited actions (the route as requireRole marks it, or login/logout). */
export const ACTION_LABEL: Record<string, string> = {
  login: 'Angemeldet',
  logout: 'Abgemeldet',
  'POST /api/password': 'Eigenes Passwort geändert',
  'POST /api/accounts': 'Konto angelegt',
  'PATCH /api/accounts/:id': 'Konto geändert',
  'POST /api/tokens': 'API-Token angelegt',
  'DELETE /api/tokens/:id': 'API-Token widerrufen',
  'POST /api/imports': 'Datei hochgeladen (Vorschau)',
  'PATCH /api/imports/:id': 'Import-Zuordnung geändert',
  'POST /api/imports/:id/commit': 'Import übernommen',
  'DELETE /api/imports/:id': 'Import rückgängig gemacht',
  'PATCH /api/indicators/:key': 'Indikator im Katalog geändert',
  'POST /api/typologies': 'Typisierung berechnet',
  'PUT /api/typologies/:id/published': 'Typisierung veröffentlicht',
  'PUT /api/typologies/:id/types': 'Typnamen geändert',
  'DELETE /api/typologies/:id': 'Typisierung gelöscht',
  'POST /api/hotspots': 'Hotspot-Analyse berechnet',
  'POST /api/weights': 'Gewichtung berechnet',
  'DELETE /api/jobs/:id': 'Berechnung abgebrochen',
  'POST /api/warning-rules': 'Warnregel angelegt',
  'PUT /api/warning-rules/:id': 'Warnregel geändert',
  'DELETE /api/warning-rules/:id': 'Warnregel gelöscht',
  'PUT /api/settings': 'Einstellungen geändert',
};

/** The action filter's choices: every known action, by its German name. */
export const ACTION_OPTIONS: readonly { value: string; label: string }[] = Object.entries(ACTION_LABEL)
  .map(([value, label]) => ({ value, label }))
  .sort((a, b) => a.label.localeCompare(b.label, 'de'));

const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** What an entry did, in German, with the details the route logged (never a secret). */
export function auditWhat(e: AuditEntry): string {
  const label = ACTION_LABEL[e.action] ?? e.action;
  const d = record(e.detail);
  const extra: string[] = [];
  if (typeof d.name === 'string') extra.push(d.name);
  if (typeof d.role === 'string') extra.push(`Rolle ${ROLE_LABEL[d.role as AccountRole] ?? d.role}`);
  if (d.disabled === true) extra.push('gesperrt');
  if (d.disabled === false) extra.push('entsperrt');
  if (d.passwordReset === true) extra.push('Passwort neu gesetzt');
  if (typeof d.label === 'string') extra.push(`„${d.label}“`);
  if (typeof d.indicator === 'string') extra.push(d.indicator);
  const failed = e.status >= 400 ? ` (abgelehnt, ${e.status})` : '';
  return `${label}${extra.length ? `: ${extra.join(', ')}` : ''}${failed}`;
}

/** The object an entry names: the import or run (typology) it belongs to, or the account or token. */
export function auditObject(e: AuditEntry): string {
  const d = record(e.detail);
  if (d.importId !== undefined && d.importId !== null) return `Import ${String(d.importId)}`;
  if (!e.target) return MISSING;
  if (e.path.startsWith('/api/imports/')) return `Import ${e.target}`;
  if (e.path.startsWith('/api/typologies/')) return `Lauf ${e.target}`;
  if (e.path.startsWith('/api/accounts')) return `Konto ${e.target}`;
  if (e.path.startsWith('/api/tokens')) return `Token ${e.target}`;
  if (e.path.startsWith('/api/jobs/')) return `Berechnung ${e.target}`;
  if (e.path.startsWith('/api/indicators/')) return `Indikator ${e.target}`;
  if (e.path.startsWith('/api/warning-rules/')) return `Warnregel ${e.target}`;
  return e.target;
}
