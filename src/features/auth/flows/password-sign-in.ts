import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import { checkClientSecretHash, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { SignInFailures } from '../sign-in-failures.js';
import { afterPasswordProven, type SignInOutcomeDeps } from '../sign-in-outcome.js';
import { preventsUserExistenceErrors } from '../../../domain/clients/app-client.js';
import { findUser } from '../../../services/directory/find-user.js';
import { MESSAGES, notAuthorized, passwordResetRequired, userNotFound } from '../../../kernel/errors.js';
import type { InitiateAuthResponse } from '../../../model/generated/types.js';
import { migrateUser, type MigrationDeps } from '../../../services/triggers/user-migration.js';
import { runPreAuthentication } from '../sign-in-triggers.js';

/** The user (store), the failure streak (store, clock), the password (hasher), then the outcome. */
export type PasswordSignInDeps = 'store' | 'clock' | 'hasher' | SignInOutcomeDeps | MigrationDeps;

/**
 * Sign-in with USERNAME and PASSWORD (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH), answering
 * in Cognito's order: lockout, unknown user, reset required, wrong password, disabled,
 * unconfirmed, expired temporary password; then either the NEW_PASSWORD_REQUIRED challenge
 * or tokens. A name the pool does not know goes to the pool's UserMigration function first
 * (UserMigration_Authentication, which needs the password in clear, so only these flows run
 * it: cognito-facts-areas.md §2.3); a known user meets the PreAuthentication function before
 * the password is checked.
 */
export async function passwordSignIn(
  deps: Pick<Deps, PasswordSignInDeps>,
  sc: SignInClient,
  params: Record<string, string> | undefined,
  ctx: RequestContext,
  clientMetadata?: Record<string, string>,
): Promise<InitiateAuthResponse> {
  const username = requiredParameter(params, 'USERNAME');
  const password = requiredParameter(params, 'PASSWORD');
  checkClientSecretHash(sc, username, params?.SECRET_HASH);

  const found = await findUser(deps.store, sc.pool.id, sc.settings, username);
  // InitiateAuth's ClientMetadata reaches UserMigration (MODEL InitiateAuth.ClientMetadata); as
  // for PreAuthentication it is the event's validationData, and it is sent as clientMetadata too.
  const user =
    found ??
    (await migrateUser(deps, {
      source: 'UserMigration_Authentication',
      pool: sc.pool,
      settings: sc.settings,
      clientId: sc.client.id,
      username,
      password,
      validationData: clientMetadata ?? null,
      clientMetadata,
    }));
  // Failures are counted per user, and per typed name for unknown users, so the limit
  // behaves the same whether or not the user exists.
  const failures = new SignInFailures(deps.store, sc.pool.id, user ? `sub:${user.sub}` : `name:${username}`);
  if (user?.status === 'RESET_REQUIRED') {
    // No password to check: the attempt is refused without counting, as before a reset.
    if (await failures.isLocked(deps.clock.nowMs())) throw notAuthorized(MESSAGES.passwordAttemptsExceeded);
    await deps.hasher.verifyDummy(password);
    throw passwordResetRequired(MESSAGES.passwordResetRequired);
  }
  // A user the function has just migrated was not there to be pre-authenticated.
  if (found === user) await runPreAuthentication(deps, sc, user, username, clientMetadata);
  // The attempt counts as a failure before the password is checked, and is cleared on success.
  if (!(await failures.reserve(deps.clock.nowMs()))) throw notAuthorized(MESSAGES.passwordAttemptsExceeded);

  if (!user) {
    await deps.hasher.verifyDummy(password);
    await failures.failed();
    throw preventsUserExistenceErrors(sc.clientSettings)
      ? notAuthorized(MESSAGES.incorrectCredentials)
      : userNotFound(MESSAGES.userDoesNotExist);
  }

  let matches = false;
  if (user.passwordHash === null) await deps.hasher.verifyDummy(password);
  else matches = await deps.hasher.verify(user.passwordHash, password);
  if (!matches) {
    await failures.failed();
    throw notAuthorized(MESSAGES.incorrectCredentials);
  }
  await failures.clear();

  return afterPasswordProven(deps, sc, user, ctx, undefined, params?.DEVICE_KEY);
}
