import type { Deps } from '../../services/deps.js';
import type { UserRecord } from '../../domain/users/user.js';
import { preventsUserExistenceErrors } from '../../domain/clients/app-client.js';
import { runTrigger, type TriggerDeps } from '../../services/triggers/run-trigger.js';
import { triggerUserAttributes } from '../../services/triggers/user-attributes.js';
import type { SignInClient } from './sign-in-client.js';

/**
 * PreAuthentication_Authentication, when a sign-in names a user, before the password is
 * checked: the function refuses the sign-in by throwing. (Admin)InitiateAuth's ClientMetadata
 * arrives as `validationData`. `userNotFound` is sent only to clients that hide user existence
 * (cognito-facts-areas.md §2.2, §2.3); for them an unknown name runs the function too, with the
 * name typed, no attributes and `userNotFound: true`, so that it cannot tell the caller more
 * than the sign-in's own answer does. Otherwise only existing users run it.
 */
export async function runPreAuthentication(
  deps: Pick<Deps, TriggerDeps>,
  sc: SignInClient,
  user: UserRecord | undefined,
  typedName: string,
  clientMetadata: Record<string, string> | undefined,
): Promise<void> {
  const hidesExistence = preventsUserExistenceErrors(sc.clientSettings);
  if (!user && !hidesExistence) return;
  await runTrigger(deps, sc.settings, {
    source: 'PreAuthentication_Authentication',
    poolId: sc.pool.id,
    userName: user?.username ?? typedName,
    clientId: sc.client.id,
    request: {
      userAttributes: user ? triggerUserAttributes(user) : {},
      validationData: clientMetadata ?? null,
      ...(hidesExistence && { userNotFound: user === undefined }),
    },
  });
}

/**
 * PostAuthentication_Authentication, once the user is authenticated and before tokens are
 * issued (DG user-pool-lambda-post-authentication). `newDeviceUsed` is true when the sign-in
 * announces a new remembered-devices device (finish-sign-in.ts). ClientMetadata comes from
 * (Admin)RespondToAuthChallenge only; InitiateAuth does not pass it (§2.2).
 */
export async function runPostAuthentication(
  deps: Pick<Deps, TriggerDeps>,
  sc: SignInClient,
  user: UserRecord,
  clientMetadata: Record<string, string> | undefined,
  newDeviceUsed = false,
): Promise<void> {
  await runTrigger(deps, sc.settings, {
    source: 'PostAuthentication_Authentication',
    poolId: sc.pool.id,
    userName: user.username,
    clientId: sc.client.id,
    request: { userAttributes: triggerUserAttributes(user), newDeviceUsed, clientMetadata },
  });
}
