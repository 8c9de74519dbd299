import { sealedStates, stringFields } from '../../../services/sessions/sealed-state.js';

/**
 * What a challenge page (challenge-pages.ts) carries to its answer: the challenge's Session, the
 * user it is for, what the page showed (the factors to choose from, the authenticator secret
 * being set up). Sealed into the form bound to the browser (form-state.ts) and checked against
 * the page's client.
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

/**
 * A page lives as long as the longest auth session (15 minutes, cognito-facts-areas.md 3.1); the
 * Session's own expiry is checked by the answer, this only bounds the page.
 */
export const challengeStates = sealedStates<ChallengeState>({
  kind: 'managed-login-challenge',
  lifetimeMs: 15 * 60 * 1000,
  maxLength: 8192,
  read(f) {
    const strings = stringFields(f, ['poolId', 'clientId', 'username', 'challenge', 'session']);
    if (!strings || typeof f.params !== 'object' || f.params === null) return undefined;
    const secret = typeof f.secret === 'string' ? f.secret : undefined;
    const setup = typeof f.setup === 'string' && SETUP_PAGES.includes(f.setup) ? (f.setup as MfaSetupPage) : undefined;
    return { ...strings, params: f.params as Record<string, string>, secret, setup };
  },
});
