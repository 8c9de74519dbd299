import type { Deps } from '../deps.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import { runTrigger, type TriggerDeps } from './run-trigger.js';
import { triggerUserAttributes } from './user-attributes.js';

/**
 * PostConfirmation, after the confirmation is committed: AWS invokes it once the user is
 * confirmed (DG23 user-pool-lambda-post-confirmation), so a failing function fails the call
 * with its error while the confirmation stands, as it does on AWS.
 */
export async function runPostConfirmation(
  deps: Pick<Deps, TriggerDeps>,
  settings: PoolSettings,
  user: UserRecord,
  source: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword',
  clientId: string | undefined,
  clientMetadata: Record<string, string> | undefined,
): Promise<void> {
  await runTrigger(deps, settings, {
    source,
    poolId: user.poolId,
    userName: user.username,
    clientId,
    request: { userAttributes: triggerUserAttributes(user), clientMetadata },
  });
}
