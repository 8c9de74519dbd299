import { sealedStates, stringFields } from '../../../services/sessions/sealed-state.js';

/**
 * What the confirmation page (/confirmUser) carries when this browser has just proven the
 * user's password (it chose it on /signup, or typed it on /login for an UNCONFIRMED user): the
 * user it is for. Once the code confirms that user, the pages sign them in and go back to the
 * app, as AWS's hosted UI does after a sign-up, without a second sign-in and without MFA ("The
 * first time that a new user signs in to your app, Amazon Cognito issues OAuth 2.0 tokens, even
 * if your user pool requires MFA. The second authentication factor ... is their confirmation of
 * the verification message", DG:user-pool-settings-mfa). The password itself is never kept:
 * only this proof travels, sealed into the form bound to the browser (form-state.ts) and checked
 * against the page's client and the username, for as long as a hosted-UI session lasts (1 hour,
 * cognito-facts-areas.md §1.6).
 */
export interface SignUpState {
  poolId: string;
  clientId: string;
  /** The name the user signed up or signed in with, as the confirmation form carries it. */
  username: string;
  /** The user's sub, so the proof is never spent on another user who later holds the name. */
  sub: string;
}

export const signUpStates = sealedStates<SignUpState>({
  kind: 'managed-login-signup',
  lifetimeMs: 60 * 60 * 1000,
  maxLength: 4096,
  read: (f) => stringFields(f, ['poolId', 'clientId', 'username', 'sub']),
});
