/**
 * "Konto & Verwaltung": a dialog opened from the login menu in the header (login.ts) for a
 * logged-in account. Everyone changes the own password; editors and admins manage their personal
 * API tokens (the secret is shown once, with a copy button); admins list, create, change and
 * disable accounts and read the audit log (newest first, filtered by account or action, paged).
 * Every write goes through api.ts with the session's CSRF token; errors are shown in German where
 * they happened. Texts, checks and the audit wording come from admin-data.ts (pure, tested).
 */
import type { AccountView, ApiTokenCreated, ApiTokenView, AuditEntry, SessionView } from '../../server/api-types.js';
import { errorMessage, fetchJson } from './api.js';
import { fill, h, message, select } from './dom.js';
import {
  ACTION_OPTIONS,
  ROLE_LABEL,
  ROLE_OPTIONS,
  accountForm,
  auditObject,
  auditQuery,
  auditWhat,
  formatDateTime,
  passwordForm,
  tokenForm,
  tokenState,
  type AuditFilter,
} from './admin-data.js';

const send = <T>(url: string, method: string, body?: unknown) =>
  fetchJson<T>(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });

let dialog: HTMLDialogElement | null = null;

/** Opens the dialog (built anew each time, so lists are current). */
export function openAdmin(session: SessionView): void {
  dialog?.remove();
  const close = h('button', { type: 'button', class: 'secondary', testid: 'admin-close' }, 'Schließen');
  const d = h(
    'dialog',
    { class: 'admin-dialog', 'aria-labelledby': 'admin-title', testid: 'admin-dialog' },
    h(
      'div',
      { class: 'admin-head' },
      h('h2', { id: 'admin-title' }, 'Konto & Verwaltung'),
      h('p', { class: 'panel-meta' }, `Angemeldet als ${session.name} (${ROLE_LABEL[session.role ?? 'viewer']})`),
      close,
    ),
    passwordSection(),
    session.role === 'editor' || session.role === 'admin'
      ? tokenSection()
      : h(
          'section',
          { class: 'admin-section' },
          h('h3', {}, 'API-Tokens'),
          h('p', {}, 'Persönliche API-Tokens gibt es ab der Rolle „Bearbeiten“.'),
        ),
    session.role === 'admin' ? accountSection(session.name ?? '') : null,
    session.role === 'admin' ? auditSection() : null,
  );
  close.addEventListener('click', () => d.close());
  d.addEventListener('close', () => d.remove());
  document.body.append(d);
  dialog = d;
  d.showModal();
}

/** A status line under a form: info or error, announced. */
function statusLine(testid: string): { el: HTMLElement; show(text: string, kind?: 'info' | 'error'): void } {
  const el = h('div', { class: 'admin-status', testid });
  return { el, show: (text, kind = 'info') => fill(el, text ? message(text, kind) : null) };
}

function field(id: string, label: string, input: HTMLElement): HTMLElement {
  input.id = id;
  return h('div', { class: 'admin-field' }, h('label', { for: id }, label), input);
}

function passwordSection(): HTMLElement {
  const current = h('input', { type: 'password', autocomplete: 'current-password', testid: 'admin-pw-current' });
  const next = h('input', { type: 'password', autocomplete: 'new-password', testid: 'admin-pw-new' });
  const repeat = h('input', { type: 'password', autocomplete: 'new-password', testid: 'admin-pw-repeat' });
  const status = statusLine('admin-pw-status');
  const form = h(
    'form',
    { class: 'admin-form' },
    field('admin-pw-current', 'Bisheriges Passwort', current),
    field('admin-pw-new', 'Neues Passwort (mindestens 8 Zeichen)', next),
    field('admin-pw-repeat', 'Neues Passwort wiederholen', repeat),
    h('button', { type: 'submit', testid: 'admin-pw-submit' }, 'Passwort ändern'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = passwordForm(current.value, next.value, repeat.value);
    if (typeof body === 'string') return status.show(body, 'error');
    send('/api/password', 'POST', body)
      .then(() => {
        form.reset();
        status.show('Passwort geändert. Andere Anmeldungen dieses Kontos sind beendet.');
      })
      .catch((err: unknown) => status.show(errorMessage(err), 'error'));
  });
  return h('section', { class: 'admin-section' }, h('h3', {}, 'Eigenes Passwort'), form, status.el);
}

function tokenSection(): HTMLElement {
  const label = h('input', { maxlength: 100, testid: 'admin-token-label', placeholder: 'z. B. Import-Skript' });
  const days = h('input', { type: 'number', min: 1, max: 3650, value: '90', testid: 'admin-token-days' });
  const status = statusLine('admin-token-status');
  const created = h('div', { class: 'admin-created', testid: 'admin-token-created' });
  const list = h('div', { class: 'data-table-wrap' });
  const form = h(
    'form',
    { class: 'admin-form admin-row' },
    field('admin-token-label', 'Name', label),
    field('admin-token-days', 'Gültig (Tage)', days),
    h('button', { type: 'submit', testid: 'admin-token-create' }, 'Token anlegen'),
  );

  const load = () =>
    fetchJson<ApiTokenView[]>('/api/tokens')
      .then((tokens) => fill(list, tokenTable(tokens)))
      .catch((err: unknown) => status.show(errorMessage(err), 'error'));

  const tokenTable = (tokens: ApiTokenView[]) => {
    if (!tokens.length) return h('p', { testid: 'admin-token-empty' }, 'Noch keine Tokens.');
    const now = new Date();
    return h(
      'table',
      { testid: 'admin-token-table' },
      h('caption', { class: 'sr-only' }, 'Eigene API-Tokens'),
      h('thead', {}, h('tr', {}, ...['Name', 'Angelegt', 'Läuft ab', 'Status', ''].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        ...tokens.map((t) => {
          const state = tokenState(t, now);
          return h(
            'tr',
            { testid: 'admin-token-row', 'data-id': t.id },
            h('td', {}, t.label),
            h('td', {}, formatDateTime(t.created)),
            h('td', {}, formatDateTime(t.expires)),
            h('td', { testid: 'admin-token-state' }, state.text),
            h(
              'td',
              {},
              state.active
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      testid: 'admin-token-revoke',
                      'aria-label': `Token „${t.label}“ widerrufen`,
                      onclick: () =>
                        send(`/api/tokens/${t.id}`, 'DELETE')
                          .then(() => {
                            status.show(`Token „${t.label}“ widerrufen: es gilt ab sofort nicht mehr.`);
                            fill(created);
                            return load();
                          })
                          .catch((err: unknown) => status.show(errorMessage(err), 'error')),
                    },
                    'Widerrufen',
                  )
                : null,
            ),
          );
        }),
      ),
    );
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = tokenForm(label.value, days.value);
    if (typeof body === 'string') return status.show(body, 'error');
    send<ApiTokenCreated>('/api/tokens', 'POST', body)
      .then((t) => {
        label.value = '';
        status.show('');
        fill(created, shownOnce(t));
        return load();
      })
      .catch((err: unknown) => status.show(errorMessage(err), 'error'));
  });
  void load();
  return h(
    'section',
    { class: 'admin-section' },
    h('h3', {}, 'Eigene API-Tokens'),
    h(
      'p',
      { class: 'panel-meta' },
      'Für Skripte und die Kommandozeile (Authorization: Bearer …); ein Token handelt mit der Rolle dieses Kontos.',
    ),
    form,
    status.el,
    created,
    list,
  );
}

/** The new token's secret, this one time, with a copy button and the warning. */
function shownOnce(t: ApiTokenCreated): HTMLElement {
  const secret = h('input', { readonly: true, value: t.token, testid: 'admin-token-secret', class: 'admin-secret' });
  secret.setAttribute('aria-label', `Neues Token „${t.label}“`);
  const copied = h('span', { role: 'status', class: 'panel-meta' });
  const copy = h('button', { type: 'button', testid: 'admin-token-copy' }, 'Kopieren');
  copy.addEventListener('click', () => {
    secret.select();
    navigator.clipboard
      ?.writeText(t.token)
      .then(() => fill(copied, 'Kopiert.'))
      .catch(() => fill(copied, 'Bitte markiert kopieren (Strg+C).'));
  });
  return h(
    'div',
    { role: 'alert', class: 'admin-once' },
    h(
      'p',
      {},
      h('strong', {}, `Token „${t.label}“ angelegt. `),
      'Es wird nur jetzt angezeigt: bitte sofort kopieren und sicher aufbewahren. ',
      `Gültig bis ${formatDateTime(t.expires)}.`,
    ),
    h('div', { class: 'admin-row' }, secret, copy, copied),
  );
}

function accountSection(self: string): HTMLElement {
  const name = h('input', { maxlength: 64, autocomplete: 'off', testid: 'admin-account-name' });
  let role = 'editor';
  const roleSelect = select({ testid: 'admin-account-role' }, ROLE_OPTIONS, role, (v) => (role = v));
  const password = h('input', { type: 'password', autocomplete: 'new-password', testid: 'admin-account-password' });
  const status = statusLine('admin-account-status');
  const list = h('div', { class: 'data-table-wrap' });
  const form = h(
    'form',
    { class: 'admin-form admin-row' },
    field('admin-account-name', 'Name', name),
    field('admin-account-role', 'Rolle', roleSelect),
    field('admin-account-password', 'Anfangspasswort (mindestens 8 Zeichen)', password),
    h('button', { type: 'submit', testid: 'admin-account-create' }, 'Konto anlegen'),
  );

  const load = () =>
    fetchJson<AccountView[]>('/api/accounts')
      .then((accounts) => fill(list, accountTable(accounts)))
      .catch((err: unknown) => status.show(errorMessage(err), 'error'));

  const patch = (a: AccountView, change: Partial<Pick<AccountView, 'role' | 'disabled'>>, done: string) =>
    send<AccountView>(`/api/accounts/${a.id}`, 'PATCH', change)
      .then(() => {
        status.show(done);
        return load();
      })
      .catch((err: unknown) => {
        status.show(errorMessage(err), 'error');
        return load();
      });

  const accountTable = (accounts: AccountView[]) =>
    h(
      'table',
      { testid: 'admin-account-table' },
      h('caption', { class: 'sr-only' }, 'Konten'),
      h('thead', {}, h('tr', {}, ...['Name', 'Rolle', 'Status', 'Angelegt', ''].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        ...accounts.map((a) => {
          // the own account is not changed here: that would end this very session
          const own = a.name === self;
          const roleCell = own
            ? h('span', {}, ROLE_LABEL[a.role])
            : select(
                { testid: 'admin-account-row-role', 'aria-label': `Rolle von ${a.name}` },
                ROLE_OPTIONS,
                a.role,
                (v) => void patch(a, { role: v as AccountView['role'] }, `Rolle von ${a.name} geändert.`),
              );
          return h(
            'tr',
            { testid: 'admin-account-row', 'data-name': a.name, 'data-role': a.role },
            h('td', {}, a.name, own ? ' (Sie)' : ''),
            h('td', {}, roleCell),
            h('td', { testid: 'admin-account-state' }, a.disabled ? 'gesperrt' : 'aktiv'),
            h('td', {}, formatDateTime(a.created)),
            h(
              'td',
              {},
              own
                ? null
                : h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      testid: 'admin-account-toggle',
                      onclick: () =>
                        void patch(
                          a,
                          { disabled: !a.disabled },
                          a.disabled ? `${a.name} ist wieder aktiv.` : `${a.name} ist gesperrt.`,
                        ),
                    },
                    a.disabled ? 'Entsperren' : 'Sperren',
                  ),
            ),
          );
        }),
      ),
    );

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = accountForm(name.value, role, password.value);
    if (typeof body === 'string') return status.show(body, 'error');
    send<AccountView>('/api/accounts', 'POST', body)
      .then((a) => {
        name.value = '';
        password.value = '';
        status.show(`Konto ${a.name} (${ROLE_LABEL[a.role]}) angelegt. Bitte das Anfangspasswort sicher übergeben.`);
        return load();
      })
      .catch((err: unknown) => status.show(errorMessage(err), 'error'));
  });
  void load();
  return h('section', { class: 'admin-section' }, h('h3', {}, 'Konten'), form, status.el, list);
}

const PAGE = 50;

function auditSection(): HTMLElement {
  const filter: AuditFilter = { limit: PAGE };
  const actor = h('input', { maxlength: 64, testid: 'admin-audit-actor', placeholder: 'alle' });
  const action = select(
    { testid: 'admin-audit-action' },
    [{ value: '', label: 'alle' }, ...ACTION_OPTIONS],
    '',
    (v) => (filter.action = v),
  );
  const status = statusLine('admin-audit-status');
  const body = h('tbody', { testid: 'admin-audit-body' });
  const more = h('button', { type: 'button', class: 'secondary', testid: 'admin-audit-more', hidden: true }, 'Ältere');
  const form = h(
    'form',
    { class: 'admin-form admin-row' },
    field('admin-audit-actor', 'Konto', actor),
    field('admin-audit-action', 'Aktion', action),
    h('button', { type: 'submit', testid: 'admin-audit-filter' }, 'Anzeigen'),
  );

  const load = (append: boolean) =>
    fetchJson<AuditEntry[]>(`/api/audit${auditQuery(filter)}`)
      .then((entries) => {
        const rows = entries.map((e) =>
          h(
            'tr',
            { testid: 'admin-audit-row', 'data-id': e.id },
            h('td', {}, formatDateTime(e.at)),
            h('td', {}, `${e.actor} (${ROLE_LABEL[e.role as AccountView['role']] ?? e.role})`),
            h('td', {}, auditWhat(e)),
            h('td', {}, auditObject(e)),
          ),
        );
        if (append) body.append(...rows);
        else fill(body, rows);
        if (!append && !entries.length) fill(body, h('tr', {}, h('td', { colspan: 4 }, 'Keine Einträge.')));
        more.hidden = entries.length < PAGE;
        filter.before = entries.at(-1)?.id ?? filter.before;
        status.show('');
      })
      .catch((err: unknown) => status.show(errorMessage(err), 'error'));

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    filter.actor = actor.value;
    filter.before = undefined;
    void load(false);
  });
  more.addEventListener('click', () => void load(true));
  void load(false);
  return h(
    'section',
    { class: 'admin-section' },
    h('h3', {}, 'Audit-Log'),
    h(
      'p',
      { class: 'panel-meta' },
      'Schreibzugriffe, neueste zuerst; Anfragedaten wie Passwörter werden nie gespeichert.',
    ),
    form,
    status.el,
    h(
      'div',
      { class: 'data-table-wrap' },
      h(
        'table',
        { testid: 'admin-audit-table' },
        h('caption', { class: 'sr-only' }, 'Audit-Log'),
        h('thead', {}, h('tr', {}, ...['Zeit', 'Wer', 'Was', 'Bezug'].map((t) => h('th', {}, t)))),
        body,
      ),
    ),
    more,
  );
}
