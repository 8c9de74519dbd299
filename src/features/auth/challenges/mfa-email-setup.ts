import type { Deps } from '../../../services/deps.js';
import type { SignInClient } from '../sign-in-client.js';
import type { InitiateAuthResponse } from '../../../model/generated/types.js';
import type { UserRecord } from '../../../domain/users/user.js';
import type { StoreTx } from '../../../ports/store.js';
import type { AuthSession } from '../../../services/sessions/auth-session.js';
import { poolMfaFactors } from '../../../domain/mfa/mfa-settings.js';
import { checkAttributeWrites } from '../../../domain/users/attributes.js';
import { activeAliases } from '../../../domain/users/username.js';
import { claimAliases, uniquely } from '../../../services/directory/user-writes.js';
import { loadUserMfa } from '../../../services/mfa/user-mfa.js';
import { ServiceError } from '../../../kernel/errors.js';
import { codeChallenge, type MfaStepDeps } from './mfa-step.js';

/**
 * Email MFA set up inside a sign-in: MFA_SETUP answered with `EMAIL` (an address) instead of
 * an authenticator. AWS sends an EMAIL_OTP code to that address and, once the code is proven,
 * the address is the user's `email`, verified, and email MFA is on; amplify-js sends
 * ChallengeResponses {USERNAME, EMAIL} for its CONTINUE_SIGN_IN_WITH_EMAIL_SETUP step
 * (signInHelpers.ts handleMFASetupChallenge) and amplify-swift's EmailMFARequiredTests, run
 * against Cognito, see EMAIL_OTP next, then tokens and the email among the user's attributes.
 *
 * Nothing is written before the code is proven: the pending address travels in the sealed
 * Session of the EMAIL_OTP challenge (AES-GCM with the server key, so the client can neither
 * read nor change it), and the code is bound to it like every MFA code.
 */

/** Email MFA not among the factors this MFA_SETUP offers (AWS's text is not documented; ours). */
export const EMAIL_SETUP_NOT_OFFERED = 'Email MFA is not enabled for the user pool.';

/**
 * MFA_SETUP with EMAIL: checks the address as an attribute write (format, schema), refuses an
 * address another user holds as a sign-in alias (as UpdateUserAttributes and
 * VerifyUserAttribute do, AliasExistsException), then sends the code to it with the pool's
 * email MFA message (or the CustomMessage_Authentication function's) and answers EMAIL_OTP.
 */
export async function startEmailSetup(
  deps: Pick<Deps, MfaStepDeps>,
  sc: SignInClient,
  session: AuthSession,
  user: UserRecord,
  email: string,
  clientMetadata?: Record<string, string>,
): Promise<InitiateAuthResponse> {
  const offered = session.mfa?.methods?.includes('EMAIL_OTP') === true && poolMfaFactors(sc.settings).email !== undefined;
  if (!offered) throw new ServiceError('MFAMethodNotFoundException', EMAIL_SETUP_NOT_OFFERED);
  checkAttributeWrites(sc.settings, [{ Name: 'email', Value: email }], 'update');
  const now = deps.clock.nowMs();
  // Refused now rather than after the code: the same check runs again when the address is written.
  await claimAliases(deps.store, sc.settings, withVerifiedEmail(sc, user, email, now), false, 'update', now);
  // The code's message and CustomMessage event see the address it goes to, not yet verified.
  const addressee = { ...user, attributes: { ...user.attributes, email, email_verified: 'false' } };
  return codeChallenge(deps, sc, addressee, 'EMAIL_OTP', clientMetadata, { setupEmail: true });
}

/**
 * The EMAIL_OTP code of an email setup was proven (inside the transaction that consumed it):
 * the address becomes the user's verified `email` (an alias where the pool has one, refused if
 * another user took it meanwhile) and email MFA is turned on, preferred unless another factor
 * is. Returns the user as written, for the tokens.
 */
export async function completeEmailSetup(
  deps: Pick<Deps, 'store' | 'clock'>,
  tx: StoreTx,
  sc: SignInClient,
  sub: string,
  email: string,
): Promise<UserRecord | undefined> {
  const current = await tx.getUserBySub(sc.pool.id, sub);
  if (!current) return undefined;
  const now = deps.clock.nowMs();
  const next = withVerifiedEmail(sc, current, email, now);
  await claimAliases(tx, sc.settings, next, false, 'update', now);
  await uniquely(sc.settings, 'update', () => tx.updateUser(next));
  const mfa = await loadUserMfa(deps, next, tx);
  await tx.putUserMfa({ ...mfa, emailEnabled: true, preferred: mfa.preferred ?? 'EMAIL_OTP', updatedAt: now });
  return next;
}

function withVerifiedEmail(sc: SignInClient, user: UserRecord, email: string, now: number): UserRecord {
  const attributes = { ...user.attributes, email, email_verified: 'true' };
  return { ...user, attributes, aliases: activeAliases(sc.settings, attributes), updatedAt: now };
}
