/**
 * The "Daten" view in a real browser (Debian chromium via playwright-core) against the express app
 * on the Berlin sample (issue 15): an editor account logs in through the header's dialog (no token
 * typed), uploads a German CSV (BOM, ';', decimal comma) with errors, sees each error with its row, leaves the broken column out in the mapping,
 * commits, and finds the new indicator offered on the map; undoing the import removes it again.
 * Screenshots under test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../geodata/db.js';
import { openSampleDb } from '../helpers/test-db.js';
import * as XLSX from '@e965/xlsx';
import { createAccount } from '../../server/services/accounts.js';
import type { AccountView, ApiTokenView, AuditEntry } from '../../server/api-types.js';
import { auditWhat, formatDateTime } from '../../client/src/admin-data.js';
import {
  launchBrowser,
  login,
  screenshot,
  startServer,
  TOKEN,
  type BrowserHandle,
  type RunningServer,
} from './helpers.js';

const PERIOD = '2020-12-31';
const KEY = 'E2E_QUOTE';
const EDITOR = { name: 'planerin', password: 'Sozialraum-2020' };
const ADMIN = { name: 'leitung', password: 'Verwaltung-2020' };
const NEW_EDITOR = { name: 'redaktion', password: 'Redaktion-2026' };

let db: Db;
let server: RunningServer;
let b: BrowserHandle;
let codes: string[];

beforeAll(async () => {
  db = await openSampleDb();
  server = await startServer(db);
  await createAccount(db, { ...EDITOR, role: 'editor' });
  await createAccount(db, { ...ADMIN, role: 'admin' });
  codes = (
    await db.query<{ code: string }>(
      `SELECT code FROM indicator_value WHERE level = 'plr' AND indicator = 'EW' AND period = $1 AND value >= 2000
        ORDER BY code LIMIT 3`,
      [PERIOD],
    )
  ).rows.map((r) => r.code);
  b = await launchBrowser({ width: 1440, height: 900 });
});

afterAll(async () => {
  await b?.close();
  await server?.close();
  await db?.close();
});

/** GET from the API with a bearer token (the automation token is admin). */
async function api<T>(path: string, token = TOKEN): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
}

/** Logs the current account out through the header button (the page reloads). */
async function logout(): Promise<void> {
  const page = b.page;
  await Promise.all([page.waitForEvent('load'), page.click('[data-testid="login-button"]')]);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="login-button"]')?.textContent === 'Anmelden');
}

const cellTexts = (selector: string) =>
  b.page.$$eval(selector, (rows) =>
    rows.map((r) =>
      [...r.querySelectorAll('td')].map((td) => {
        const sel = td.querySelector('select');
        return sel ? `[${sel.value}]` : (td.textContent ?? '');
      }),
    ),
  );

async function indicatorOptions(): Promise<string[]> {
  const page = b.page;
  await page.waitForSelector('[data-testid="select-indicator"]', { timeout: 60_000 });
  return page.$$eval('[data-testid="select-indicator"] option', (os) => os.map((o) => (o as HTMLOptionElement).value));
}

describe('Daten: upload with preview, commit and undo in the browser', () => {
  it('shows every error with its row, commits after the mapping is fixed, offers the indicator, undoes it', async () => {
    const page = b.page;
    await page.goto(`${server.url}/#view=daten`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    await login(page, EDITOR.name, EDITOR.password);
    expect(await page.inputValue('[data-testid="data-token"]')).toBe('');

    const [a, c2, c3] = codes;
    const csv = `\ufeffSchlüssel;${KEY};Altwert\r\n${a};12,5;1,5\r\n${c2};7,25;abc\r\n${c3};30,0;#DIV/0!\r\n`;
    await page.setInputFiles('[data-testid="data-file"]', {
      name: 'sozialdaten.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await page.fill('[data-testid="data-period"]', PERIOD);
    await page.click('[data-testid="data-upload"]');
    await page.waitForSelector('[data-testid="data-problems"]', { timeout: 60_000 });
    const problems = await page.$$eval('[data-testid="data-problems"] li.problem-error', (ls) =>
      ls.map((l) => l.textContent ?? ''),
    );
    expect(problems).toEqual([
      'Fehler Zeile 2, Spalte „Altwert“, Wert „abc“: keine Zahl',
      expect.stringMatching(/^Fehler Zeile 3, Spalte „Altwert“, Wert „#DIV\/0!“: ein Excel-Fehlerwert/),
    ]);
    expect(await page.isDisabled('[data-testid="data-commit"]')).toBe(true);
    const detected = await page.textContent('[data-testid="data-detected"]');
    expect(detected).toContain('Trennzeichen: Semikolon');
    expect(detected).toContain('Dezimalzeichen: Komma');
    await screenshot(page, 'data-upload-errors');

    // Leave the broken column out (empty indicator) and check again.
    await page.fill('[data-testid="data-map-input"][data-column="Altwert"]', '');
    await page.dispatchEvent('[data-testid="data-map-input"][data-column="Altwert"]', 'change');
    await page.click('[data-testid="data-refresh"]');
    await page.waitForFunction(
      () =>
        !document.querySelector('[data-testid="data-problems"]') &&
        document.querySelector('[data-testid="data-summary"]'),
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.textContent('[data-testid="data-summary"]')).toBe(
      `3 Werte: 3 neu, 0 ersetzt; Stichtag 31.12.2020; neue Indikatoren: ${KEY}.`,
    );
    await page.click('[data-testid="data-commit"]');
    await page.waitForSelector('[data-testid="data-show-map"]', { timeout: 60_000 });
    const stored = await db.query<{ code: string; value: number }>(
      'SELECT code, value FROM observation WHERE indicator = $1 ORDER BY code',
      [KEY],
    );
    expect(stored.rows).toEqual([
      { code: a, value: 12.5 },
      { code: c2, value: 7.25 },
      { code: c3, value: 30 },
    ]);

    // The map offers the new indicator (and shows it).
    await Promise.all([page.waitForEvent('load'), page.click('[data-testid="data-show-map"]')]);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    expect(await indicatorOptions()).toContain(KEY);
    expect(await page.$eval('[data-testid="select-indicator"]', (s) => (s as HTMLSelectElement).value)).toBe(KEY);
    await screenshot(page, 'data-upload-map');

    // Undo in the history: the indicator is gone from the map's list.
    await page.click('[data-testid="tab-daten"]');
    await page.waitForSelector('[data-testid="data-undo"]', { timeout: 60_000 });
    await page.click('[data-testid="data-undo"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="data-status"]')?.textContent?.includes('rückgängig gemacht'),
      undefined,
      { timeout: 60_000 },
    );
    const left = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM indicator WHERE key = $1', [KEY]);
    expect(left.rows[0].n).toBe(0);
    await page.goto(`${server.url}/#view=planung`);
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    expect(await indicatorOptions()).not.toContain(KEY);
    // the whole walk loads the map three times; on a busy shared machine that can pass two minutes
  }, 240_000);

  it('an XLSX with a title row and codes stored as numbers: header row and restored zeros said, committed', async () => {
    const page = b.page;
    await page.goto(`${server.url}/#view=daten`);
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    const [a, c2] = codes;
    const sheet = XLSX.utils.aoa_to_sheet([
      ['Sozialdaten nach Planungsräumen, Stand 31.12.2020'],
      [],
      ['Planungsraum', 'XLSX_QUOTE'],
      [Number(a), '12,5'],
      [Number(c2), '–'],
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Tabelle1');
    await page.setInputFiles('[data-testid="data-file"]', {
      name: 'tabelle.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer,
    });
    await page.fill('[data-testid="data-period"]', PERIOD);
    await page.click('[data-testid="data-upload"]');
    await page.waitForSelector('[data-testid="data-detected"]', { timeout: 60_000 });
    const detected = await page.textContent('[data-testid="data-detected"]');
    expect(detected).toContain('Format: Excel-Tabelle');
    expect(detected).toContain('Kopfzeile: Zeile 3 (Titel darüber übersprungen)');
    expect(detected).toContain('Gebietsschlüssel als Zahlen gespeichert: führende Nullen werden ergänzt');
    expect(await page.textContent('[data-testid="data-summary"]')).toBe(
      '2 Werte: 2 neu, 0 ersetzt; Stichtag 31.12.2020; neue Indikatoren: XLSX_QUOTE.',
    );
    await page.click('[data-testid="data-commit"]');
    await page.waitForSelector('[data-testid="data-show-map"]', { timeout: 60_000 });
    await screenshot(page, 'data-upload-xlsx');
    const stored = await db.query<{ code: string; value: number | null }>(
      `SELECT code, value FROM observation WHERE indicator = 'XLSX_QUOTE' ORDER BY code`,
    );
    expect(stored.rows).toEqual([
      { code: a, value: 12.5 },
      { code: c2, value: null },
    ]);
  });

  it('Konto & Verwaltung: an admin creates an editor, the editor makes a token shown once and revokes it, the admin reads the audit log', async () => {
    const page = b.page;
    await page.goto(`${server.url}/#view=daten`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    if ((await page.textContent('[data-testid="login-button"]')) !== 'Anmelden') await logout();
    expect(await page.isHidden('[data-testid="login-admin"]')).toBe(true);
    await login(page, ADMIN.name, ADMIN.password);

    // the admin creates an editor account in the dialog
    await page.click('[data-testid="login-admin"]');
    await page.waitForSelector('[data-testid="admin-account-table"]');
    await page.fill('[data-testid="admin-account-name"]', NEW_EDITOR.name);
    await page.selectOption('[data-testid="admin-account-role"]', 'editor');
    await page.fill('[data-testid="admin-account-password"]', NEW_EDITOR.password);
    await page.click('[data-testid="admin-account-create"]');
    await page.waitForSelector(`[data-testid="admin-account-row"][data-name="${NEW_EDITOR.name}"]`);
    expect(await page.textContent('[data-testid="admin-account-status"]')).toBe(
      `Konto ${NEW_EDITOR.name} (Bearbeiten) angelegt. Bitte das Anfangspasswort sicher übergeben.`,
    );
    const accounts = (await api<AccountView[]>('/api/accounts')).body;
    expect(await cellTexts('[data-testid="admin-account-row"]')).toEqual(
      accounts.map((a) => [
        a.name === ADMIN.name ? `${a.name} (Sie)` : a.name,
        a.name === ADMIN.name ? 'Verwaltung' : `[${a.role}]`,
        a.disabled ? 'gesperrt' : 'aktiv',
        formatDateTime(a.created),
        a.name === ADMIN.name ? '' : 'Sperren',
      ]),
    );
    expect(accounts.find((a) => a.name === NEW_EDITOR.name)).toMatchObject({ role: 'editor', disabled: false });
    await screenshot(page, 'admin-accounts');
    await page.click('[data-testid="admin-close"]');
    await logout();

    // the new editor logs in, creates a token (shown once), and revokes it
    await login(page, NEW_EDITOR.name, NEW_EDITOR.password);
    await page.click('[data-testid="login-admin"]');
    await page.waitForSelector('[data-testid="admin-token-empty"]');
    expect(await page.$('[data-testid="admin-account-table"]')).toBeNull(); // not an admin
    await page.fill('[data-testid="admin-token-label"]', 'Import-Skript');
    await page.fill('[data-testid="admin-token-days"]', '30');
    await page.click('[data-testid="admin-token-create"]');
    await page.waitForSelector('[data-testid="admin-token-row"]');
    const secret = await page.inputValue('[data-testid="admin-token-secret"]');
    expect(secret).toMatch(/^sat_[\w-]{43}$/);
    expect(await page.textContent('[data-testid="admin-token-created"]')).toContain(
      'Es wird nur jetzt angezeigt: bitte sofort kopieren',
    );
    const tokens = await api<ApiTokenView[]>('/api/tokens', secret);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toHaveLength(1);
    const [t] = tokens.body;
    expect(t.label).toBe('Import-Skript');
    expect(new Date(t.expires!).getTime() - new Date(t.created).getTime()).toBe(30 * 24 * 3600_000);
    expect(await cellTexts('[data-testid="admin-token-row"]')).toEqual([
      ['Import-Skript', formatDateTime(t.created), formatDateTime(t.expires), 'gültig', 'Widerrufen'],
    ]);
    await screenshot(page, 'admin-token-once');
    await page.click('[data-testid="admin-token-revoke"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="admin-token-state"]')?.textContent?.startsWith('widerrufen am'),
    );
    // the secret is gone from the page, and the token stops at once
    expect(await page.$('[data-testid="admin-token-secret"]')).toBeNull();
    const refused = await api<{ error: { message: string } }>('/api/tokens', secret);
    expect(refused).toEqual({ status: 403, body: { error: expect.objectContaining({ message: 'Token widerrufen' }) } });
    // the revoked token cannot list itself any more: the time comes from the table
    const { revoked } = (
      await db.query<{ revoked: Date | string }>('SELECT revoked FROM api_token WHERE id = $1', [t.id])
    ).rows[0];
    expect(await page.textContent('[data-testid="admin-token-state"]')).toBe(
      `widerrufen am ${formatDateTime(new Date(revoked).toISOString())}`,
    );
    await page.click('[data-testid="admin-close"]');
    await logout();

    // the admin sees those writes in the audit log, newest first, and can filter by account
    await login(page, ADMIN.name, ADMIN.password);
    await page.click('[data-testid="login-admin"]');
    await page.waitForSelector('[data-testid="admin-audit-row"]');
    await page.fill('[data-testid="admin-audit-actor"]', NEW_EDITOR.name);
    await page.click('[data-testid="admin-audit-filter"]');
    await page.waitForFunction(
      (n) =>
        [...document.querySelectorAll('[data-testid="admin-audit-row"] td:nth-child(2)')].every((td) =>
          td.textContent?.startsWith(n),
        ),
      NEW_EDITOR.name,
    );
    const audit = (await api<AuditEntry[]>(`/api/audit?limit=50&actor=${NEW_EDITOR.name}`)).body;
    expect(audit.map((e) => e.action)).toEqual(['logout', 'DELETE /api/tokens/:id', 'POST /api/tokens', 'login']);
    expect(await cellTexts('[data-testid="admin-audit-row"]')).toEqual(
      audit.map((e) => [
        formatDateTime(e.at),
        `${NEW_EDITOR.name} (Bearbeiten)`,
        auditWhat(e),
        e.target ? `Token ${e.target}` : '–',
      ]),
    );
    expect((await cellTexts('[data-testid="admin-audit-row"]')).map((r) => r[2])).toEqual([
      'Abgemeldet',
      'API-Token widerrufen',
      'API-Token angelegt: „Import-Skript“',
      'Angemeldet',
    ]);
    const created = (await api<AuditEntry[]>(`/api/audit?limit=5&action=${encodeURIComponent('POST /api/accounts')}`))
      .body;
    expect(created.map((e) => [e.actor, e.detail])).toEqual([[ADMIN.name, { name: NEW_EDITOR.name, role: 'editor' }]]);
    await screenshot(page, 'admin-audit');
    await page.click('[data-testid="admin-close"]');
  });
  it('areas as GeoJSON: kind chosen, the CLI message without a level, preview with format, CRS and count, commit, undo', async () => {
    const page = b.page;
    await page.goto(`${server.url}/#view=daten`);
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    await page.selectOption('[data-testid="data-kind"]', 'areas');
    await page.setInputFiles('[data-testid="data-file"]', 'test/fixtures/import/upload/gebiete.geojson');
    await page.click('[data-testid="data-upload"]');
    await page.waitForSelector('[data-testid="data-detected"]', { timeout: 60_000 });
    // no level given yet: the CLI's own message
    expect(await page.textContent('[data-testid="data-problems"]')).toBe(
      'Fehler gebiete.geojson, Feld "level": keine Ebene angegeben (--level)',
    );
    await page.fill('[data-testid="data-set-level"]', 'e2egb');
    await page.dispatchEvent('[data-testid="data-set-level"]', 'change');
    await page.click('[data-testid="data-refresh"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="data-problems"]'), undefined, {
      timeout: 60_000,
    });
    expect(await page.$$eval('[data-testid="data-detected"] li', (li) => li.map((x) => x.textContent))).toEqual([
      'Format: GeoJSON',
      'Zeichenkodierung: UTF-8',
      'Koordinatensystem: EPSG:4326 (RFC 7946 default)',
      'Objekte: 3',
      'Felder: gb_code, name',
    ]);
    expect(await page.textContent('[data-testid="data-summary"]')).toBe('3 Gebiete der Ebene e2egb: 3 neu, 0 ersetzt.');
    expect(await page.$eval('[data-testid="data-set-codeField"]', (s) => (s as HTMLSelectElement).value)).toBe(
      'gb_code',
    );
    await screenshot(page, 'data-upload-areas');
    await page.click('[data-testid="data-commit"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="data-preview"]')?.textContent?.startsWith('Übernommen'),
      undefined,
      { timeout: 60_000 },
    );
    const stored = await db.query<{ code: string; name: string }>(
      "SELECT code, name FROM area WHERE level = 'e2egb' ORDER BY code",
    );
    expect(stored.rows).toEqual([
      { code: '0101', name: 'Nord' },
      { code: '0102', name: 'Süd' },
      { code: '0201', name: 'Ost' },
    ]);
    const id = (await api<{ id: number; kind: string }[]>('/api/imports')).body.find((e) => e.kind === 'areas')!.id;
    await page.waitForSelector(`tr[data-import="${id}"] [data-testid="data-undo"]`, { timeout: 60_000 });
    await page.click(`tr[data-import="${id}"] [data-testid="data-undo"]`);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="data-status"]')?.textContent?.includes('rückgängig gemacht'),
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.textContent('[data-testid="data-status"]')).toBe(
      `Import ${id} rückgängig gemacht: 0 Gebiete wiederhergestellt, 3 entfernt.`,
    );
    const left = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM level WHERE key = 'e2egb'");
    expect(left.rows[0].n).toBe(0);
  }, 240_000);
});
