/** Texts and form checks of the "Konto & Verwaltung" dialog (client/src/admin-data.ts). */
import { describe, expect, it } from 'vitest';
import {
  ACTION_LABEL,
  accountForm,
  auditObject,
  auditQuery,
  auditWhat,
  formatDateTime,
  MIN_PASSWORD,
  passwordForm,
  tokenForm,
  tokenState,
} from '../../client/src/admin-data.js';
import { MIN_PASSWORD_LENGTH } from '../../server/services/accounts-password.js';
import type { AuditEntry } from '../../server/api-types.js';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: 7,
  at: '2026-12-02T14:05:00.000Z',
  actor: 'anna',
  role: 'admin',
  method: 'POST',
  path: '/api/accounts',
  action: 'POST /api/accounts',
  target: '3',
  detail: null,
  status: 201,
  ...over,
});

describe('admin-data', () => {
  it('shows times in Berlin time, winter and summer', () => {
    expect(formatDateTime('2026-12-02T14:05:00.000Z')).toBe('02.12.2026, 15:05');
    expect(formatDateTime('2026-07-01T22:30:00.000Z')).toBe('02.07.2026, 00:30');
    expect(formatDateTime(null)).toBe('–');
  });

  it('tells a token valid, expired or revoked (revoked wins)', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const t = { id: 1, label: 'x', created: '2026-11-01T00:00:00Z', expires: '2027-01-30T00:00:00Z', revoked: null };
    expect(tokenState(t, now)).toEqual({ active: true, text: 'gültig' });
    expect(tokenState({ ...t, expires: '2026-12-02T11:59:00Z' }, now)).toEqual({ active: false, text: 'abgelaufen' });
    expect(tokenState({ ...t, expires: '2026-12-01T00:00:00Z', revoked: '2026-11-20T09:00:00Z' }, now)).toEqual({
      active: false,
      text: 'widerrufen am 20.11.2026, 10:00',
    });
  });

  it('checks the forms with the server limits', () => {
    expect(MIN_PASSWORD).toBe(MIN_PASSWORD_LENGTH);
    expect(tokenForm('  Skript ', '30')).toEqual({ label: 'Skript', days: 30 });
    expect(tokenForm(' ', '30')).toMatch(/^Bitte einen Namen/);
    expect(tokenForm('a', '0')).toBe('Gültigkeit: eine ganze Zahl von 1 bis 3650 Tagen.');
    expect(tokenForm('a', '2,5')).toBe('Gültigkeit: eine ganze Zahl von 1 bis 3650 Tagen.');
    expect(passwordForm('alt', 'neu-geheim', 'neu-geheim')).toEqual({
      currentPassword: 'alt',
      newPassword: 'neu-geheim',
    });
    expect(passwordForm('alt', 'kurz', 'kurz')).toBe('Das neue Passwort braucht mindestens 8 Zeichen.');
    expect(passwordForm('alt', 'neu-geheim', 'neu-geheimX')).toBe('Die beiden neuen Passwörter stimmen nicht überein.');
    expect(passwordForm('', 'neu-geheim', 'neu-geheim')).toBe('Bitte das bisherige Passwort eingeben.');
    expect(accountForm(' jörg.m ', 'editor', '12345678')).toEqual({
      name: 'jörg.m',
      role: 'editor',
      password: '12345678',
    });
    expect(accountForm('jörg m', 'editor', '12345678')).toMatch(/nur Buchstaben, Ziffern/);
    expect(accountForm('jm', 'owner', '12345678')).toBe('Bitte eine Rolle wählen.');
    expect(accountForm('jm', 'viewer', '1234567')).toBe('Das Anfangspasswort braucht mindestens 8 Zeichen.');
  });

  it('builds the audit query, leaving empty filters out', () => {
    expect(auditQuery({})).toBe('?limit=50');
    expect(auditQuery({ limit: 20, before: 99, actor: ' anna ', action: 'POST /api/tokens' })).toBe(
      '?limit=20&before=99&actor=anna&action=POST+%2Fapi%2Ftokens',
    );
    expect(auditQuery({ actor: ' ', action: '' })).toBe('?limit=50');
  });

  it('words each audited write with its details and what it belongs to', () => {
    expect(auditWhat(entry({ detail: { name: 'ben', role: 'editor' } }))).toBe('Konto angelegt: ben, Rolle Bearbeiten');
    expect(auditObject(entry({}))).toBe('Konto 3');
    expect(
      auditWhat(
        entry({ method: 'PATCH', action: 'PATCH /api/accounts/:id', detail: { disabled: true, passwordReset: false } }),
      ),
    ).toBe('Konto geändert: gesperrt');
    expect(
      auditWhat(entry({ action: 'POST /api/tokens', path: '/api/tokens', detail: { label: 'Skript', expires: 'x' } })),
    ).toBe('API-Token angelegt: „Skript“');
    const commit = entry({
      action: 'POST /api/imports/:id/commit',
      path: '/api/imports/12/commit',
      target: '12',
      detail: { importId: 12 },
    });
    expect([auditWhat(commit), auditObject(commit)]).toEqual(['Import übernommen', 'Import 12']);
    const run = entry({
      method: 'PUT',
      action: 'PUT /api/typologies/:id/published',
      path: '/api/typologies/5/published',
      target: '5',
    });
    expect([auditWhat(run), auditObject(run)]).toEqual(['Typisierung veröffentlicht', 'Lauf 5']);
    expect(auditWhat(entry({ action: 'login', path: '/api/login', target: null, status: 200 }))).toBe('Angemeldet');
    expect(auditObject(entry({ action: 'login', target: null }))).toBe('–');
    // an unknown action shows as it is; a refused write says so
    expect(auditWhat(entry({ action: 'POST /api/neu', status: 409 }))).toBe('POST /api/neu (abgelehnt, 409)');
    expect(Object.keys(ACTION_LABEL)).toContain('DELETE /api/tokens/:id');
  });
});
