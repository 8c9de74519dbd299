import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import { checkClientSecretHash, checkClientSecretHashAny, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { SignInFailures } from '../sign-in-failures.js';
import { afterPasswordProven } from '../sign-in-outcome.js';
import { preventsUserExistenceErrors } from '../../../domain/clients/app-client.js';
import {
  claimSignature,
  formatSrpTimestamp,
  parseClientA,
  parseSrpTimestamp,
  serverPublicB,
  serverSessionKey,
  signatureMatches,
  srpPoolName,
  timestampAcceptable,
} from '../../../domain/auth/srp-protocol.js';
import { findUser } from '../../../services/directory/find-user.js';
import { MESSAGES, invalidParameter, notAuthorized, passwordResetRequired, userNotFound } from '../../../kernel/errors.js';
import type { InitiateAuthResponse, RespondToAuthChallengeResponse } from '../../../model/generated/types.js';
import { INVALID_SESSION } from '../../../services/sessions/auth-session.js';
import { openVerifier } from '../../../services/passwords/password-secrets.js';
import { newServerSecret, openSecretBlock, sealSecretBlock, secretBlockExpiresAt, simulatedUser } from '../../../services/passwords/srp.js';

const BAD_TIMESTAMP = 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.';

/**
 * USER_SRP_AUTH, first step: the client sends USERNAME and SRP_A; the server answers the
 * PASSWORD_VERIFIER challenge with the user's salt, its public value B and a SECRET_BLOCK
 * holding what the second step needs. An unknown user gets a simulated challenge when the
 * client hides user existence, and UserNotFoundException otherwise.
 */
export async function srpSignIn(deps: Deps, sc: SignInClient, params: Record<string, string> | undefined): Promise<InitiateAuthResponse> {
  const username = requiredParameter(params, 'USERNAME');
  const srpA = requiredParameter(params, 'SRP_A');
  checkClientSecretHash(sc, username, params?.SECRET_HASH);
  const A = parseClientA(srpA);
  if (A === undefined) throw invalidParameter('SRP_A is not a valid value.');

  const user = await findUser(deps.store, sc.pool.id, sc.settings, username);
  const failures = new SignInFailures(deps.store, sc.pool.id, user ? `sub:${user.sub}` : `name:${username}`);
  if (await failures.isLocked(deps.clock.nowMs())) throw notAuthorized(MESSAGES.passwordAttemptsExceeded);

  let secret: { saltHex: string; verifier: bigint; userIdForSrp: string; userSub: string | null };
  if (!user) {
    if (!preventsUserExistenceErrors(sc.clientSettings)) throw userNotFound(MESSAGES.userDoesNotExist);
    secret = { ...simulatedUser(deps.secrets, sc.pool.id, username), userSub: null };
  } else {
    if (user.status === 'RESET_REQUIRED') throw passwordResetRequired(MESSAGES.passwordResetRequired);
    // A password set before userpoold kept verifiers has none: only password sign-in (or a
    // new password) helps that user.
    const opened = openVerifier(deps.secrets, user);
    if (!opened) throw notAuthorized(MESSAGES.incorrectCredentials);
    secret = { ...opened, userIdForSrp: user.username, userSub: user.sub };
  }

  const b = newServerSecret(deps);
  const B = serverPublicB(secret.verifier, b);
  const secretBlock = sealSecretBlock(deps.secrets, {
    id: deps.random.uuid(),
    poolId: sc.pool.id,
    clientId: sc.client.id,
    userSub: secret.userSub,
    name: username,
    userIdForSrp: secret.userIdForSrp,
    b: b.toString(16),
    A: A.toString(16),
    issuedAt: deps.clock.nowMs(),
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

/**
 * USER_SRP_AUTH, second step: the PASSWORD_VERIFIER answer. The secret block must be this
 * server's, for this client, unexpired and unused (it is consumed here, whatever the outcome);
 * the signature proves the client derived the same key, which only the password allows.
 */
export async function answerPasswordVerifier(
  deps: Deps,
  sc: SignInClient,
  responses: Record<string, string> | undefined,
  ctx: RequestContext,
): Promise<RespondToAuthChallengeResponse> {
  const username = requiredParameter(responses, 'USERNAME');
  const secretBlock = requiredParameter(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requiredParameter(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = requiredParameter(responses, 'TIMESTAMP');
  checkClientSecretHashAny(sc, [username], responses?.SECRET_HASH);
  const claimedAt = parseSrpTimestamp(timestamp);
  if (claimedAt === undefined) throw invalidParameter(BAD_TIMESTAMP);

  const block = openSecretBlock(deps.secrets, secretBlock);
  if (!block || block.poolId !== sc.pool.id || block.clientId !== sc.client.id) throw notAuthorized(MESSAGES.incorrectCredentials);
  const now = deps.clock.nowMs();
  const expiresAt = secretBlockExpiresAt(block);
  if (now >= expiresAt) throw notAuthorized(INVALID_SESSION);
  if (!(await deps.store.useOnce(`srp-secret-block:${block.id}`, expiresAt, now))) throw notAuthorized(INVALID_SESSION);

  const failures = new SignInFailures(deps.store, sc.pool.id, block.userSub ? `sub:${block.userSub}` : `name:${block.name}`);
  // The attempt counts as a failure before the proof is checked, and is cleared on success.
  if (!(await failures.reserve(now))) throw notAuthorized(MESSAGES.passwordAttemptsExceeded);
  const refuse = async () => notAuthorized(MESSAGES.incorrectCredentials);

  const user = block.userSub === null ? undefined : await deps.store.getUserBySub(sc.pool.id, block.userSub);
  if (!user) throw await refuse();
  if (username !== block.userIdForSrp) {
    const named = await findUser(deps.store, sc.pool.id, sc.settings, username);
    if (named?.sub !== user.sub) throw await refuse();
  }
  if (user.status === 'RESET_REQUIRED') throw passwordResetRequired(MESSAGES.passwordResetRequired);
  // The password may have changed since the first step: the old B no longer proves anything.
  const secret = openVerifier(deps.secrets, user);
  if (!secret || !timestampAcceptable(claimedAt, now)) throw await refuse();
  const key = serverSessionKey(BigInt(`0x${block.A}`), serverPublicB(secret.verifier, BigInt(`0x${block.b}`)), BigInt(`0x${block.b}`), secret.verifier);
  const expected = key && claimSignature(key, srpPoolName(sc.pool.id), block.userIdForSrp, Buffer.from(secretBlock, 'base64'), formatSrpTimestamp(claimedAt));
  if (!expected || !signatureMatches(expected, signature)) throw await refuse();
  await failures.clear();

  return afterPasswordProven(deps, sc, user, ctx);
}
