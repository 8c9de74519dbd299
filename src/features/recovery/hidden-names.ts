import { MESSAGES } from '../../kernel/errors.js';
import { resetRefusal } from '../../domain/recovery/recovery.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { UserRecord } from '../../domain/users/user.js';

/**
 * Whether a client that prevents user existence errors answers for this user as for an unknown
 * name: AWS hides a user who "isn't found, is deactivated, or doesn't have a verified delivery
 * mechanism" (cognito-user-pool-managing-errors, ForgotPassword). A user whose state forbids a
 * reset (FORCE_CHANGE_PASSWORD) is told so, as AWS does (cognito-facts.md section 3).
 */
export function hiddenFromRecovery(settings: PoolSettings, user: UserRecord): boolean {
  const refusal = resetRefusal(settings, user);
  return refusal !== undefined && refusal.message !== MESSAGES.cannotResetInState;
}
