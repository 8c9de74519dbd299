import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { prepareRecoveryMessage, queueRecoveryCode } from './recovery-message.js';
import { isAdminOnlyRecovery, resetRefusal } from '../../domain/recovery/recovery.js';

/**
 * An administrator begins a password reset: the user goes to RESET_REQUIRED, the current
 * password stops working, refresh tokens are revoked, and a fresh code (replacing any earlier
 * one) is queued for the user's recovery channel with the ClientMetadata, after the
 * CustomMessage trigger (CustomMessage_ForgotPassword) has shaped the text.
 */
export const adminResetUserPassword: Operation<'AdminResetUserPassword'> = (deps) => async (input) => {
  const { pool, settings } = await loadPool(deps.store, input.UserPoolId);
  // In an admin_only pool the user cannot receive a code; the administrator finishes the
  // reset with AdminSetUserPassword.
  const adminOnly = isAdminOnlyRecovery(settings);
  const checked = async (tx: Parameters<typeof loadUser>[0]) => {
    const user = await loadUser(tx, pool, input.Username);
    const refusal = resetRefusal(settings, user, !adminOnly);
    if (refusal) throw refusal;
    return user;
  };

  const user = await checked(deps.store);
  const prepared = adminOnly ? undefined : await prepareRecoveryMessage(deps, pool, settings, user, undefined, input.ClientMetadata);

  await deps.store.transaction(async (tx) => {
    await loadPool(tx, pool.id);
    // Checked again: the user may have changed while the message was rendered.
    const current = await checked(tx);
    const now = deps.clock.nowMs();
    const reset = { ...current, status: 'RESET_REQUIRED' as const, passwordHash: null, srp: null, updatedAt: now };
    await tx.updateUser(reset);
    await tx.revokeUserRefreshTokens(current.sub, now);
    await tx.deleteCodes(current.sub);
    if (prepared) await queueRecoveryCode(tx, deps, settings, reset, prepared);
  });
  deps.onMessageQueued();
  return {};
};
