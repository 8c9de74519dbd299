import { decodeJwt } from 'jose';
import type { Deps } from '../../../services/deps.js';
import type { ClientRecord } from '../../../domain/clients/client.js';
import type { AuthenticationResultType } from '../../../model/generated/types.js';
import { clientSettingsOf } from '../../../domain/clients/app-client.js';
import { secretHash } from '../../../domain/clients/secret-hash.js';
import { settingsOf } from '../../../domain/pools/user-pool.js';
import { redirectWith, type AuthorizeRequest } from '../../../domain/oauth/authorize-request.js';
import { ServiceError } from '../../../kernel/errors.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import { openClientSecrets } from '../../../services/directory/client-secret.js';
import { passwordSignIn } from '../../../features/auth/flows/password-sign-in.js';
import { authOperations } from '../../../features/auth/index.js';
import { recoveryOperations } from '../../../features/recovery/index.js';
import { authorizeRequestOf, issueCode } from '../../../features/oauth/index.js';
import { pageCss } from '../../../features/branding/ui-customization.js';
import { redirect, type RouteRequest, type RouteResponse } from '../route.js';
import { csrfSecret, csrfToken, csrfValid, openBrowserSession, sessionCookie } from './browser-session.js';
import { endpointPool, type EndpointPool } from './endpoint-pool.js';
import { errorPage, escape, form, page } from './pages.js';

/**
 * GET /oauth2/authorize and the managed login pages (/login, /forgotPassword,
 * /confirmForgotPassword): cognito-facts-areas.md §4.2, §4.3. Every page re-checks the
 * authorize request carried in its query, so a page can never be steered to another client's
 * redirect_uri. The password is checked by InitiateAuth's own sign-in (passwordSignIn: lockout,
 * triggers, RESET_REQUIRED, FORCE_CHANGE_PASSWORD ...); the new password, forgotten password and
 * reset steps are RespondToAuthChallenge, ForgotPassword and ConfirmForgotPassword themselves.
 */
interface Ready {
  endpoint: EndpointPool;
  client: ClientRecord;
  request: AuthorizeRequest;
  /** The query to carry to the next page, as received. */
  query: string;
  /** SetUICustomization CSS for the client (or pool), safe inside <style>. */
  css: string;
}

async function prepare(deps: Deps, r: RouteRequest<unknown>): Promise<Ready | RouteResponse> {
  const endpoint = await endpointPool(deps, r.params, r.headers, r.ctx.baseUrl);
  if (!endpoint) return errorPage('No user pool domain answers here.', 404);
  const { outcome, client } = await authorizeRequestOf(deps, endpoint.pool, r.query);
  if (outcome.kind === 'page' || !client) return errorPage(outcome.kind === 'page' ? outcome.message : 'The application (client_id) is not known here.');
  if (outcome.kind === 'redirect') {
    return redirect(redirectWith(outcome.redirectUri, { error: outcome.error.error, ...(outcome.error.description && { error_description: outcome.error.description }), state: outcome.state }));
  }
  const css = await pageCss(deps.store, endpoint.pool.id, client.id);
  return { endpoint, client, request: outcome.request, query: r.query.toString(), css };
}

const secure = (ready: Ready) => ready.endpoint.base.startsWith('https:');

/** The code for the signed-in user, the session cookie, and the way back to the app. */
function complete(deps: Deps, ready: Ready, sub: string, authTime: number): RouteResponse {
  const { request } = ready;
  const code = issueCode(deps, {
    poolId: ready.endpoint.pool.id,
    clientId: ready.client.id,
    redirectUri: request.redirectUri,
    userSub: sub,
    scopes: request.scopes,
    challenge: request.challenge,
    nonce: request.nonce,
    authTime,
  });
  const cookie = sessionCookie(deps, { poolId: ready.endpoint.pool.id, sub, authTime }, ready.endpoint.cookiePath, secure(ready));
  return redirect(redirectWith(request.redirectUri, { code, state: request.state }), 302, { 'Set-Cookie': cookie, 'Cache-Control': 'no-store' });
}

/**
 * The sign-in proved the user; the tokens it made are not the ones the app gets (those come from
 * the code, with the granted scopes). Its refresh token is revoked at once, so no live token
 * exists that nobody holds.
 */
async function fromTokens(deps: Deps, ready: Ready, result: AuthenticationResultType): Promise<RouteResponse> {
  const claims = decodeJwt(result.IdToken as string);
  const origin = decodeJwt(result.AccessToken as string).origin_jti;
  const unused = typeof origin === 'string' ? await deps.store.getRefreshTokenByOrigin(origin) : undefined;
  if (unused) await deps.store.revokeRefreshToken(unused.tokenHash, deps.clock.nowMs());
  return complete(deps, ready, claims.sub as string, claims.auth_time as number);
}

function secretHashFor(deps: Deps, client: ClientRecord, username: string): string | undefined {
  const secrets = openClientSecrets(client, deps.secrets);
  return secrets[0] === undefined ? undefined : secretHash(secrets[0], username, client.id);
}

/** A page with a form, its CSRF token, and the cookie that gives the browser a CSRF secret. */
function formPage(deps: Deps, ready: Ready, r: RouteRequest<unknown>, title: string, render: (csrf: string) => string, status = 200): RouteResponse {
  const csrf = csrfSecret(deps, r.headers, ready.endpoint.cookiePath, secure(ready));
  return page(title, render(csrfToken(deps, csrf.secret)), status, csrf.setCookie ? [csrf.setCookie] : [], ready.css);
}

const at = (ready: Ready, path: string) => `${ready.endpoint.base}${path}?${ready.query}`;

function signInPage(deps: Deps, ready: Ready, r: RouteRequest<unknown>, error?: string, notice?: string): RouteResponse {
  return formPage(deps, ready, r, 'Sign in', (csrf) =>
    [
      notice === undefined ? '' : `<p role="status">${notice}</p>`,
      form(at(ready, '/login'), csrf, [
        { name: '_action', label: '', type: 'hidden', value: 'signin' },
        { name: 'username', label: 'Username', type: 'text', autocomplete: 'username' },
        { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
      ], 'Sign in', error),
      `<p><a href="${escape(at(ready, '/forgotPassword'))}">Forgot your password?</a></p>`,
    ].join(''),
  );
}

function newPasswordPage(deps: Deps, ready: Ready, r: RouteRequest<unknown>, username: string, session: string, error?: string): RouteResponse {
  return formPage(deps, ready, r, 'Change your password', (csrf) =>
    form(at(ready, '/login'), csrf, [
      { name: '_action', label: '', type: 'hidden', value: 'new_password' },
      { name: 'username', label: '', type: 'hidden', value: username },
      { name: 'session', label: '', type: 'hidden', value: session },
      { name: 'new_password', label: 'New password', type: 'password', autocomplete: 'new-password' },
    ], 'Change password', error),
  );
}

function forgotPage(deps: Deps, ready: Ready, r: RouteRequest<unknown>, username?: string, error?: string, notice?: string): RouteResponse {
  return formPage(deps, ready, r, 'Reset your password', (csrf) =>
    (notice === undefined ? '' : `<p role="status">${notice}</p>`) +
    form(at(ready, '/forgotPassword'), csrf, [{ name: 'username', label: 'Username', type: 'text', autocomplete: 'username', ...(username !== undefined && { value: username }) }], 'Send a code', error),
  );
}

function confirmPage(deps: Deps, ready: Ready, r: RouteRequest<unknown>, username: string, error?: string): RouteResponse {
  return formPage(deps, ready, r, 'Enter the code', (csrf) =>
    '<p role="status">If the account exists, a code to reset its password has been sent.</p>' +
    form(at(ready, '/confirmForgotPassword'), csrf, [
      { name: 'username', label: '', type: 'hidden', value: username },
      { name: 'code', label: 'Code', type: 'text', autocomplete: 'one-time-code' },
      { name: 'new_password', label: 'New password', type: 'password', autocomplete: 'new-password' },
    ], 'Reset password', error),
  );
}

/** The message a refused step shows: AWS's own text, except where it would tell which users exist. */
function shown(err: ServiceError): string {
  if (err.name === 'UserNotFoundException') return 'Incorrect username or password.';
  return err.message;
}

function field(body: URLSearchParams, name: string): string {
  const value = body.get(name) ?? '';
  return value.length > 4096 ? '' : value;
}

export function authorizeHandler(deps: Deps) {
  return async (r: RouteRequest<unknown>): Promise<RouteResponse> => {
    const ready = await prepare(deps, r);
    if (!('request' in ready)) return ready;
    const session = openBrowserSession(deps, r.headers, ready.endpoint.pool.id);
    if (session) {
      const user = await deps.store.getUserBySub(ready.endpoint.pool.id, session.sub);
      if (user && user.enabled && (user.status === 'CONFIRMED' || user.status === 'EXTERNAL_PROVIDER')) return complete(deps, ready, session.sub, session.authTime);
    }
    return redirect(at(ready, '/login'), 302, { 'Cache-Control': 'no-store' });
  };
}

export function loginPageHandler(deps: Deps) {
  return async (r: RouteRequest<unknown>): Promise<RouteResponse> => {
    const ready = await prepare(deps, r);
    return 'request' in ready ? signInPage(deps, ready, r) : ready;
  };
}

export function loginSubmitHandler(deps: Deps) {
  return async (r: RouteRequest<URLSearchParams>): Promise<RouteResponse> => {
    const ready = await prepare(deps, r);
    if (!('request' in ready)) return ready;
    if (!csrfValid(deps, r.headers, r.body.get('_csrf'))) return signInPage(deps, ready, r, 'The page expired. Please try again.');
    const username = field(r.body, 'username');
    const pool = ready.endpoint.pool;
    const sc = { pool, settings: settingsOf(pool), client: ready.client, clientSettings: clientSettingsOf(ready.client), clientSecrets: openClientSecrets(ready.client, deps.secrets) };
    const hash = secretHashFor(deps, ready.client, username);
    try {
      if (r.body.get('_action') === 'new_password') {
        const session = field(r.body, 'session');
        try {
          const answer = await authOperations.RespondToAuthChallenge(deps)(
            {
              ClientId: ready.client.id,
              ChallengeName: 'NEW_PASSWORD_REQUIRED',
              Session: session,
              ChallengeResponses: { USERNAME: username, NEW_PASSWORD: field(r.body, 'new_password'), ...(hash !== undefined && { SECRET_HASH: hash }) },
            },
            r.ctx,
          );
          if (answer.AuthenticationResult) return fromTokens(deps, ready, answer.AuthenticationResult);
          return errorPage('This sign-in needs a step (such as multi-factor authentication) that these pages do not offer yet.');
        } catch (err) {
          if (err instanceof ServiceError && err.name === 'InvalidPasswordException') return newPasswordPage(deps, ready, r, username, session, err.message);
          throw err;
        }
      }
      if (username === '') return signInPage(deps, ready, r, 'Enter your username and password.');
      const answer = await passwordSignIn(deps, sc, { USERNAME: username, PASSWORD: field(r.body, 'password'), ...(hash !== undefined && { SECRET_HASH: hash }) }, r.ctx as RequestContext);
      if (answer.AuthenticationResult) return fromTokens(deps, ready, answer.AuthenticationResult);
      if (answer.ChallengeName === 'NEW_PASSWORD_REQUIRED') return newPasswordPage(deps, ready, r, answer.ChallengeParameters?.USER_ID_FOR_SRP ?? username, answer.Session as string);
      return errorPage('This sign-in needs a step (such as multi-factor authentication) that these pages do not offer yet.');
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      // RESET_REQUIRED: never tokens; the way on is the reset with an emailed code.
      if (err.name === 'PasswordResetRequiredException') return forgotPage(deps, ready, r, username, undefined, 'Your password must be reset before you can sign in.');
      return signInPage(deps, ready, r, shown(err));
    }
  };
}

export function forgotPageHandler(deps: Deps) {
  return async (r: RouteRequest<unknown>): Promise<RouteResponse> => {
    const ready = await prepare(deps, r);
    return 'request' in ready ? forgotPage(deps, ready, r) : ready;
  };
}

export function forgotSubmitHandler(deps: Deps) {
  return async (r: RouteRequest<URLSearchParams>): Promise<RouteResponse> => {
    const ready = await prepare(deps, r);
    if (!('request' in ready)) return ready;
    if (!csrfValid(deps, r.headers, r.body.get('_csrf'))) return forgotPage(deps, ready, r, undefined, 'The page expired. Please try again.');
    const username = field(r.body, 'username');
    if (username === '') return forgotPage(deps, ready, r, undefined, 'Enter your username.');
    const hash = secretHashFor(deps, ready.client, username);
    try {
      await recoveryOperations.ForgotPassword(deps)({ ClientId: ready.client.id, Username: username, ...(hash !== undefined && { SecretHash: hash }) }, r.ctx);
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      // Whether the user exists is not told here.
      if (err.name !== 'UserNotFoundException') return forgotPage(deps, ready, r, username, err.message);
    }
    return confirmPage(deps, ready, r, username);
  };
}

export function confirmForgotSubmitHandler(deps: Deps) {
  return async (r: RouteRequest<URLSearchParams>): Promise<RouteResponse> => {
    const ready = await prepare(deps, r);
    if (!('request' in ready)) return ready;
    const username = field(r.body, 'username');
    if (!csrfValid(deps, r.headers, r.body.get('_csrf'))) return confirmPage(deps, ready, r, username, 'The page expired. Please try again.');
    const hash = secretHashFor(deps, ready.client, username);
    try {
      await recoveryOperations.ConfirmForgotPassword(deps)(
        { ClientId: ready.client.id, Username: username, ConfirmationCode: field(r.body, 'code'), Password: field(r.body, 'new_password'), ...(hash !== undefined && { SecretHash: hash }) },
        r.ctx,
      );
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      return confirmPage(deps, ready, r, username, shown(err));
    }
    return signInPage(deps, ready, r, undefined, 'Your password has been changed. Sign in with it.');
  };
}
