/**
 * Single sign-on with OpenID Connect (issue 15, part 3), with openid-client: the authorization code
 * flow with PKCE (S256), state and nonce. start() keeps the flow's secrets on the server
 * (sql/020 oidc_flow) under the hash of a random value that the browser holds in a short-lived
 * cookie, so only the browser that started a login can finish it (no login CSRF); finish() takes
 * that flow once, lets openid-client check the answer (state, issuer, ID token signature, nonce,
 * PKCE at the token endpoint), reads the role claim (from the ID token, else from userinfo), maps it
 * to a role (oidc-config.ts) and links the local account (oidc-accounts.ts). Every failure is an
 * HttpError with a German message; the IdP's own wording follows in the details.
 *
 * The IdP's metadata is discovered once, lazily (and tried at start to log a clear error); a failed
 * discovery is not kept, so the next login tries again.
 */
import * as client from 'openid-client';
import type { Db } from '../../geodata/db.js';
import { HttpError } from '../http/errors.js';
import { newSecret, secretHash } from './accounts-secret.js';
import { claimAt, claimValues, roleFromClaim, type OidcConfig } from './oidc-config.js';
import { upsertOidcAccount, type OidcAccount } from './oidc-accounts.js';

/** How long a login at the IdP may take: 10 minutes, then the flow is gone. */
export const FLOW_MINUTES = 10;
/** Timeout of each request to the IdP. */
const IDP_TIMEOUT_MS = 10_000;

export interface OidcService {
  /** Discovers the IdP's metadata (once); rejects with a 503 HttpError when it is unreachable. */
  ready(): Promise<void>;
  /** A new login: the IdP's authorization URL and the value of the flow cookie. */
  start(returnTo: string | null): Promise<{ url: string; flowToken: string }>;
  /** Finishes a login at the callback; the flow is used up whatever the outcome. */
  finish(flowToken: string | null, callbackUrl: URL): Promise<OidcAccount & { returnTo: string | null }>;
}

const timedFetch: client.CustomFetch = (url, options) =>
  fetch(url, { ...options, signal: AbortSignal.timeout(IDP_TIMEOUT_MS) } as RequestInit);

const refused = (status: number, message: string, details?: unknown) =>
  new HttpError(
    status,
    status === 403 ? 'forbidden' : status >= 500 ? 'idp_unavailable' : 'oidc_refused',
    message,
    details,
  );

/** The German answer to an error of openid-client at the callback. */
function callbackError(err: unknown, issuer: string): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof client.AuthorizationResponseError)
    return refused(403, `Der Anmeldedienst hat die Anmeldung abgelehnt (${err.error})`, {
      error: err.error,
      description: err.error_description ?? null,
    });
  if (err instanceof client.ResponseBodyError)
    return refused(
      400,
      `Der Anmeldedienst hat den Anmeldecode nicht angenommen (${err.error}): bitte erneut anmelden`,
      {
        error: err.error,
        description: err.error_description ?? null,
      },
    );
  // openid-client wraps the check that failed as the cause ('invalid response encountered')
  const cause = (err as { cause?: { name?: string; message?: string } })?.cause;
  const message = [err instanceof Error ? err.message : String(err), cause?.message].filter(Boolean).join(': ');
  if ((err instanceof TypeError && /fetch/i.test(message)) || cause?.name === 'TimeoutError')
    return refused(503, `Der Anmeldedienst ${issuer} ist nicht erreichbar: bitte später erneut versuchen`);
  if (/"state"/.test(message))
    return refused(
      400,
      'Anmeldung abgelehnt: der Parameter state passt nicht zu diesem Anmeldevorgang (veraltet oder manipuliert)',
      { reason: message },
    );
  return refused(400, 'Die Antwort des Anmeldedienstes ist ungültig: Anmeldung abgelehnt', { reason: message });
}

/** A path of this app to return to after the login (same origin only), or null. */
export function safeReturnTo(s: unknown): string | null {
  if (typeof s !== 'string' || s.length > 1000) return null;
  return /^\/(?![/\\])[^\s\\]*$/.test(s) ? s : null;
}

export function oidcService(cfg: OidcConfig, db: Db): OidcService {
  let discovered: Promise<client.Configuration> | undefined;

  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(
        new URL(cfg.issuer),
        cfg.clientId,
        { client_secret: cfg.clientSecret, redirect_uris: [cfg.redirectUri] },
        client.ClientSecretBasic(cfg.clientSecret),
        { execute: cfg.allowHttp ? [client.allowInsecureRequests] : [], [client.customFetch]: timedFetch },
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw refused(
          503,
          `Der Anmeldedienst ${cfg.issuer} ist nicht erreichbar oder antwortet nicht als OpenID-Anbieter`,
          {
            reason: err instanceof Error ? err.message : String(err),
          },
        );
      });
    return discovered;
  };

  return {
    async ready() {
      await configuration();
    },

    async start(returnTo) {
      const conf = await configuration();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const flowToken = newSecret();
      await db.query('DELETE FROM oidc_flow WHERE expires <= now()');
      await db.query(
        `INSERT INTO oidc_flow (id, state, nonce, code_verifier, return_to, expires)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(mins => $6))`,
        [secretHash(flowToken), state, nonce, verifier, safeReturnTo(returnTo), FLOW_MINUTES],
      );
      const url = client.buildAuthorizationUrl(conf, {
        redirect_uri: cfg.redirectUri,
        scope: cfg.scopes,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, flowToken };
    },

    async finish(flowToken, callbackUrl) {
      const { rows } = flowToken
        ? await db.query<{ state: string; nonce: string; code_verifier: string; return_to: string | null }>(
            `DELETE FROM oidc_flow WHERE id = $1 AND expires > now() RETURNING state, nonce, code_verifier, return_to`,
            [secretHash(flowToken)],
          )
        : { rows: [] };
      const flow = rows[0];
      if (!flow)
        throw refused(
          400,
          'Dieser Anmeldevorgang ist abgelaufen oder gehört nicht zu diesem Browser: bitte erneut anmelden',
        );
      try {
        const conf = await configuration();
        const tokens = await client.authorizationCodeGrant(conf, callbackUrl, {
          pkceCodeVerifier: flow.code_verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) throw refused(400, 'Der Anmeldedienst hat kein ID-Token geschickt');
        let claims: Record<string, unknown> = { ...idClaims };
        // Many IdPs put groups only into userinfo: ask there when the ID token lacks the claim.
        if (claimAt(claims, cfg.roleClaim) === undefined && conf.serverMetadata().userinfo_endpoint)
          claims = { ...(await client.fetchUserInfo(conf, tokens.access_token, idClaims.sub)), ...claims };
        const claim = claimAt(claims, cfg.roleClaim);
        const role = roleFromClaim(cfg.roles, claimValues(claim));
        if (!role)
          throw refused(
            403,
            claim === undefined
              ? `Keine Berechtigung für Sozialatlas: der Anmeldedienst nennt keine Rolle (Angabe '${cfg.roleClaim}' fehlt)`
              : `Keine Berechtigung für Sozialatlas: keine der Gruppen in '${cfg.roleClaim}' ist einer Rolle zugeordnet`,
          );
        const name = [claims.preferred_username, claims.email, claims.name].find(
          (v): v is string => typeof v === 'string' && v.trim() !== '',
        );
        const account = await upsertOidcAccount(
          db,
          { issuer: idClaims.iss, subject: idClaims.sub, displayName: name ?? null },
          role,
        );
        return { ...account, returnTo: flow.return_to };
      } catch (err) {
        throw callbackError(err, cfg.issuer);
      }
    },
  };
}
