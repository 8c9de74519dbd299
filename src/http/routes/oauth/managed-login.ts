import type { Deps } from '../../../services/deps.js';
import { ServiceError } from '../../../kernel/errors.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import { passwordSignIn } from '../../../features/auth/flows/password-sign-in.js';
import { recoveryOperations } from '../../../features/recovery/index.js';
import type { RouteRequest, RouteResponse } from '../route.js';
import { redirect } from '../route.js';
import { csrfValid, openBrowserSession } from './browser-session.js';
import { challengeStep } from './challenge-pages.js';
import { unconfirmedSignIn } from './signup-pages.js';
import { at, complete, field, formPage, fromTokens, prepare, secretHashFor, shown, signInClientOf, type Ready } from './login-kit.js';
import { escape, form } from './pages.js';
import { allowsCognito, federationLinks, federationRedirect } from './federation-redirect.js';

/**
 * GET /oauth2/authorize and the managed login pages (/login, /forgotPassword,
 * /confirmForgotPassword): cognito-facts-areas.md §4.2, §4.3. Every page re-checks the
 * authorize request carried in its query (login-kit.ts prepare), so a page can never be steered
 * to another client's redirect_uri. The password is checked by InitiateAuth's own sign-in
 * (passwordSignIn: lockout, triggers, RESET_REQUIRED, FORCE_CHANGE_PASSWORD ...); the challenges
 * that follow (new password, MFA) are challenge-pages.ts, sign-up is signup-pages.ts; the
 * forgotten password and reset steps are ForgotPassword and ConfirmForgotPassword themselves.
 */

export function signInPage(deps: Deps, ready: Ready, r: RouteRequest<unknown>, error?: string, notice?: string): RouteResponse {
  return formPage(deps, ready, r, 'Sign in', (csrf) =>
    [
      notice === undefined ? '' : `<p role="status">${notice}</p>`,
      // "Sign in with <provider>" for the client's other providers; the form only where COGNITO is one.
      federationLinks(ready),
      !allowsCognito(ready) ? (error === undefined ? '' : `<p class="error" role="alert">${escape(error)}</p>`) : form(at(ready, '/login'), csrf, [
        { name: '_action', label: '', type: 'hidden', value: 'signin' },
        { name: 'username', label: 'Username', type: 'text', autocomplete: 'username' },
        { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
      ], 'Sign in', error),
      `<p><a href="${escape(at(ready, '/forgotPassword'))}">Forgot your password?</a></p>`,
      allowsCognito(ready) ? `<p>Need an account? <a href="${escape(at(ready, '/signup'))}">Sign up</a></p>` : '',
    ].join(''),
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

export function authorizeHandler(deps: Deps) {
  return async (r: RouteRequest<unknown>): Promise<RouteResponse> => {
    const ready = await prepare(deps, r);
    if (!('request' in ready)) return ready;
    const federated = await federationRedirect(deps, ready, r);
    if (federated) return federated;
    const session = openBrowserSession(deps, r.headers, ready.endpoint.pool.id);
    if (session) {
      const user = await deps.store.getUserBySub(ready.endpoint.pool.id, session.sub);
      if (user && user.enabled && (user.status === 'CONFIRMED' || user.status === 'EXTERNAL_PROVIDER')) return complete(deps, ready, session.sub, session.authTime, r.ctx.baseUrl, session.saml);
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
    if (!allowsCognito(ready)) return signInPage(deps, ready, r, 'Login option is not available. Please try another one');
    const username = field(r.body, 'username');
    if (username === '') return signInPage(deps, ready, r, 'Enter your username and password.');
    const hash = secretHashFor(deps, ready.client, username);
    try {
      const answer = await passwordSignIn(deps, signInClientOf(deps, ready), { USERNAME: username, PASSWORD: field(r.body, 'password'), ...(hash !== undefined && { SECRET_HASH: hash }) }, r.ctx as RequestContext);
      if (answer.AuthenticationResult) return fromTokens(deps, ready, answer.AuthenticationResult, r.ctx.baseUrl);
      // NEW_PASSWORD_REQUIRED, the MFA challenges: their pages, the session kept sealed (challenge-pages.ts).
      return challengeStep(deps, ready, r, answer.ChallengeParameters?.USER_ID_FOR_SRP ?? username, answer);
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      // RESET_REQUIRED: never tokens; the way on is the reset with an emailed code.
      if (err.name === 'PasswordResetRequiredException') return forgotPage(deps, ready, r, username, undefined, 'Your password must be reset before you can sign in.');
      // UNCONFIRMED: a new code and the confirmation page (signup-pages.ts).
      if (err.name === 'UserNotConfirmedException') return unconfirmedSignIn(deps, ready, r, username);
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
