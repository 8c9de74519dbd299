import type { Operation } from '../operation.js';
import { loadPublicClient } from '../../services/directory/public-client.js';
import { claimAliases, uniquely } from '../../services/directory/user-writes.js';
import { clientSettingsOf, preventsUserExistenceErrors } from '../../domain/clients/app-client.js';
import { activeAliases } from '../../domain/users/username.js';
import { findUser } from '../../services/directory/find-user.js';
import { CONFIRM_ATTEMPTS_PER_HOUR, assertUnconfirmed, signUpChannel } from '../../domain/users/verification.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import { MESSAGES, expiredCode, userNotFound } from '../../kernel/errors.js';
import { hiddenUser } from '../../services/directory/hidden-user.js';
import { codeError, type CodeTarget } from '../../services/codes/codes.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import { runPostConfirmation } from '../../services/triggers/post-confirmation.js';

/**
 * The user proves the sign-up code. The attempt is counted and committed on its own; a good
 * code then, in one transaction, is consumed, makes the user CONFIRMED and marks the contact the
 * code went to as verified, which can make it a sign-in alias. An alias another user holds is
 * refused unless ForceAliasCreation moves it here. The pool's PostConfirmation function runs
 * after the confirmation commits (services/triggers/post-confirmation.ts).
 */
function signUpCodeTarget(settings: PoolSettings, user: UserRecord): CodeTarget {
  const destination = signUpChannel(settings, user.attributes)?.destination ?? '';
  return { poolId: user.poolId, userSub: user.sub, purpose: 'confirm_sign_up', destination };
}

export const confirmSignUp: Operation<'ConfirmSignUp'> = (deps) => async (input) => {
  const checked = await deps.store.transaction(async (tx) => {
    const { client, pool, settings } = await loadPublicClient(deps, tx, input.ClientId, input.Username, input.SecretHash);
    const user = await findUser(tx, pool.id, settings, input.Username);
    if (!user) {
      if (!preventsUserExistenceErrors(clientSettingsOf(client))) throw userNotFound(MESSAGES.usernameClientNotFound);
      // An unknown name answers as an unconfirmed user whose sign-up code is live (the usual
      // case) answers a wrong guess, and its guesses count against its stand-in's hourly
      // limit (hidden-user.ts), so LimitExceededException comes at the same count as for a user.
      const stand = hiddenUser(deps.secrets, pool.id, settings, input.Username);
      const target: CodeTarget = { poolId: pool.id, userSub: stand.sub, purpose: 'confirm_sign_up', destination: '' };
      const outcome = await deps.codes.attempt(tx, target, input.ConfirmationCode, CONFIRM_ATTEMPTS_PER_HOUR);
      return { outcome: outcome === 'limit' ? ('limit' as const) : ('mismatch' as const) };
    }
    assertUnconfirmed(user.status);
    const target = signUpCodeTarget(settings, user);
    const outcome = await deps.codes.attempt(tx, target, input.ConfirmationCode, CONFIRM_ATTEMPTS_PER_HOUR);
    return { outcome, target, clientId: client.id };
  });
  if (checked.outcome !== 'ok') throw codeError(checked.outcome);

  const done = await deps.store.transaction(async (tx) => {
    const pool = await tx.getPool(checked.target.poolId);
    const user = await tx.getUserBySub(checked.target.poolId, checked.target.userSub);
    if (!pool || !user) throw expiredCode(MESSAGES.expiredCode);
    assertUnconfirmed(user.status);
    const settings = settingsOf(pool);
    // The code is bound to the address it went to: should an administrator have changed that
    // address since, the code no longer matches and proves nothing.
    if (!(await deps.codes.consume(tx, signUpCodeTarget(settings, user), input.ConfirmationCode))) throw expiredCode(MESSAGES.expiredCode);

    // The code went where the sign-up rule sends it, so the same rule names the attribute it proves.
    const channel = signUpChannel(settings, user.attributes);
    const attributes = channel ? { ...user.attributes, [`${channel.attribute}_verified`]: 'true' } : user.attributes;
    const now = deps.clock.nowMs();
    const confirmed = { ...user, status: 'CONFIRMED' as const, attributes, aliases: activeAliases(settings, attributes), updatedAt: now };
    await claimAliases(tx, settings, confirmed, input.ForceAliasCreation ?? false, 'update', now);
    await uniquely(settings, 'update', () => tx.updateUser(confirmed));
    return { settings, user: confirmed };
  });
  await runPostConfirmation(deps, done.settings, done.user, 'PostConfirmation_ConfirmSignUp', checked.clientId, input.ClientMetadata);
  return {};
};
