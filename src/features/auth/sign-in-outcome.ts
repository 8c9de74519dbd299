import type { Deps } from '../../services/deps.js';
import type { RequestContext } from '../../kernel/request-context.js';
import type { SignInClient } from './sign-in-client.js';
import { authSessionValidityMs, newPasswordChallengeParameters } from '../../domain/auth/sign-in.js';
import { temporaryPasswordExpired } from '../../domain/users/temporary-password.js';
import { MESSAGES, notAuthorized, userNotConfirmed } from '../../kernel/errors.js';
import type { InitiateAuthResponse } from '../../model/generated/types.js';
import { sealSession } from '../../services/sessions/auth-session.js';
import { issueTokens, type TokenIssuerDeps } from '../../services/tokens/tokens.js';
import type { UserRecord } from '../../domain/users/user.js';
import { runPostAuthentication } from './sign-in-triggers.js';
import { startMfaStep, type MfaStepDeps } from './challenges/mfa-step.js';

/** What follows a proven password: the challenge's sealed session (secrets, clock), or tokens. */
export type SignInOutcomeDeps = 'secrets' | 'clock' | TokenIssuerDeps | MfaStepDeps;

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
  // The second factor, when the pool asks for one (challenges/mfa-step.ts); its answer ends the sign-in.
  const mfaStep = await startMfaStep(deps, sc, user, respondMetadata);
  if (mfaStep) return mfaStep;
  await runPostAuthentication(deps, sc, user, respondMetadata);
  const tokens = await issueTokens(deps, {
    pool: sc.pool,
    client: sc.client,
    user,
    baseUrl: ctx.baseUrl,
    trigger: { source: 'TokenGeneration_Authentication', clientMetadata: respondMetadata },
  });
  return { ChallengeParameters: {}, AuthenticationResult: tokens };
}
