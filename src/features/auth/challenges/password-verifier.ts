import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import type { ChallengeAnswer } from './challenge-answer.js';
import { checkClientSecretHashAny, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { SignInFailures } from '../sign-in-failures.js';
import { afterPasswordProven, type SignInOutcomeDeps } from '../sign-in-outcome.js';
import {
  claimSignature,
  formatSrpTimestamp,
  parseSrpTimestamp,
  serverPublicB,
  serverSessionKey,
  signatureMatches,
  srpPoolName,
  timestampAcceptable,
} from '../../../domain/auth/srp-protocol.js';
import { findUser } from '../../../services/directory/find-user.js';
import { MESSAGES, invalidParameter, notAuthorized, passwordResetRequired } from '../../../kernel/errors.js';
import type { RespondToAuthChallengeResponse } from '../../../model/generated/types.js';
import { INVALID_SESSION } from '../../../services/sessions/auth-session.js';
import { openVerifier } from '../../../services/passwords/password-secrets.js';
import { openSecretBlock, secretBlockExpiresAt } from '../../../services/passwords/srp.js';
import { deviceOfRequest } from '../../../services/devices/sign-in-device.js';
import { continueAfterPassword, openCustomPasswordSession, type CustomChallengeDeps } from './custom-challenge.js';

const BAD_TIMESTAMP = 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.';

/**
 * The secret block (secrets) used once and the failure streak (store, clock), the user and
 * verifier (store, secrets), then the outcome.
 */
export type PasswordVerifierDeps = 'store' | 'clock' | 'secrets' | SignInOutcomeDeps | CustomChallengeDeps;

/**
 * USER_SRP_AUTH, second step: the PASSWORD_VERIFIER answer. The secret block must be this
 * server's, for this client, unexpired and unused (it is consumed here, whatever the outcome);
 * the signature proves the client derived the same key, which only the password allows.
 */
export async function answerPasswordVerifier(
  deps: Pick<Deps, PasswordVerifierDeps>,
  sc: SignInClient,
  input: ChallengeAnswer,
  ctx: RequestContext,
): Promise<RespondToAuthChallengeResponse> {
  const responses = input.ChallengeResponses;
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
  // The SRP step of a custom sign-in continues that sign-in, and only with its Session.
  const customSession = block.custom ? openCustomPasswordSession(deps, sc, input.Session, block.id) : undefined;
  // A DEVICE_KEY the user has no device under is refused before the block is spent:
  // amazon-cognito-identity-js answers that refusal by sending the same answer without the key.
  if (block.userSub !== null) await deviceOfRequest(deps, sc.pool.id, sc.settings, block.userSub, responses?.DEVICE_KEY);
  if (!(await deps.store.useOnce(`srp-secret-block:${block.id}`, expiresAt, now))) throw notAuthorized(INVALID_SESSION);

  const failures = new SignInFailures(deps.store, sc.pool.id, block.userSub ? `sub:${block.userSub}` : `name:${block.name}`);
  // The attempt counts as a failure before the proof is checked, and is cleared on success.
  if (!(await failures.reserve(now))) throw notAuthorized(MESSAGES.passwordAttemptsExceeded);
  const refuse = async () => {
    await failures.failed();
    return notAuthorized(MESSAGES.incorrectCredentials);
  };

  const user = block.userSub === null ? undefined : await deps.store.getUserBySub(sc.pool.id, block.userSub);
  if (!user) throw await refuse();
  if (username !== block.userIdForSrp) {
    const named = await findUser(deps.store, sc.pool.id, sc.settings, username);
    if (named?.sub !== user.sub) throw await refuse();
  }
  if (user.status === 'RESET_REQUIRED') {
    await failures.failed();
    throw passwordResetRequired(MESSAGES.passwordResetRequired);
  }
  // The password may have changed since the first step: the old B no longer proves anything.
  const secret = openVerifier(deps.secrets, user);
  if (!secret || !timestampAcceptable(claimedAt, now)) throw await refuse();
  const key = serverSessionKey(BigInt(`0x${block.A}`), serverPublicB(secret.verifier, BigInt(`0x${block.b}`)), BigInt(`0x${block.b}`), secret.verifier);
  const expected = key && claimSignature(key, srpPoolName(sc.pool.id), block.userIdForSrp, Buffer.from(secretBlock, 'base64'), formatSrpTimestamp(claimedAt));
  if (!expected || !signatureMatches(expected, signature)) throw await refuse();
  await failures.clear();

  if (customSession) return continueAfterPassword(deps, sc, user, customSession, input, ctx);
  return afterPasswordProven(deps, sc, user, ctx, input.ClientMetadata, responses?.DEVICE_KEY);
}
