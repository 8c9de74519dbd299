import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { prepareRecoveryMessage, queueRecoveryCode } from './recovery-message.js';
import { isAdminOnlyRecovery, resetRefusal } from '../../domain/recovery/recovery.js';
import { renderCallsOut } from '../../services/delivery/render.js';

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

  // A CustomMessage function shapes the text before the write transaction (it may take seconds,
  // and the write lock must not wait for it), and the user is checked again inside. Without
  // one, rendering is pure and runs inside, on the user read there: one read, not two.
  const early = !adminOnly && renderCallsOut(deps, settings) ? await prepareRecoveryMessage(deps, pool, settings, await checked(deps.store), undefined, input.ClientMetadata) : undefined;

  await deps.store.transaction(async (tx) => {
    await loadPool(tx, pool.id);
    const current = await checked(tx);
    const prepared = adminOnly ? undefined : (early ?? (await prepareRecoveryMessage(deps, pool, settings, current, undefined, input.ClientMetadata)));
    const now = deps.clock.nowMs();
    const reset = { ...current, status: 'RESET_REQUIRED' as const, passwordHash: null, srp: null, updatedAt: now };
    await tx.updateUser(reset, current);
    await tx.revokeUserRefreshTokens(current.sub, now);
    await tx.deleteCodes(current.sub);
    if (prepared) await queueRecoveryCode(tx, deps, settings, reset, prepared);
  });
  deps.onMessageQueued();
  return {};
};
