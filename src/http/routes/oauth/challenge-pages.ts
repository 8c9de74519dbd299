import type { Deps } from '../../../services/deps.js';
import { ServiceError } from '../../../kernel/errors.js';
import type { ChallengeNameType, RespondToAuthChallengeResponse } from '../../../model/generated/types.js';
import { authOperations } from '../../../features/auth/index.js';
import { mfaOperations } from '../../../features/mfa/index.js';
import type { RouteRequest, RouteResponse } from '../route.js';
import { csrfValid } from './browser-session.js';
import { challengeStates, type ChallengeState } from './challenge-state.js';
import { openFormState, sealFormState } from './form-state.js';
import { at, checked, field, formPage, fromTokens, prepare, secretHashFor, shown, type Ready } from './login-kit.js';
import { escape, form, page, type Field } from './pages.js';

/**
 * The challenges of a sign-in on the managed login pages, after the password (cognito-facts-areas.md
 * 3.1-3.3): NEW_PASSWORD_REQUIRED (with the required attributes the user lacks), SMS_MFA,
 * EMAIL_OTP and SOFTWARE_TOKEN_MFA codes, SELECT_MFA_TYPE, and MFA_SETUP: of an authenticator app
 * (the secret as text and as an otpauth:// URI, as AWS's examples build it, 3.2) or of email MFA
 * (an address, then the code sent to it: MFA_SETUP answered with EMAIL, mfa-email-setup.ts), with
 * the choice first when the pool offers both, as AWS's hosted UI does ("In user pools that require
 * MFA, the hosted UI prompts them to choose and set up an MFA factor",
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-advanced-security-email-mfa.html).
 * SMS MFA is not set up here: it needs a phone number on the user, which no sign-in step can
 * add (cognito-facts-areas.md 3.1). Each answer is RespondToAuthChallenge,
 * AssociateSoftwareToken and VerifySoftwareToken themselves, so their checks, attempt limits and
 * triggers apply. The Session stays in sealed page state
 * (challenge-state.ts); one step may lead to another (a new password, then MFA).
 */

const LABELS: Record<string, string> = { SMS_MFA: 'Text message (SMS)', EMAIL_OTP: 'Email', SOFTWARE_TOKEN_MFA: 'Authenticator app' };
/** The factors a page can set up, in the order the choice lists them. */
const SETUP_CHOICES = ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] as const;
const CODE_RESPONSE: Record<string, string> = { SMS_MFA: 'SMS_MFA_CODE', EMAIL_OTP: 'EMAIL_OTP_CODE', SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE' };
/** Codes are digits: Cognito's are 6 (authenticator apps) to 8; anything else never reaches the operations. */
const CODE = /^[0-9]{4,10}$/;
/** The model's PasswordType and attribute value bounds. */
const MAX_PASSWORD = 256;
const MAX_ATTRIBUTE = 2048;

function listOf(json: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** The page when a step's state is gone (expired, from another browser, tampered with). */
function expiredPage(ready: Ready): RouteResponse {
  return page(
    'Sign-in expired',
    `<p class="error" role="alert">This sign-in step has expired. Please sign in again.</p><p><a href="${escape(at(ready, '/login'))}">Sign in</a></p>`,
    400,
    [],
    ready.css,
  );
}

function unsupportedPage(ready: Ready, message: string): RouteResponse {
  return page('Something went wrong', `<p class="error" role="alert">${escape(message)}</p><p><a href="${escape(at(ready, '/login'))}">Sign in</a></p>`, 400, [], ready.css);
}

/** The form of a step: its sealed state and the fields the user fills. */
function stepPage(deps: Deps, ready: Ready, r: RouteRequest<unknown>, state: ChallengeState, title: string, intro: string, fields: Field[], submit: string, error?: string, extra = ''): RouteResponse {
  const sealed = sealFormState(deps, challengeStates, r.headers, state);
  if (sealed === undefined) return expiredPage(ready);
  return formPage(deps, ready, r, title, (csrf) => intro + form(at(ready, '/challenge'), csrf, [{ name: 'state', label: '', type: 'hidden', value: sealed }, ...fields], submit, error, extra));
}

function otpauthUri(issuer: string, username: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(username)}`;
  return `otpauth://totp/${label}?secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(issuer)}`;
}

/** The pages of MFA_SETUP: the choice of factor, the email address, or the authenticator. */
function setupStep(deps: Deps, ready: Ready, r: RouteRequest<unknown>, state: ChallengeState, error?: string): RouteResponse {
  if (state.setup === 'choose') {
    const radios = SETUP_CHOICES.filter((c) => listOf(state.params.MFAS_CAN_SETUP).includes(c))
      .map((c, i) => `<label class="choice" for="mfa_setup_${i}"><input type="radio" id="mfa_setup_${i}" name="mfa_setup" value="${escape(c)}"${i === 0 ? ' checked' : ''}> ${escape(LABELS[c] ?? c)}</label>`)
      .join('');
    return stepPage(deps, ready, r, state, 'Set up multi-factor authentication', '<p>Multi-factor authentication is required. Choose how you will confirm it is you when you sign in.</p>', [], 'Continue', error, `<fieldset><legend>Receive sign-in codes with</legend>${radios}</fieldset>`);
  }
  if (state.setup === 'email') {
    return stepPage(deps, ready, r, state, 'Set up email MFA', '<p>Multi-factor authentication is required. Enter the email address where you will receive your sign-in codes; we will send a code to it now.</p>', [
      { name: 'email', label: 'Email address', type: 'email', autocomplete: 'email' },
    ], 'Send a code', error);
  }
  const secret = state.secret ?? '';
  const uri = otpauthUri(ready.endpoint.pool.name, state.username, secret);
  const intro =
    '<p>Multi-factor authentication is required. Add this account to your authenticator app, then enter the code it shows.</p>' +
    `<p>Secret key: <code id="totp-secret">${escape(secret)}</code></p>` +
    `<p>Or open this setup link on the device with the app: <a id="totp-uri" href="${escape(uri)}">${escape(uri)}</a></p>`;
  return stepPage(deps, ready, r, state, 'Set up your authenticator app', intro, [
    { name: 'code', label: 'Code from the app', type: 'text', autocomplete: 'one-time-code' },
    { name: 'device_name', label: 'Name of this authenticator (optional)', type: 'text', optional: true },
  ], 'Verify', error);
}

/** The authenticator page: AssociateSoftwareToken with the setup's Session gives the secret to show. */
async function totpSetup(deps: Deps, ready: Ready, r: RouteRequest<unknown>, state: ChallengeState): Promise<RouteResponse> {
  const associated = await mfaOperations.AssociateSoftwareToken(deps)({ Session: state.session }, r.ctx);
  return renderStep(deps, ready, r, { ...state, session: associated.Session as string, secret: associated.SecretCode, setup: 'totp' });
}

/** Renders the page of a challenge (or the same page again, with `error`). */
function renderStep(deps: Deps, ready: Ready, r: RouteRequest<unknown>, state: ChallengeState, error?: string): RouteResponse {
  const { challenge, params } = state;
  switch (challenge) {
    case 'NEW_PASSWORD_REQUIRED': {
      const required = listOf(params.requiredAttributes).filter((n) => n.startsWith('userAttributes.'));
      const attributeFields: Field[] = required.map((n) => ({ name: n, label: n.slice('userAttributes.'.length).replace(/_/g, ' '), type: 'text' }));
      return stepPage(deps, ready, r, state, 'Change your password', '<p>Choose a new password to continue.</p>', [
        { name: 'new_password', label: 'New password', type: 'password', autocomplete: 'new-password' },
        ...attributeFields,
      ], 'Change password', error);
    }
    case 'SMS_MFA':
    case 'EMAIL_OTP': {
      const where = params.CODE_DELIVERY_DESTINATION ? ` to ${params.CODE_DELIVERY_DESTINATION}` : '';
      const medium = challenge === 'SMS_MFA' ? 'a text message' : 'an email';
      return stepPage(deps, ready, r, state, 'Enter your sign-in code', `<p role="status">We sent a code in ${escape(medium)}${escape(where)}.</p>`, [
        { name: 'code', label: 'Code', type: 'text', autocomplete: 'one-time-code' },
      ], 'Sign in', error);
    }
    case 'SOFTWARE_TOKEN_MFA':
      return stepPage(deps, ready, r, state, 'Enter your sign-in code', '<p>Enter the code your authenticator app shows.</p>', [
        { name: 'code', label: 'Code', type: 'text', autocomplete: 'one-time-code' },
      ], 'Sign in', error);
    case 'SELECT_MFA_TYPE': {
      const choices = listOf(params.MFAS_CAN_CHOOSE);
      const radios = choices
        .map((c, i) => `<label class="choice" for="mfa_type_${i}"><input type="radio" id="mfa_type_${i}" name="mfa_type" value="${escape(c)}"${i === 0 ? ' checked' : ''}> ${escape(LABELS[c] ?? c)}</label>`)
        .join('');
      return stepPage(deps, ready, r, state, 'Choose how to sign in', '', [], 'Continue', error, `<fieldset><legend>Confirm it is you with</legend>${radios}</fieldset>`);
    }
    case 'MFA_SETUP':
      return setupStep(deps, ready, r, state, error);
    default:
      return unsupportedPage(ready, 'This sign-in needs a step that these pages do not offer.');
  }
}

/**
 * The page of the challenge a sign-in step answered with, or the way back to the app when it
 * answered with tokens. `username` is the user's own name (USER_ID_FOR_SRP), which the answers carry.
 */
export async function challengeStep(deps: Deps, ready: Ready, r: RouteRequest<unknown>, username: string, answer: RespondToAuthChallengeResponse): Promise<RouteResponse> {
  if (answer.AuthenticationResult) return fromTokens(deps, ready, answer.AuthenticationResult, r.ctx.baseUrl);
  const challenge = answer.ChallengeName;
  if (challenge === undefined || answer.Session === undefined) return unsupportedPage(ready, 'This sign-in needs a step that these pages do not offer.');
  const state: ChallengeState = { poolId: ready.endpoint.pool.id, clientId: ready.client.id, username, challenge, session: answer.Session, params: answer.ChallengeParameters ?? {} };
  if (challenge === 'MFA_SETUP') {
    const offered = SETUP_CHOICES.filter((c) => listOf(state.params.MFAS_CAN_SETUP).includes(c));
    if (offered.length === 0) {
      return unsupportedPage(ready, 'Multi-factor authentication is required, and this account has no phone number to receive codes. Ask an administrator to add one.');
    }
    if (offered.length > 1) return renderStep(deps, ready, r, { ...state, setup: 'choose' });
    if (offered[0] === 'EMAIL_OTP') return renderStep(deps, ready, r, { ...state, setup: 'email' });
    return totpSetup(deps, ready, r, state);
  }
  return renderStep(deps, ready, r, state);
}

/** An answer the form itself makes impossible: shown on the same page, the operations not called. */
class FormProblem extends Error {}

function respond(deps: Deps, ready: Ready, r: RouteRequest<URLSearchParams>, state: ChallengeState, name: ChallengeNameType, session: string, responses: Record<string, string>) {
  const hash = secretHashFor(deps, ready.client, state.username);
  return authOperations.RespondToAuthChallenge(deps)(
    checked('RespondToAuthChallenge', { ClientId: ready.client.id, ChallengeName: name, Session: session, ChallengeResponses: { USERNAME: state.username, ...responses, ...(hash !== undefined && { SECRET_HASH: hash }) } }),
    r.ctx,
  );
}

function codeOf(body: URLSearchParams): string {
  const code = field(body, 'code').trim();
  if (!CODE.test(code)) throw new FormProblem('Enter the code you received, digits only.');
  return code;
}

async function answerStep(deps: Deps, ready: Ready, r: RouteRequest<URLSearchParams>, state: ChallengeState): Promise<RespondToAuthChallengeResponse> {
  const { body } = r;
  switch (state.challenge) {
    case 'NEW_PASSWORD_REQUIRED': {
      const password = field(body, 'new_password');
      if (password === '' || password.length > MAX_PASSWORD) throw new FormProblem('Enter a new password.');
      const attributes: Record<string, string> = {};
      for (const name of listOf(state.params.requiredAttributes).filter((n) => n.startsWith('userAttributes.'))) {
        const value = field(body, name);
        if (value === '' || value.length > MAX_ATTRIBUTE) throw new FormProblem(`Enter your ${name.slice('userAttributes.'.length).replace(/_/g, ' ')}.`);
        attributes[name] = value;
      }
      return respond(deps, ready, r, state, 'NEW_PASSWORD_REQUIRED', state.session, { NEW_PASSWORD: password, ...attributes });
    }
    case 'SMS_MFA':
    case 'EMAIL_OTP':
    case 'SOFTWARE_TOKEN_MFA':
      return respond(deps, ready, r, state, state.challenge, state.session, { [CODE_RESPONSE[state.challenge] as string]: codeOf(body) });
    case 'SELECT_MFA_TYPE': {
      const choice = field(body, 'mfa_type');
      if (!listOf(state.params.MFAS_CAN_CHOOSE).includes(choice)) throw new FormProblem('Choose one of the ways to sign in.');
      return respond(deps, ready, r, state, 'SELECT_MFA_TYPE', state.session, { ANSWER: choice });
    }
    case 'MFA_SETUP': {
      if (state.setup === 'email') {
        // The address is checked by the answer itself (format, aliases): AWS's refusal is shown.
        const email = field(body, 'email').trim();
        if (email === '' || email.length > MAX_ATTRIBUTE) throw new FormProblem('Enter your email address.');
        return respond(deps, ready, r, state, 'MFA_SETUP', state.session, { EMAIL: email });
      }
      const code = codeOf(body);
      if (code.length !== 6) throw new FormProblem('Enter the 6-digit code your authenticator app shows.');
      const deviceName = field(body, 'device_name').slice(0, 131);
      const verified = await mfaOperations.VerifySoftwareToken(deps)(checked('VerifySoftwareToken', { Session: state.session, UserCode: code, ...(deviceName !== '' && { FriendlyDeviceName: deviceName }) }), r.ctx);
      return respond(deps, ready, r, state, 'MFA_SETUP', verified.Session as string, {});
    }
    default:
      throw new FormProblem('This sign-in needs a step that these pages do not offer.');
  }
}

/** The choice of factor to set up: the authenticator's page (with its secret) or the email address page. */
async function chosenSetup(deps: Deps, ready: Ready, r: RouteRequest<URLSearchParams>, state: ChallengeState): Promise<RouteResponse> {
  const choice = field(r.body, 'mfa_setup');
  if (!(SETUP_CHOICES as readonly string[]).includes(choice) || !listOf(state.params.MFAS_CAN_SETUP).includes(choice)) throw new FormProblem('Choose one of the ways to receive sign-in codes.');
  if (choice === 'EMAIL_OTP') return renderStep(deps, ready, r, { ...state, setup: 'email' });
  return totpSetup(deps, ready, r, state);
}

/** POST /challenge: the answer to the step's page. */
export function challengeSubmitHandler(deps: Deps) {
  return async (r: RouteRequest<URLSearchParams>): Promise<RouteResponse> => {
    const ready = await prepare(deps, r);
    if (!('request' in ready)) return ready;
    const state = csrfValid(deps, r.headers, r.body.get('_csrf'))
      ? openFormState(deps, challengeStates, r.headers, field(r.body, 'state'), { poolId: ready.endpoint.pool.id, clientId: ready.client.id })
      : undefined;
    if (!state) return expiredPage(ready);
    try {
      // The choice of factor to set up is a page of its own, not an answer (setupStep).
      if (state.challenge === 'MFA_SETUP' && state.setup === 'choose') return await chosenSetup(deps, ready, r, state);
      const answer = await answerStep(deps, ready, r, state);
      return await challengeStep(deps, ready, r, state.username, answer);
    } catch (err) {
      if (err instanceof FormProblem) return renderStep(deps, ready, r, state, err.message);
      if (!(err instanceof ServiceError)) throw err;
      // The session ran out, or the password it was for changed: start again (3.4).
      if (err.name === 'NotAuthorizedException' && /Invalid session/.test(err.message)) return expiredPage(ready);
      return renderStep(deps, ready, r, state, shown(err));
    }
  };
}
