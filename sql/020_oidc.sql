-- 020 Single sign-on with OpenID Connect (issue 15, part 3). An account that logged in through the
-- identity provider (IdP) is linked to the IdP's subject: (issuer, subject) is the identity, never
-- the name, so a local account with the same name is never taken over. Such an account has no
-- password: its account.password_hash is '!sso', which matches no scrypt hash and so never verifies
-- (server/services/accounts-password.ts). Its role follows the IdP's claim at every login.
CREATE TABLE account_oidc (
  account     integer PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,
  issuer      text NOT NULL,
  subject     text NOT NULL,
  created     timestamptz NOT NULL DEFAULT now(),
  last_login  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (issuer, subject)
);

-- A login under way at the IdP (authorization code flow with PKCE): id = SHA-256 of the random
-- value in the short-lived HttpOnly cookie that binds the flow to the browser which started it;
-- state, nonce and the PKCE verifier stay here, on the server. Used once (deleted at the
-- callback); expired rows are removed when the next login starts.
CREATE TABLE oidc_flow (
  id             text PRIMARY KEY,
  state          text NOT NULL,
  nonce          text NOT NULL,
  code_verifier  text NOT NULL,
  return_to      text,
  expires        timestamptz NOT NULL
);
