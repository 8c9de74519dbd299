import type { IncomingHttpHeaders } from 'node:http';
import type { Deps } from '../../../services/deps.js';
import { CSRF_COOKIE, cookiesOf } from './browser-session.js';

/**
 * What a challenge page (challenge-pages.ts) carries to its answer: the challenge's Session, the
 * user it is for, what the page showed (the factors to choose from, the authenticator secret
 * being set up). It travels in the form sealed with the server key, bound to the page's client
 * and to the browser's CSRF secret, so a form can neither change it nor take it to another
 * browser; nothing the form says outside it is trusted.
 */
export interface ChallengeState {
  poolId: string;
  clientId: string;
  username: string;
  challenge: string;
  session: string;
  params: Record<string, string>;
  /** MFA_SETUP: the authenticator secret AssociateSoftwareToken gave, shown again after a wrong code. */
  secret?: string | undefined;
  /** MFA_SETUP: which page of the setup this is (the choice of factor, the authenticator, the email address). */
  setup?: MfaSetupPage | undefined;
}

export type MfaSetupPage = 'choose' | 'totp' | 'email';
const SETUP_PAGES: readonly string[] = ['choose', 'totp', 'email'] satisfies MfaSetupPage[];

interface Sealed extends ChallengeState {
  v: 1;
  /** The digest of the browser's CSRF secret. */
  bind: string;
  /** Epoch ms; the Session's own expiry is checked by the answer, this only bounds the page. */
  exp: number;
}

/** A page lives as long as the longest auth session (15 minutes, cognito-facts-areas.md 3.1). */
const PAGE_MS = 15 * 60 * 1000;

function browserBinding(deps: Pick<Deps, 'secrets'>, headers: IncomingHttpHeaders): string | undefined {
  const secret = cookiesOf(headers).get(CSRF_COOKIE);
  return secret === undefined ? undefined : deps.secrets.digest('managed-login-challenge', secret);
}

/** The sealed state for the form, or undefined when the browser has no CSRF secret to bind it to. */
export function sealChallengeState(deps: Pick<Deps, 'secrets' | 'clock'>, headers: IncomingHttpHeaders, state: ChallengeState): string | undefined {
  const bind = browserBinding(deps, headers);
  if (bind === undefined) return undefined;
  const sealed: Sealed = { v: 1, ...state, bind, exp: deps.clock.nowMs() + PAGE_MS };
  return deps.secrets.seal(JSON.stringify(sealed));
}

/** The state of a submitted form, if it is genuine, unexpired, this client's and this browser's. */
export function openChallengeState(deps: Pick<Deps, 'secrets' | 'clock'>, headers: IncomingHttpHeaders, sealed: string, expected: { poolId: string; clientId: string }): ChallengeState | undefined {
  if (sealed === '' || sealed.length > 8192) return undefined;
  let parsed: Partial<Sealed>;
  try {
    parsed = JSON.parse(deps.secrets.open(sealed)) as Partial<Sealed>;
  } catch {
    return undefined;
  }
  const bind = browserBinding(deps, headers);
  if (parsed.v !== 1 || bind === undefined || typeof parsed.bind !== 'string' || !deps.secrets.digestEquals(parsed.bind, bind)) return undefined;
  if (typeof parsed.exp !== 'number' || deps.clock.nowMs() >= parsed.exp) return undefined;
  if (parsed.poolId !== expected.poolId || parsed.clientId !== expected.clientId) return undefined;
  if (typeof parsed.username !== 'string' || typeof parsed.challenge !== 'string' || typeof parsed.session !== 'string' || typeof parsed.params !== 'object' || parsed.params === null) return undefined;
  const setup = typeof parsed.setup === 'string' && SETUP_PAGES.includes(parsed.setup) ? parsed.setup : undefined;
  return { poolId: parsed.poolId, clientId: parsed.clientId, username: parsed.username, challenge: parsed.challenge, session: parsed.session, params: parsed.params, secret: parsed.secret, setup };
}
