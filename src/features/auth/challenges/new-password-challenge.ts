import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import { checkClientSecretHash, requiredParameter, type SignInClient } from '../sign-in-client.js';
import type { ChallengeAnswer } from './challenge-answer.js';
import { claimAliases, uniquely } from '../../../services/directory/user-writes.js';
import { assertRequiredAttributes, checkAttributeWrites, updatedAttributes } from '../../../domain/users/attributes.js';
import { isWritableAttribute } from '../../../domain/auth/sign-in.js';
import { assertPasswordMeetsPolicy } from '../../../domain/pools/password-policy.js';
import { activeAliases } from '../../../domain/users/username.js';
import { findUser } from '../../../services/directory/find-user.js';
import { MESSAGES, invalidParameter, notAuthorized } from '../../../kernel/errors.js';
import type { AttributeType, RespondToAuthChallengeResponse } from '../../../model/generated/types.js';
import { INVALID_SESSION, openSession } from '../../../services/sessions/auth-session.js';
import type { TokenIssuerDeps } from '../../../services/tokens/tokens.js';
import { derivePasswordSecrets } from '../../../services/passwords/password-secrets.js';
import { finishSignIn } from '../finish-sign-in.js';
import { startMfaStep, type MfaStepDeps } from './mfa-step.js';

const ATTRIBUTE_PREFIX = 'userAttributes.';

/**
 * The session (secrets, clock), the user and the write (store, clock), the new password's hash
 * and verifier (hasher, random, secrets), then tokens.
 */
export type NewPasswordDeps = 'store' | 'clock' | 'secrets' | 'hasher' | 'random' | TokenIssuerDeps | MfaStepDeps;

/**
 * Answers NEW_PASSWORD_REQUIRED: the new password (hashed before the transaction), USERNAME,
 * and `userAttributes.<name>` answers for required attributes the user lacks; the user becomes
 * CONFIRMED and gets tokens.
 */
export async function answerNewPassword(
  deps: Pick<Deps, NewPasswordDeps>,
  sc: SignInClient,
  input: ChallengeAnswer,
  ctx: RequestContext,
): Promise<RespondToAuthChallengeResponse> {
  const responses = input.ChallengeResponses;
  const username = requiredParameter(responses, 'USERNAME');
  checkClientSecretHash(sc, username, responses?.SECRET_HASH);
  if (input.Session === undefined) throw invalidParameter('Missing required parameter Session');
  const session = openSession(deps.secrets, input.Session, deps.clock.nowMs());
  if (session.poolId !== sc.pool.id || session.clientId !== sc.client.id || session.challenge !== 'NEW_PASSWORD_REQUIRED') {
    throw notAuthorized(INVALID_SESSION);
  }
  const newPassword = requiredParameter(responses, 'NEW_PASSWORD');

  const writes: AttributeType[] = Object.entries(responses ?? {})
    .filter(([name]) => name.startsWith(ATTRIBUTE_PREFIX))
    .map(([name, value]) => ({ Name: name.slice(ATTRIBUTE_PREFIX.length), Value: value }));
  if (writes.some((w) => !isWritableAttribute(sc.clientSettings, sc.settings.SchemaAttributes, w.Name))) {
    throw notAuthorized('A client attempted to write unauthorized attribute');
  }
  checkAttributeWrites(sc.settings, writes, 'update');
  assertPasswordMeetsPolicy(sc.settings, newPassword);

  const named = await findUser(deps.store, sc.pool.id, sc.settings, username);
  if (!named || named.sub !== session.userSub) throw notAuthorized(INVALID_SESSION);
  const { passwordHash, srp } = await derivePasswordSecrets(deps, sc.pool, named.username, newPassword);

  const user = await deps.store.transaction(async (tx) => {
    const current = await tx.getUserBySub(sc.pool.id, session.userSub);
    // The session holds only for the temporary password that opened it.
    if (!current || current.status !== 'FORCE_CHANGE_PASSWORD' || current.passwordUpdatedAt !== session.passwordSetAt) {
      throw notAuthorized(INVALID_SESSION);
    }
    if (!current.enabled) throw notAuthorized(MESSAGES.userDisabled);
    const attributes = updatedAttributes(sc.settings, current.attributes, writes);
    assertRequiredAttributes(sc.settings, attributes);
    const now = deps.clock.nowMs();
    const next = {
      ...current,
      status: 'CONFIRMED' as const,
      passwordHash,
      srp,
      passwordUpdatedAt: now,
      attributes,
      aliases: activeAliases(sc.settings, attributes),
      updatedAt: now,
    };
    await claimAliases(tx, sc.settings, next, false, 'update', now);
    await uniquely(sc.settings, 'update', () => tx.updateUser(next));
    return next;
  });
  // With MFA, the new password is followed by the second factor (or MFA_SETUP), as a password is.
  const mfaStep = await startMfaStep(deps, sc, user, input.ClientMetadata);
  if (mfaStep) return mfaStep;
  // A pool that remembers devices announces this one too (finish-sign-in.ts).
  return finishSignIn(deps, sc, user, ctx, {
    clientMetadata: input.ClientMetadata,
    deviceKey: input.ChallengeResponses?.DEVICE_KEY,
    source: 'TokenGeneration_NewPasswordChallenge',
  });
}
