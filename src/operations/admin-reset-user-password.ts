import type { Operation } from './deps.js';
import { loadPool, loadUser } from './lookups.js';
import { isAdminOnlyRecovery, recoveryChannel, resetRefusal } from '../domain/recovery.js';
import { queueMessage } from '../services/delivery/outbox.js';

/**
 * An administrator begins a password reset: the user goes to RESET_REQUIRED, the current
 * password stops working, and a fresh code (replacing any earlier one) is queued for the
 * user's recovery channel, with the ClientMetadata for the CustomMessage trigger
 * (CustomMessage_ForgotPassword). All in one transaction.
 */
export const adminResetUserPassword: Operation<'AdminResetUserPassword'> = (deps) => async (input) => {
  await deps.store.transaction(async (tx) => {
    const { pool, settings } = await loadPool(tx, input.UserPoolId);
    const user = await loadUser(tx, pool, input.Username);
    // In an admin_only pool the user cannot receive a code; the administrator finishes the
    // reset with AdminSetUserPassword.
    const adminOnly = isAdminOnlyRecovery(settings);
    const refusal = resetRefusal(settings, user, !adminOnly);
    if (refusal) throw refusal;

    const now = deps.clock.nowMs();
    const reset = { ...user, status: 'RESET_REQUIRED' as const, passwordHash: null, updatedAt: now };
    await tx.updateUser(reset);
    await tx.revokeUserRefreshTokens(user.sub, now);
    await tx.deleteCodes(user.sub);

    const channel = adminOnly ? undefined : recoveryChannel(settings, user);
    if (!channel) return;
    const target = { poolId: pool.id, userSub: user.sub, purpose: 'reset_password' as const };
    const code = await deps.codes.issue(tx, target, deps.config.resetCodeTtlSeconds * 1000);
    await queueMessage(tx, deps, {
      user: reset,
      trigger: 'ForgotPassword',
      channel: channel.medium,
      destination: channel.destination,
      payload: { code, clientMetadata: input.ClientMetadata },
    });
  });
  return {};
};
