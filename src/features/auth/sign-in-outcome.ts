import type { Deps } from '../../services/deps.js';
import type { RequestContext } from '../../kernel/request-context.js';
import type { SignInClient } from './sign-in-client.js';
import { authSessionValidityMs, newPasswordChallengeParameters } from '../../domain/auth/sign-in.js';
import { temporaryPasswordExpired } from '../../domain/users/temporary-password.js';
import { MESSAGES, notAuthorized, userNotConfirmed } from '../../kernel/errors.js';
import type { InitiateAuthResponse } from '../../model/generated/types.js';
import { sealSession } from '../../services/sessions/auth-session.js';
import type { TokenIssuerDeps } from '../../services/tokens/tokens.js';
import type { UserRecord } from '../../domain/users/user.js';
import { startMfaStep, type MfaStepDeps } from './challenges/mfa-step.js';
import { deviceOfRequest } from '../../services/devices/sign-in-device.js';
import { deviceReplacesMfa, deviceSrpChallenge } from './challenges/device-srp.js';
import { finishSignIn, type FinishSignInDeps } from './finish-sign-in.js';

/** What follows a proven password: the challenge's sealed session (secrets, clock), or tokens. */
export type SignInOutcomeDeps = 'secrets' | 'clock' | TokenIssuerDeps | MfaStepDeps | FinishSignInDeps;

/**
 * What follows a proven password, whichever way it was proven (PASSWORD or SRP), in Cognito's
 * order: disabled, unconfirmed, expired temporary password; then either the
 * NEW_PASSWORD_REQUIRED challenge or, after the PostAuthentication function, tokens.
 * `respondMetadata` is RespondToAuthChallenge's ClientMetadata (InitiateAuth passes none to
 * these triggers, cognito-facts-areas.md §2.2).
 */
export async function afterPasswordProven(
  deps: Pick<Deps, SignInOutcomeDeps>,
  sc: SignInClient,
  user: UserRecord,
  ctx: RequestContext,
  respondMetadata?: Record<string, string>,
  /** The request's DEVICE_KEY (remembered devices, cognito-facts-areas.md 3.5). */
  deviceKey?: string,
): Promise<InitiateAuthResponse> {
  if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
  if (user.status === 'UNCONFIRMED') throw userNotConfirmed(MESSAGES.userNotConfirmed);
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    if (temporaryPasswordExpired(sc.settings, user, deps.clock.nowMs())) throw notAuthorized(MESSAGES.tempPasswordExpired);
    const session = sealSession(deps.secrets, {
      poolId: sc.pool.id,
      clientId: sc.client.id,
      userSub: user.sub,
      challenge: 'NEW_PASSWORD_REQUIRED',
      expiresAt: deps.clock.nowMs() + authSessionValidityMs(sc.clientSettings),
      passwordSetAt: user.passwordUpdatedAt,
    });
    return { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeParameters: newPasswordChallengeParameters(user, sc.settings) };
  }
  // A remembered device proves itself instead of the second factor (challenges/device-srp.ts).
  const device = await deviceOfRequest(deps, sc.pool.id, sc.settings, user.sub, deviceKey);
  if (device && (await deviceReplacesMfa(deps, sc, user, device))) return deviceSrpChallenge(deps, sc, user, device);
  // The second factor, when the pool asks for one (challenges/mfa-step.ts); its answer ends the sign-in.
  const mfaStep = await startMfaStep(deps, sc, user, respondMetadata);
  if (mfaStep) return mfaStep;
  return finishSignIn(deps, sc, user, ctx, { clientMetadata: respondMetadata, deviceKey });
}
