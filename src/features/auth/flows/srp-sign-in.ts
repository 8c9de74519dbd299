import type { Deps } from '../../../services/deps.js';
import { checkClientSecretHash, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { SignInFailures } from '../sign-in-failures.js';
import { preventsUserExistenceErrors } from '../../../domain/clients/app-client.js';
import { parseClientA, serverPublicB } from '../../../domain/auth/srp-protocol.js';
import { findUser } from '../../../services/directory/find-user.js';
import { MESSAGES, invalidParameter, notAuthorized, passwordResetRequired, userNotFound } from '../../../kernel/errors.js';
import type { InitiateAuthResponse } from '../../../model/generated/types.js';
import type { UserRecord } from '../../../domain/users/user.js';
import type { TriggerDeps } from '../../../services/triggers/run-trigger.js';
import { runPreAuthentication } from '../sign-in-triggers.js';
import { openVerifier } from '../../../services/passwords/password-secrets.js';
import { newServerSecret, sealSecretBlock, simulatedUser } from '../../../services/passwords/srp.js';

/** The user and failure streak (store, clock), the verifier and sealed block (secrets), b (random). */
export type SrpSignInDeps = 'store' | 'clock' | 'secrets' | 'random' | TriggerDeps;

/**
 * USER_SRP_AUTH, first step: the client sends USERNAME and SRP_A; the server answers the
 * PASSWORD_VERIFIER challenge with the user's salt, its public value B and a SECRET_BLOCK
 * holding what the second step (challenges/password-verifier.ts) needs. An unknown user gets a
 * simulated challenge when the client hides user existence, and UserNotFoundException otherwise.
 */
export async function srpSignIn(
  deps: Pick<Deps, SrpSignInDeps>,
  sc: SignInClient,
  params: Record<string, string> | undefined,
  _ctx: unknown,
  clientMetadata?: Record<string, string>,
): Promise<InitiateAuthResponse> {
  const username = requiredParameter(params, 'USERNAME');
  const srpA = requiredParameter(params, 'SRP_A');
  checkClientSecretHash(sc, username, params?.SECRET_HASH);
  const A = parseClientA(srpA);
  if (A === undefined) throw invalidParameter('SRP_A is not a valid value.');

  const user = await findUser(deps.store, sc.pool.id, sc.settings, username);
  const failures = new SignInFailures(deps.store, sc.pool.id, user ? `sub:${user.sub}` : `name:${username}`);
  if (await failures.isLocked(deps.clock.nowMs())) throw notAuthorized(MESSAGES.passwordAttemptsExceeded);

  if (!user) {
    if (!preventsUserExistenceErrors(sc.clientSettings)) throw userNotFound(MESSAGES.userDoesNotExist);
    await runPreAuthentication(deps, sc, undefined, username, clientMetadata);
  } else {
    if (user.status === 'RESET_REQUIRED') throw passwordResetRequired(MESSAGES.passwordResetRequired);
    // The first step is where InitiateAuth's ClientMetadata can reach the function (sign-in-triggers.ts).
    await runPreAuthentication(deps, sc, user, username, clientMetadata);
  }
  return passwordVerifierChallenge(deps, sc, user, username, A);
}

/**
 * The PASSWORD_VERIFIER challenge for a client value A: the user's salt, the server's B and the
 * sealed SECRET_BLOCK (a simulated user's when `user` is undefined). Also the SRP step of a
 * custom sign-in (`custom`: its answer must continue that sign-in, challenges/custom-auth-loop.ts).
 */
export function passwordVerifierChallenge(
  deps: Pick<Deps, 'secrets' | 'random' | 'clock'>,
  sc: SignInClient,
  user: UserRecord | undefined,
  username: string,
  A: bigint,
  custom?: { blockId: string },
): InitiateAuthResponse {
  let secret: { saltHex: string; verifier: bigint; userIdForSrp: string; userSub: string | null };
  if (!user) {
    secret = { ...simulatedUser(deps.secrets, sc.pool.id, username), userSub: null };
  } else {
    // A password set before userpoold kept verifiers has none: only password sign-in (or a
    // new password) helps that user.
    const opened = openVerifier(deps.secrets, user);
    if (!opened) throw notAuthorized(MESSAGES.incorrectCredentials);
    secret = { ...opened, userIdForSrp: user.username, userSub: user.sub };
  }

  const b = newServerSecret(deps);
  const B = serverPublicB(secret.verifier, b);
  const secretBlock = sealSecretBlock(deps.secrets, {
    id: custom?.blockId ?? deps.random.uuid(),
    poolId: sc.pool.id,
    clientId: sc.client.id,
    userSub: secret.userSub,
    name: username,
    userIdForSrp: secret.userIdForSrp,
    b: b.toString(16),
    A: A.toString(16),
    issuedAt: deps.clock.nowMs(),
    ...(custom && { custom: true }),
  });
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: secret.saltHex,
      SRP_B: B.toString(16),
      SECRET_BLOCK: secretBlock,
      USERNAME: secret.userIdForSrp,
      USER_ID_FOR_SRP: secret.userIdForSrp,
    },
  };
}
