import { authenticateAccessToken } from '../../services/tokens/access-token.js';
import type { Operation } from '../operation.js';
import { claimAliases, uniquely } from '../../services/directory/user-writes.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import { activeAliases } from '../../domain/users/username.js';
import { VERIFY_ATTEMPTS_PER_HOUR, verifiableAttribute } from '../../domain/users/verification.js';
import { MESSAGES, expiredCode } from '../../kernel/errors.js';
import { codeError, type CodeTarget } from '../../services/codes/codes.js';
import type { UserRecord } from '../../domain/users/user.js';

/**
 * A signed-in user proves the code sent to their email or phone number. The attempt is counted
 * and committed on its own; a good code is then consumed and the attribute marked verified,
 * which can make it a sign-in alias (refused if another user holds that alias).
 */
export const verifyUserAttribute: Operation<'VerifyUserAttribute'> = (deps) => async (input) => {
  const { pool, user: caller } = await authenticateAccessToken(deps, input.AccessToken);
  const attribute = verifiableAttribute(input.AttributeName);
  // The code is bound to the address it went to: a changed address makes it mismatch.
  const targetFor = (user: UserRecord): CodeTarget => ({
    poolId: pool.id,
    userSub: user.sub,
    purpose: `verify_${attribute}`,
    destination: user.attributes[attribute] ?? '',
  });
  const target = targetFor(caller);
  const outcome = await deps.store.transaction((tx) => deps.codes.attempt(tx, target, input.Code, VERIFY_ATTEMPTS_PER_HOUR));
  if (outcome !== 'ok') throw codeError(outcome);

  await deps.store.transaction(async (tx) => {
    const user = await tx.getUserBySub(pool.id, caller.sub);
    if (!user || user.attributes[attribute] === undefined || !(await deps.codes.consume(tx, targetFor(user), input.Code))) {
      throw expiredCode(MESSAGES.expiredCode);
    }
    const settings = settingsOf(pool);
    const attributes = { ...user.attributes, [`${attribute}_verified`]: 'true' };
    const now = deps.clock.nowMs();
    const verified = { ...user, attributes, aliases: activeAliases(settings, attributes), updatedAt: now };
    await claimAliases(tx, settings, verified, false, 'update', now);
    await uniquely(settings, 'update', () => tx.updateUser(verified));
  });
  return {};
};
