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

/** What follows a proven password: the challenge's sealed session (secrets, clock), or tokens. */
export type SignInOutcomeDeps = 'secrets' | 'clock' | TokenIssuerDeps;

/**
 * What follows a proven password, whichever way it was proven (PASSWORD or SRP), in Cognito's
 * order: disabled, unconfirmed, expired temporary password; then either the
 * NEW_PASSWORD_REQUIRED challenge or tokens.
 */
export async function afterPasswordProven(deps: Pick<Deps, SignInOutcomeDeps>, sc: SignInClient, user: UserRecord, ctx: RequestContext): Promise<InitiateAuthResponse> {
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
  const tokens = await issueTokens(deps, { pool: sc.pool, client: sc.client, user, baseUrl: ctx.baseUrl });
  return { ChallengeParameters: {}, AuthenticationResult: tokens };
}
