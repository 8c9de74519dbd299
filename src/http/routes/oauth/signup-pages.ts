import type { Deps } from '../../../services/deps.js';
import { ServiceError } from '../../../kernel/errors.js';
import type { AttributeType, CodeDeliveryDetailsType } from '../../../model/generated/types.js';
import { DEFAULT_PASSWORD_POLICY, settingsOf, type PoolSettings } from '../../../domain/pools/user-pool.js';
import { clientSettingsOf } from '../../../domain/clients/app-client.js';
import { signupOperations } from '../../../features/signup/index.js';
import { signUpTermsLinks } from '../../../features/branding/sign-up-terms.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import { finishSignIn } from '../../../features/auth/finish-sign-in.js';
import { findUser } from '../../../services/directory/find-user.js';
import type { RouteRequest, RouteResponse } from '../route.js';
import { csrfValid } from './browser-session.js';
import { at, checked, field, formPage, fromTokens, prepare, secretHashFor, shown, signInClientOf, type Ready } from './login-kit.js';
import { openFormState, sealFormState } from './form-state.js';
import { signUpStates, type SignUpState } from './signup-state.js';
import { errorPage, escape, form, page, type Field } from './pages.js';

/**
 * Sign-up on the managed login pages (cognito-facts-areas.md §4.3): /signup asks for the
 * username (or the email address or phone number the pool signs in with), the password (the
 * pool's policy stated beside it, its refusal shown in AWS's words) and the attributes the pool
 * requires, with the client's terms links (CreateTerms) once both documents exist; /confirmUser
 * takes the code sent to the user (and sends a new one). Each step is SignUp, ConfirmSignUp or
 * ResendConfirmationCode itself, so the PreSignUp, CustomMessage and PostConfirmation functions,
 * the password policy and the attempt limits apply. A browser that has just proven the password
 * (on /signup, or on /login for an UNCONFIRMED user) is signed in once the code confirms the
 * user and goes back to the app, as AWS's hosted UI does (signup-state.ts), and so is a user the
 * PreSignUp function confirmed; any other confirmation (another browser, GET /confirmUser) leads to /login.
 */

/** The sign-in page (managed-login.ts), handed in by the route table so the two files do not import each other. */
export type SignInPage = (deps: Deps, ready: Ready, r: RouteRequest<unknown>, error?: string, notice?: string) => RouteResponse;

const ATTRIBUTE_PREFIX = 'attribute.';
const CONTACT_AUTOCOMPLETE: Record<string, string> = { email: 'email', phone_number: 'tel', given_name: 'given-name', family_name: 'family-name', name: 'name', birthdate: 'bday', address: 'street-address', locale: 'language', nickname: 'nickname', website: 'url' };

function label(name: string): string {
  const words = name.replace(/^custom:/, '').replace(/_/g, ' ');
  if (name === 'phone_number') return 'Phone number (e.g. +14325551212)';
  if (name === 'birthdate') return 'Birthdate (YYYY-MM-DD)';
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What the pool signs in with, as the username field is labelled. */
function usernameLabel(settings: PoolSettings): string {
  const by = settings.UsernameAttributes ?? [];
  if (by.includes('email') && by.includes('phone_number')) return 'Email or phone number';
  if (by.includes('email')) return 'Email';
  if (by.includes('phone_number')) return 'Phone number';
  return 'Username';
}

/**
 * The attributes the form asks for: those the pool requires, and the contacts it verifies
 * (optional unless required), except what the username itself is.
 */
function attributeFields(settings: PoolSettings): { name: string; required: boolean }[] {
  const byUsername = new Set<string>(settings.UsernameAttributes ?? []);
  const required = settings.SchemaAttributes.filter((a) => a.Required && a.Name !== undefined && a.Name !== 'sub' && !byUsername.has(a.Name)).map((a) => a.Name as string);
  const contacts = (settings.AutoVerifiedAttributes ?? []).filter((a) => !byUsername.has(a) && !required.includes(a));
  return [...required.map((name) => ({ name, required: true })), ...contacts.map((name) => ({ name, required: false }))];
}

function passwordRules(settings: PoolSettings): string {
  const policy = { ...DEFAULT_PASSWORD_POLICY, ...settings.Policies?.PasswordPolicy };
  const needs = [
    policy.RequireLowercase && 'a lowercase letter',
    policy.RequireUppercase && 'an uppercase letter',
    policy.RequireNumbers && 'a number',
    policy.RequireSymbols && 'a symbol',
  ].filter((n): n is string => typeof n === 'string');
  return `At least ${policy.MinimumLength} characters${needs.length > 0 ? `, with ${needs.join(', ')}` : ''}.`;
}

const safeLink = (url: string) => /^https?:\/\//i.test(url);

/** Sign-up is for the pool's own users: a client that signs in only through other providers has none. */
async function prepareSignUp(deps: Deps, r: RouteRequest<unknown>): Promise<Ready | RouteResponse> {
  const ready = await prepare(deps, r);
  if (!('request' in ready)) return ready;
  if (!(clientSettingsOf(ready.client).SupportedIdentityProviders ?? []).includes('COGNITO')) return errorPage('This application does not sign users up here.');
  return ready;
}

async function signUpPage(deps: Deps, ready: Ready, r: RouteRequest<unknown>, values: Record<string, string> = {}, error?: string): Promise<RouteResponse> {
  const settings = settingsOf(ready.endpoint.pool);
  const terms = await signUpTermsLinks(deps.store, ready.endpoint.pool.id, ready.client.id);
  const fields: Field[] = [
    { name: 'username', label: usernameLabel(settings), type: 'text', autocomplete: 'username', ...(values.username !== undefined && { value: values.username }) },
    { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password' },
    ...attributeFields(settings).map(({ name, required }): Field => {
      const key = ATTRIBUTE_PREFIX + name;
      return { name: key, label: required ? label(name) : `${label(name)} (optional)`, type: 'text', optional: !required, ...(CONTACT_AUTOCOMPLETE[name] && { autocomplete: CONTACT_AUTOCOMPLETE[name] }), ...(values[key] !== undefined && { value: values[key] }) };
    }),
  ];
  const termsHtml =
    terms && safeLink(terms.termsOfUse) && safeLink(terms.privacyPolicy)
      ? `<p class="legalText-customizable">By signing up, you agree to the <a href="${escape(terms.termsOfUse)}">Terms of use</a> and the <a href="${escape(terms.privacyPolicy)}">Privacy policy</a>.</p>`
      : '';
  return formPage(deps, ready, r, 'Sign up', (csrf) =>
    `<p id="password-rules">Password: ${escape(passwordRules(settings))}</p>` +
    form(at(ready, '/signup'), csrf, fields, 'Sign up', error, termsHtml) +
    `<p>Already have an account? <a href="${escape(at(ready, '/login'))}">Sign in</a></p>`,
  );
}

function deliveryNotice(details: CodeDeliveryDetailsType | undefined): string {
  if (!details) return 'We sent you a confirmation code.';
  const medium = details.DeliveryMedium === 'SMS' ? 'a text message' : 'an email';
  return `We sent a confirmation code in ${medium}${details.Destination ? ` to ${details.Destination}` : ''}.`;
}

/**
 * The confirmation page: the code for `username`, and a way to have another one sent. `proof` is
 * the sealed sign-up state (signup-state.ts) both forms carry, when this browser proved the password.
 */
function confirmUserPage(deps: Deps, ready: Ready, r: RouteRequest<unknown>, username: string | undefined, notice?: string, error?: string, proof?: string): RouteResponse {
  const proofField = proof === undefined ? '' : `<input type="hidden" name="signup" value="${escape(proof)}">`;
  return formPage(deps, ready, r, 'Confirm your account', (csrf) =>
    (notice === undefined ? '' : `<p role="status">${escape(notice)}</p>`) +
    form(at(ready, '/confirmUser'), csrf, [
      { name: '_action', label: '', type: 'hidden', value: 'confirm' },
      username === undefined ? { name: 'username', label: 'Username', type: 'text', autocomplete: 'username' } : { name: 'username', label: '', type: 'hidden', value: username },
      ...(proof === undefined ? [] : [{ name: 'signup', label: '', type: 'hidden', value: proof } satisfies Field]),
      { name: 'code', label: 'Confirmation code', type: 'text', autocomplete: 'one-time-code' },
    ], 'Confirm account', error) +
    (username === undefined
      ? ''
      : `<form method="post" action="${escape(at(ready, '/confirmUser'))}"><input type="hidden" name="_csrf" value="${escape(csrf)}"><input type="hidden" name="_action" value="resend"><input type="hidden" name="username" value="${escape(username)}">${proofField}<button class="btn-secondary" type="submit">Send a new code</button></form>`),
  );
}

/** The sealed proof that this browser knows the password of `username` (signup-state.ts). */
function proofFor(deps: Deps, ready: Ready, r: RouteRequest<unknown>, username: string, sub: string | undefined): string | undefined {
  return sub === undefined ? undefined : sealFormState(deps, signUpStates, r.headers, { poolId: ready.endpoint.pool.id, clientId: ready.client.id, username, sub });
}

/**
 * The sign-in that follows the confirmation in the browser that proved the password: the user
 * as confirmed (enabled, CONFIRMED), the PostAuthentication function and the tokens of any
 * sign-in (finishSignIn), then the code for the app. Without MFA: the confirmed code is the
 * second factor of this first sign-in (DG:user-pool-settings-mfa, signup-state.ts).
 */
async function signInConfirmed(deps: Deps, ready: Ready, r: RouteRequest<unknown>, proof: SignUpState, signInPage: SignInPage, notice = 'Your account has been confirmed. Sign in with it.'): Promise<RouteResponse> {
  // The name confirmed must still be the user whose password was proven.
  const user = await findUser(deps.store, ready.endpoint.pool.id, settingsOf(ready.endpoint.pool), proof.username);
  if (!user || user.sub !== proof.sub || !user.enabled || user.status !== 'CONFIRMED') return signInPage(deps, ready, r, undefined, notice);
  try {
    const done = await finishSignIn(deps, signInClientOf(deps, ready), user, r.ctx as RequestContext);
    if (!done.AuthenticationResult) return signInPage(deps, ready, r, undefined, notice);
    return await fromTokens(deps, ready, done.AuthenticationResult, r.ctx.baseUrl);
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    return signInPage(deps, ready, r, shown(err), notice.replace(' Sign in with it.', ''));
  }
}

/** The message a refused sign-up step shows: AWS's text, except where it would tell which users exist. */
function signUpMessage(err: ServiceError): string {
  if (err.name === 'UserNotFoundException') return 'Invalid verification code provided, please try again.';
  return err.message;
}

/**
 * An UNCONFIRMED user who signs in is sent a new code and taken to the confirmation page, as the
 * hosted UI does. The sign-in refused the user only after the password matched (password-sign-in.ts),
 * so the page carries the proof that signs the user in once confirmed.
 */
export async function unconfirmedSignIn(deps: Deps, ready: Ready, r: RouteRequest<unknown>, username: string): Promise<RouteResponse> {
  const user = await findUser(deps.store, ready.endpoint.pool.id, settingsOf(ready.endpoint.pool), username);
  return resend(deps, ready, r, username, 'Your account is not confirmed yet.', proofFor(deps, ready, r, username, user?.sub));
}

async function resend(deps: Deps, ready: Ready, r: RouteRequest<unknown>, username: string, lead = '', proof?: string): Promise<RouteResponse> {
  const hash = secretHashFor(deps, ready.client, username);
  try {
    const sent = await signupOperations.ResendConfirmationCode(deps)(checked('ResendConfirmationCode', { ClientId: ready.client.id, Username: username, ...(hash !== undefined && { SecretHash: hash }) }), r.ctx);
    return confirmUserPage(deps, ready, r, username, `${lead} ${deliveryNotice(sent.CodeDeliveryDetails)}`.trim(), undefined, proof);
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    return confirmUserPage(deps, ready, r, username, lead || undefined, signUpMessage(err), proof);
  }
}

export function signUpPageHandler(deps: Deps) {
  return async (r: RouteRequest<unknown>): Promise<RouteResponse> => {
    const ready = await prepareSignUp(deps, r);
    return 'request' in ready ? signUpPage(deps, ready, r) : ready;
  };
}

export function signUpSubmitHandler(deps: Deps, signInPage: SignInPage) {
  return async (r: RouteRequest<URLSearchParams>): Promise<RouteResponse> => {
    const ready = await prepareSignUp(deps, r);
    if (!('request' in ready)) return ready;
    const settings = settingsOf(ready.endpoint.pool);
    const values: Record<string, string> = { username: field(r.body, 'username') };
    const attributes: AttributeType[] = [];
    for (const { name } of attributeFields(settings)) {
      const value = field(r.body, ATTRIBUTE_PREFIX + name).trim();
      values[ATTRIBUTE_PREFIX + name] = value;
      if (value !== '') attributes.push({ Name: name, Value: value });
    }
    if (!csrfValid(deps, r.headers, r.body.get('_csrf'))) return signUpPage(deps, ready, r, values, 'The page expired. Please try again.');
    const username = values.username as string;
    const password = field(r.body, 'password');
    if (username === '' || password === '') return signUpPage(deps, ready, r, values, 'Enter a username and a password.');
    const hash = secretHashFor(deps, ready.client, username);
    try {
      const created = await signupOperations.SignUp(deps)(
        checked('SignUp', { ClientId: ready.client.id, Username: username, Password: password, UserAttributes: attributes, ...(hash !== undefined && { SecretHash: hash }) }),
        r.ctx,
      );
      // Confirmed by the PreSignUp function: signed in at once, the password just chosen in this browser.
      if (created.UserConfirmed) {
        const proof = { poolId: ready.endpoint.pool.id, clientId: ready.client.id, username, sub: created.UserSub };
        return signInConfirmed(deps, ready, r, proof, signInPage, 'Your account has been created. Sign in with it.');
      }
      if (!created.CodeDeliveryDetails) {
        return page('Account created', `<p role="status">Your account has been created. An administrator must confirm it before you can sign in.</p><p><a href="${escape(at(ready, '/login'))}">Sign in</a></p>`, 200, [], ready.css);
      }
      return confirmUserPage(deps, ready, r, username, deliveryNotice(created.CodeDeliveryDetails), undefined, proofFor(deps, ready, r, username, created.UserSub));
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      return signUpPage(deps, ready, r, values, signUpMessage(err));
    }
  };
}

export function confirmUserPageHandler(deps: Deps) {
  return async (r: RouteRequest<unknown>): Promise<RouteResponse> => {
    const ready = await prepareSignUp(deps, r);
    return 'request' in ready ? confirmUserPage(deps, ready, r, undefined) : ready;
  };
}

/** POST /confirmUser: the code (ConfirmSignUp), or `_action=resend` (ResendConfirmationCode). */
export function confirmUserSubmitHandler(deps: Deps, signInPage: SignInPage) {
  return async (r: RouteRequest<URLSearchParams>): Promise<RouteResponse> => {
    const ready = await prepareSignUp(deps, r);
    if (!('request' in ready)) return ready;
    const username = field(r.body, 'username');
    const known = username === '' ? undefined : username;
    if (!csrfValid(deps, r.headers, r.body.get('_csrf'))) return confirmUserPage(deps, ready, r, known, undefined, 'The page expired. Please try again.');
    if (username === '') return confirmUserPage(deps, ready, r, undefined, undefined, 'Enter your username and the code.');
    // The proof of the password, if this browser gave it for this user; carried on unchanged.
    const sealedProof = field(r.body, 'signup');
    const proof = openFormState(deps, signUpStates, r.headers, sealedProof, { poolId: ready.endpoint.pool.id, clientId: ready.client.id, username });
    const carried = proof === undefined ? undefined : sealedProof;
    if (r.body.get('_action') === 'resend') return resend(deps, ready, r, username, '', carried);
    const code = field(r.body, 'code').trim();
    if (code === '') return confirmUserPage(deps, ready, r, username, undefined, 'Enter the code you received.', carried);
    const hash = secretHashFor(deps, ready.client, username);
    try {
      await signupOperations.ConfirmSignUp(deps)(checked('ConfirmSignUp', { ClientId: ready.client.id, Username: username, ConfirmationCode: code, ...(hash !== undefined && { SecretHash: hash }) }), r.ctx);
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      return confirmUserPage(deps, ready, r, username, undefined, signUpMessage(err), carried);
    }
    if (proof) return signInConfirmed(deps, ready, r, proof, signInPage);
    return signInPage(deps, ready, r, undefined, 'Your account has been confirmed. Sign in with it.');
  };
}
