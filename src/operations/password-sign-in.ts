import type { Deps, RequestContext } from './deps.js';
import { checkClientSecretHash, requiredParameter, type SignInClient } from './sign-in-client.js';
import { SignInFailures } from './sign-in-failures.js';
import { preventsUserExistenceErrors } from '../domain/app-client.js';
import { newPasswordChallengeParameters } from '../domain/sign-in.js';
import { temporaryPasswordExpired } from '../domain/temporary-password.js';
import { findUser } from '../domain/username.js';
import { MESSAGES, notAuthorized, passwordResetRequired, userNotConfirmed, userNotFound } from '../errors.js';
import type { InitiateAuthResponse } from '../protocol/generated/types.js';
import { sealSession } from '../services/auth-session.js';
import { authSessionValidityMs } from '../domain/sign-in.js';
import { issueTokens } from '../services/tokens.js';

/**
 * Sign-in with USERNAME and PASSWORD (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH), answering
 * in Cognito's order: lockout, unknown user, reset required, wrong password, disabled,
 * unconfirmed, expired temporary password; then either the NEW_PASSWORD_REQUIRED challenge
 * or tokens.
 */
export async function passwordSignIn(
  deps: Deps,
  sc: SignInClient,
  params: Record<string, string> | undefined,
  ctx: RequestContext,
): Promise<InitiateAuthResponse> {
  const username = requiredParameter(params, 'USERNAME');
  const password = requiredParameter(params, 'PASSWORD');
  checkClientSecretHash(sc, username, params?.SECRET_HASH);

  const user = await findUser(deps.store, sc.pool.id, sc.settings, username);
  // Failures are counted per user, and per typed name for unknown users, so the limit
  // behaves the same whether or not the user exists.
  const failures = new SignInFailures(deps.store, sc.pool.id, user ? `sub:${user.sub}` : `name:${username}`);
  if (await failures.isLocked(deps.clock.nowMs())) throw notAuthorized(MESSAGES.passwordAttemptsExceeded);

  if (!user) {
    await deps.hasher.verifyDummy(password);
    await failures.recordFailure(deps.clock.nowMs());
    throw preventsUserExistenceErrors(sc.clientSettings)
      ? notAuthorized(MESSAGES.incorrectCredentials)
      : userNotFound(MESSAGES.userDoesNotExist);
  }
  if (user.status === 'RESET_REQUIRED') throw passwordResetRequired(MESSAGES.passwordResetRequired);

  let matches = false;
  if (user.passwordHash === null) await deps.hasher.verifyDummy(password);
  else matches = await deps.hasher.verify(user.passwordHash, password);
  if (!matches) {
    await failures.recordFailure(deps.clock.nowMs());
    throw notAuthorized(MESSAGES.incorrectCredentials);
  }
  await failures.clear();

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
    });
    return { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeParameters: newPasswordChallengeParameters(user, sc.settings) };
  }
  const tokens = await issueTokens(deps, { pool: sc.pool, client: sc.client, user, baseUrl: ctx.baseUrl });
  return { ChallengeParameters: {}, AuthenticationResult: tokens };
}
