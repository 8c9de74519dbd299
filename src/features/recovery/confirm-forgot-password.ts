import type { Operation } from '../operation.js';
import { loadPublicClient } from '../../services/directory/public-client.js';
import { clientSettingsOf, preventsUserExistenceErrors } from '../../domain/clients/app-client.js';
import { assertPasswordMeetsPolicy } from '../../domain/pools/password-policy.js';
import { findUser } from '../../services/directory/find-user.js';
import { MESSAGES, codeMismatch, expiredCode, notAuthorized, userNotFound } from '../../kernel/errors.js';
import { codeError, type CodeTarget } from '../../services/codes/codes.js';
import { derivePasswordSecrets } from '../../services/passwords/password-secrets.js';
import { recoveryChannel } from '../../domain/recovery/recovery.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { UserRecord } from '../../domain/users/user.js';

/**
 * Completes a reset with the code and a new password. The attempt is counted and committed
 * before anything else; the password is hashed outside any transaction; then one transaction
 * consumes the code (only if it is still the same one), sets the password, makes the user
 * CONFIRMED and revokes their refresh tokens.
 */
/** A reset code proves the recovery destination it went to, as the user is now stored. */
function resetCodeTarget(settings: PoolSettings, user: UserRecord): CodeTarget {
  const destination = recoveryChannel(settings, user)?.destination ?? '';
  return { poolId: user.poolId, userSub: user.sub, purpose: 'reset_password', destination };
}

export const confirmForgotPassword: Operation<'ConfirmForgotPassword'> = (deps) => async (input) => {
  const checked = await deps.store.transaction(async (tx) => {
    const { client, pool, settings } = await loadPublicClient(deps, tx, input.ClientId, input.Username, input.SecretHash);
    const hideExistence = preventsUserExistenceErrors(clientSettingsOf(client));
    const user = await findUser(tx, pool.id, settings, input.Username);
    if (!user) {
      if (hideExistence) throw codeMismatch(MESSAGES.codeMismatch);
      throw userNotFound(MESSAGES.usernameClientNotFound);
    }
    if (!user.enabled) {
      if (hideExistence) throw codeMismatch(MESSAGES.codeMismatch);
      throw notAuthorized(MESSAGES.userDisabled);
    }
    assertPasswordMeetsPolicy(settings, input.Password);
    const target = resetCodeTarget(settings, user);
    const outcome = await deps.codes.attempt(tx, target, input.ConfirmationCode, deps.config.codeAttemptLimit);
    return { outcome, target, settings, sub: user.sub, username: user.username };
  });
  if (checked.outcome !== 'ok') throw codeError(checked.outcome);

  const { passwordHash, srp } = await derivePasswordSecrets(deps, { id: checked.target.poolId }, checked.username, input.Password);

  await deps.store.transaction(async (tx) => {
    // The user may have changed while the password was hashed: reload, and let the code decide.
    const user = await tx.getUserBySub(checked.target.poolId, checked.sub);
    if (!user || !(await deps.codes.consume(tx, resetCodeTarget(checked.settings, user), input.ConfirmationCode))) {
      throw expiredCode(MESSAGES.expiredCode);
    }
    const now = deps.clock.nowMs();
    await tx.updateUser({ ...user, status: 'CONFIRMED', passwordHash, srp, passwordUpdatedAt: now, updatedAt: now });
    if (deps.config.revokeTokensOnPasswordReset) await tx.revokeUserRefreshTokens(user.sub, now);
  });
  return {};
};
