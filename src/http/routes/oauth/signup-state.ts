import type { IncomingHttpHeaders } from 'node:http';
import type { Deps } from '../../../services/deps.js';
import { CSRF_COOKIE, cookiesOf } from './browser-session.js';

/**
 * What the confirmation page (/confirmUser) carries when this browser has just proven the
 * user's password (it chose it on /signup, or typed it on /login for an UNCONFIRMED user): the
 * user it is for. Once the code confirms that user, the pages sign them in and go back to the
 * app, as AWS's hosted UI does after a sign-up, without a second sign-in and without MFA ("The
 * first time that a new user signs in to your app, Amazon Cognito issues OAuth 2.0 tokens, even
 * if your user pool requires MFA. The second authentication factor ... is their confirmation of
 * the verification message", DG:user-pool-settings-mfa). The password itself is never kept:
 * only this proof travels, sealed with the server key, bound to the page's client and to the
 * browser's CSRF secret, for as long as a hosted-UI session lasts (1 hour, cognito-facts-areas.md §1.6).
 */
export interface SignUpState {
  poolId: string;
  clientId: string;
  /** The name the user signed up or signed in with, as the confirmation form carries it. */
  username: string;
  /** The user's sub, so the proof is never spent on another user who later holds the name. */
  sub: string;
}

interface Sealed extends SignUpState {
  v: 1;
  kind: 'signup';
  bind: string;
  exp: number;
}

const STATE_MS = 60 * 60 * 1000;

function browserBinding(deps: Pick<Deps, 'secrets'>, headers: IncomingHttpHeaders): string | undefined {
  const secret = cookiesOf(headers).get(CSRF_COOKIE);
  return secret === undefined ? undefined : deps.secrets.digest('managed-login-signup', secret);
}

/** The sealed proof for the confirmation forms, or undefined when the browser has no CSRF secret to bind it to. */
export function sealSignUpState(deps: Pick<Deps, 'secrets' | 'clock'>, headers: IncomingHttpHeaders, state: SignUpState): string | undefined {
  const bind = browserBinding(deps, headers);
  if (bind === undefined) return undefined;
  const sealed: Sealed = { v: 1, kind: 'signup', ...state, bind, exp: deps.clock.nowMs() + STATE_MS };
  return deps.secrets.seal(JSON.stringify(sealed));
}

/** The proof a submitted form carries, if it is genuine, unexpired, this client's, this browser's and for `username`. */
export function openSignUpState(deps: Pick<Deps, 'secrets' | 'clock'>, headers: IncomingHttpHeaders, sealed: string, expected: { poolId: string; clientId: string; username: string }): SignUpState | undefined {
  if (sealed === '' || sealed.length > 4096) return undefined;
  let parsed: Partial<Sealed>;
  try {
    parsed = JSON.parse(deps.secrets.open(sealed)) as Partial<Sealed>;
  } catch {
    return undefined;
  }
  const bind = browserBinding(deps, headers);
  if (parsed.v !== 1 || parsed.kind !== 'signup' || bind === undefined || typeof parsed.bind !== 'string' || !deps.secrets.digestEquals(parsed.bind, bind)) return undefined;
  if (typeof parsed.exp !== 'number' || deps.clock.nowMs() >= parsed.exp) return undefined;
  if (parsed.poolId !== expected.poolId || parsed.clientId !== expected.clientId || parsed.username !== expected.username || typeof parsed.sub !== 'string') return undefined;
  return { poolId: parsed.poolId, clientId: parsed.clientId, username: parsed.username, sub: parsed.sub };
}
