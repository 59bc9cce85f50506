/**
 * Login in the header: an "Anmelden" button opening a dialog with name and password (POST
 * /api/login); once logged in the button names the account and its role and offers "Abmelden".
 * The session's CSRF token goes to api.ts, which sends it on every write. A setup link of the
 * first start (#einrichten=<token>) opens the dialog to create the first admin (POST /api/setup);
 * the token is taken out of the address at once. A logged-in session also gets "Konto & Verwaltung"
 * (view-admin.ts: own password and tokens; accounts and audit log for admins). Loaded before main.ts (index.html), so the app's
 * URL state never sees the token. When the server has single sign-on (GET /api/oidc), the dialog
 * also offers "Mit Single Sign-on anmelden" (server/routes/oidc.ts).
 */
import type { SessionView } from '../../server/api-types.js';
import { errorMessage, fetchJson, setCsrfToken } from './api.js';
import { h, fill } from './dom.js';

const ROLE_LABEL: Record<string, string> = { viewer: 'Lesen', editor: 'Bearbeiten', admin: 'Verwaltung' };

/** The setup token of a first-start link, removed from the address before anything else reads it. */
function takeSetupToken(): string | null {
  const m = /(?:^#|&)einrichten=([\w-]+)/.exec(location.hash);
  if (!m) return null;
  const rest = location.hash
    .replace(/^#/, '')
    .split('&')
    .filter((p) => !p.startsWith('einrichten='))
    .join('&');
  history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  return m[1];
}

const setupToken = takeSetupToken();

const post = (url: string, body: unknown) =>
  fetchJson<SessionView>(url, { method: 'POST', body: JSON.stringify(body) });

function loginArea(): void {
  const host = document.getElementById('login');
  if (!host) return;
  const button = h('button', { type: 'button', class: 'login-button', testid: 'login-button' }, 'Anmelden');
  // Konto & Verwaltung (view-admin.ts, loaded on first use): for a logged-in browser session only
  const adminButton = h(
    'button',
    { type: 'button', class: 'login-button', testid: 'login-admin', hidden: true },
    'Konto & Verwaltung',
  );
  const error = h('p', { class: 'login-error', role: 'alert', testid: 'login-error' });
  const name = h('input', { id: 'login-name', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: setupToken ? 'new-password' : 'current-password',
    required: true,
    minlength: setupToken ? 8 : null,
  });
  const title = h('h2', {}, setupToken ? 'Erstes Admin-Konto einrichten' : 'Anmelden');
  const submit = h('button', { type: 'submit', testid: 'login-submit' }, setupToken ? 'Einrichten' : 'Anmelden');
  const cancel = h('button', { type: 'button', onclick: () => dialog.close() }, 'Abbrechen');
  // Single sign-on (GET /api/oidc says whether the server has it): a plain navigation to the IdP and
  // back to this very view (path, query and hash), so no secret passes through this script.
  const sso = h(
    'a',
    {
      class: 'login-sso',
      href: '/api/oidc/login',
      hidden: true,
      testid: 'login-sso',
      onclick: () => {
        sso.href = `/api/oidc/login?zurueck=${encodeURIComponent(location.pathname + location.search + location.hash)}`;
      },
    },
    'Mit Single Sign-on anmelden',
  );
  const form = h(
    'form',
    { method: 'dialog', testid: 'login-form' },
    title,
    h('label', { for: 'login-name' }, 'Name'),
    name,
    h('label', { for: 'login-password' }, setupToken ? 'Passwort (mindestens 8 Zeichen)' : 'Passwort'),
    password,
    error,
    h('div', { class: 'login-actions' }, submit, cancel),
    sso,
  );
  const dialog = h('dialog', { class: 'login-dialog', 'aria-labelledby': 'login-title' }, form);
  title.id = 'login-title';
  let session: SessionView | null = null;

  const show = (s: SessionView) => {
    session = s;
    setCsrfToken(s.csrfToken);
    button.textContent =
      s.authenticated && s.via === 'session'
        ? `Abmelden (${s.name}, ${ROLE_LABEL[s.role ?? ''] ?? s.role})`
        : 'Anmelden';
    button.title =
      s.authenticated && s.via === 'session' ? `Angemeldet als ${s.name}` : 'Mit Name und Passwort anmelden';
    adminButton.hidden = !(s.authenticated && s.via === 'session');
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    fill(error);
    submit.disabled = true;
    const body = { name: name.value.trim(), password: password.value };
    const done = setupToken ? post('/api/setup', { ...body, token: setupToken }) : post('/api/login', body);
    done
      .then((s) => {
        password.value = '';
        dialog.close();
        show(s);
        // the views load what the new role may see
        location.reload();
      })
      .catch((err: unknown) => fill(error, errorMessage(err)))
      .finally(() => (submit.disabled = false));
  });

  button.addEventListener('click', () => {
    if (session?.authenticated && session.via === 'session') {
      fetchJson('/api/logout', { method: 'POST' })
        .catch(() => undefined)
        .finally(() => {
          setCsrfToken(null);
          location.reload();
        });
      return;
    }
    fill(error);
    dialog.showModal();
    name.focus();
  });

  adminButton.addEventListener('click', () => {
    if (session) void import('./view-admin.js').then((m) => m.openAdmin(session!));
  });

  fill(host, adminButton, button, dialog);
  if (!setupToken)
    fetchJson<{ enabled: boolean }>('/api/oidc')
      .then((o) => (sso.hidden = !o.enabled))
      .catch(() => undefined);
  fetchJson<SessionView>('/api/session')
    .then((s) => {
      show(s);
      if (setupToken || (!s.authenticated && s.private)) dialog.showModal();
    })
    .catch(() => undefined);
}

loginArea();
