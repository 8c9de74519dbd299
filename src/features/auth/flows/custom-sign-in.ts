import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import { checkClientSecretHash, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { SignInFailures } from '../sign-in-failures.js';
import { preventsUserExistenceErrors } from '../../../domain/clients/app-client.js';
import { parseClientA } from '../../../domain/auth/srp-protocol.js';
import { findUser } from '../../../services/directory/find-user.js';
import { hasTrigger } from '../../../services/triggers/run-trigger.js';
import { MESSAGES, invalidParameter, notAuthorized, passwordResetRequired, userNotConfirmed, userNotFound } from '../../../kernel/errors.js';
import type { InitiateAuthResponse } from '../../../model/generated/types.js';
import { CUSTOM_AUTH_NOT_CONFIGURED, nextCustomStep, type CustomAuthDeps } from '../challenges/custom-auth-loop.js';

export type CustomSignInDeps = CustomAuthDeps;

/**
 * CUSTOM_AUTH, first step (cognito-facts-areas.md §2.3): USERNAME alone starts the custom
 * challenges at once (DefineAuthChallenge sees an empty `session`); with SRP_A (and
 * CHALLENGE_NAME=SRP_A, as the SDKs send it) Define sees [{SRP_A, true}] and may ask for
 * PASSWORD_VERIFIER first. PreAuthentication does not run in this flow [FIELD
 * gh:aws-amplify/amplify-js#5318], nor does InitiateAuth's ClientMetadata reach Define or Create
 * (§2.2). A name the pool does not know goes on, with userNotFound, for clients that hide user
 * existence; otherwise it is UserNotFoundException, as in the other flows.
 */
export async function customSignIn(
  deps: Pick<Deps, CustomSignInDeps>,
  sc: SignInClient,
  params: Record<string, string> | undefined,
  ctx: RequestContext,
): Promise<InitiateAuthResponse> {
  const username = requiredParameter(params, 'USERNAME');
  checkClientSecretHash(sc, username, params?.SECRET_HASH);
  if (!hasTrigger(sc.settings, 'DefineAuthChallenge')) throw invalidParameter(CUSTOM_AUTH_NOT_CONFIGURED);
  let A: bigint | undefined;
  if (params?.SRP_A !== undefined) {
    A = parseClientA(params.SRP_A);
    if (A === undefined) throw invalidParameter('SRP_A is not a valid value.');
  }

  const user = await findUser(deps.store, sc.pool.id, sc.settings, username);
  if (!user && !preventsUserExistenceErrors(sc.clientSettings)) throw userNotFound(MESSAGES.userDoesNotExist);
  if (user && !user.enabled) throw notAuthorized(MESSAGES.userDisabled);
  if (user?.status === 'UNCONFIRMED') throw userNotConfirmed(MESSAGES.userNotConfirmed);
  if (A !== undefined) {
    // The password step meets the lockout like any password sign-in; custom challenges alone do
    // not (DG authentication lockout: "doesn't apply to custom challenges unless they also
    // perform password-based authentication").
    const failures = new SignInFailures(deps.store, sc.pool.id, user ? `sub:${user.sub}` : `name:${username}`);
    if (await failures.isLocked(deps.clock.nowMs())) throw notAuthorized(MESSAGES.passwordAttemptsExceeded);
    if (user?.status === 'RESET_REQUIRED') throw passwordResetRequired(MESSAGES.passwordResetRequired);
  }
  const rounds = A === undefined ? [] : [{ challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null }];
  return nextCustomStep(deps, sc, { user, name: username }, rounds, ctx, undefined, A);
}
