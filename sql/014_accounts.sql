-- 014 Accounts and roles (issue 15, part 3): named accounts with a role instead of one printed
-- token, browser sessions, personal API tokens for scripts, the one-time setup link of the first
-- start, and the audit log of writes. No secret is stored in clear: passwords as scrypt hashes
-- (server/services/accounts-password.ts: "scrypt$N$r$p$salt$hash", per-account salt), session
-- ids, API tokens and setup tokens as SHA-256 hex digests of the random value the client holds.
--
-- account.role: viewer reads (also in the internal mode), editor writes data (imports, runs,
-- publishing, warning rules), admin also administers (accounts, settings, audit log).
CREATE TABLE account (
  id            serial PRIMARY KEY,
  name          text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  role          text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  password_hash text NOT NULL,
  created       timestamptz NOT NULL DEFAULT now(),
  disabled      boolean NOT NULL DEFAULT false
);

-- A browser login: id = SHA-256 of the cookie's random token; csrf = the token the client sends
-- back in X-CSRF-Token on every state-changing request (double submit bound to the session).
CREATE TABLE session (
  id       text PRIMARY KEY,
  account  integer NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  created  timestamptz NOT NULL DEFAULT now(),
  expires  timestamptz NOT NULL,
  csrf     text NOT NULL
);
CREATE INDEX session_account_idx ON session (account);

-- A personal API token (Authorization: Bearer sat_…): shown once at creation, stored as its hash;
-- revoked or expired tokens are refused at once.
CREATE TABLE api_token (
  id       serial PRIMARY KEY,
  account  integer NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  label    text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  hash     text NOT NULL UNIQUE,
  created  timestamptz NOT NULL DEFAULT now(),
  expires  timestamptz,
  revoked  timestamptz
);
CREATE INDEX api_token_account_idx ON api_token (account);

-- The one-time link of the first start (…/#einrichten=<token>) with which the first admin sets a
-- name and password; valid 24 h, used once.
CREATE TABLE setup_token (
  hash     text PRIMARY KEY,
  created  timestamptz NOT NULL DEFAULT now(),
  expires  timestamptz NOT NULL,
  used     timestamptz
);

-- Every state-changing request that passed authorisation, written after its response: who (name
-- and role at the time), what (method, path, the route as action, the id it named as target),
-- details a route added (e.g. {"importId": 7}) and the HTTP status. Never a password or token.
CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL,
  role    text NOT NULL,
  method  text NOT NULL,
  path    text NOT NULL,
  action  text NOT NULL,
  target  text,
  detail  jsonb,
  status  integer NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log (id DESC);
