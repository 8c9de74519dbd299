import type { Deps } from '../../services/deps.js';
import type { Input, Operation, Output } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { assertUsernameAvailable, claimAliases, enqueueInvitations, renderInvitations, uniquely } from '../../services/directory/user-writes.js';
import { checkAttributeWrites, initialAttributes } from '../../domain/users/attributes.js';
import { invitationDestinations, newUserRecord, newUsername } from '../../domain/users/new-user.js';
import { assertPasswordMeetsPolicy } from '../../domain/pools/password-policy.js';
import { generateTemporaryPassword, temporaryPasswordValidityDays } from '../../domain/users/temporary-password.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { userType } from '../../domain/users/user-view.js';
import { MESSAGES, unsupportedUserState, userNotFound, usernameExists } from '../../kernel/errors.js';
import { derivePasswordSecrets } from '../../services/passwords/password-secrets.js';
import { runTrigger } from '../../services/triggers/run-trigger.js';
import { attributeMap, submittedAttributes } from '../../services/triggers/user-attributes.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { UserRecord } from '../../domain/users/user.js';

const DAY_MS = 86_400_000;

/**
 * Creates a user with a temporary password (FORCE_CHANGE_PASSWORD) and queues the invitation,
 * or with MessageAction RESEND gives an existing invited user a new temporary password and
 * invitation. ValidationData and ClientMetadata go to the PreSignUp function, which runs
 * before anything is written.
 */
export const adminCreateUser: Operation<'AdminCreateUser'> = (deps) => async (input) => {
  const { pool, settings } = await loadPool(deps.store, input.UserPoolId);
  if (input.MessageAction === 'RESEND') return resend(deps, pool, settings, input);

  const sub = deps.random.uuid();
  const { username, attribute } = newUsername(settings, input.Username, sub);
  const writes = input.UserAttributes ?? [];
  checkAttributeWrites(settings, writes, 'create');
  const attributes = { ...initialAttributes(settings, writes), ...(attribute && { [attribute.name]: attribute.value }) };
  const temporaryPassword = chooseTemporaryPassword(deps, settings, input.TemporaryPassword);
  const invitations = input.MessageAction === 'SUPPRESS' ? [] : invitationDestinations(attributes, input.DesiredDeliveryMediums);
  const { passwordHash, srp } = await derivePasswordSecrets(deps, pool, username, temporaryPassword);

  const now = deps.clock.nowMs();
  const user = newUserRecord(settings, {
    poolId: pool.id,
    sub,
    username,
    status: 'FORCE_CHANGE_PASSWORD',
    passwordHash,
    srp,
    attributes,
    nowMs: now,
  });
  // PreSignUp_AdminCreateUser may refuse the user by throwing; its auto* answers do not apply
  // to administrators' users (cognito-facts-areas.md §2.3), so the answer is not read.
  await runTrigger(deps, settings, {
    source: 'PreSignUp_AdminCreateUser',
    poolId: pool.id,
    userName: username,
    request: { userAttributes: submittedAttributes(user.attributes), validationData: attributeMap(input.ValidationData), clientMetadata: input.ClientMetadata },
  });
  const rendered = await renderInvitations(deps, pool, settings, user, invitations, input.ClientMetadata);
  await deps.store.transaction(async (tx) => {
    await loadPool(tx, pool.id);
    await assertUsernameAvailable(tx, settings, user, () => usernameExists('User account already exists'));
    await claimAliases(tx, settings, user, input.ForceAliasCreation === true, 'create', now);
    await uniquely(settings, 'create', () => tx.insertUser(user));
    await enqueueInvitations(deps, tx, settings, user, rendered, temporaryPassword, input.ClientMetadata, now + temporaryPasswordValidityDays(settings) * DAY_MS);
  });
  if (rendered.length > 0) deps.onMessageQueued();
  return { User: userType(user) };
};

function chooseTemporaryPassword(deps: Deps, settings: PoolSettings, given: string | undefined): string {
  if (given === undefined) return generateTemporaryPassword(settings, deps.random);
  assertPasswordMeetsPolicy(settings, given);
  return given;
}

/** Only a user still waiting for its first sign-in can be invited again. */
function assertInvited(user: UserRecord): void {
  if (user.status !== 'FORCE_CHANGE_PASSWORD') {
    throw unsupportedUserState(`Resend not possible. ${user.sub} status is not FORCE_CHANGE_PASSWORD`);
  }
}

async function resend(
  deps: Deps,
  pool: PoolRecord,
  settings: PoolSettings,
  input: Input<'AdminCreateUser'>,
): Promise<Output<'AdminCreateUser'>> {
  const found = await loadUser(deps.store, pool, input.Username);
  assertInvited(found);
  const temporaryPassword = chooseTemporaryPassword(deps, settings, input.TemporaryPassword);
  const invitations = invitationDestinations(found.attributes, input.DesiredDeliveryMediums);
  const { passwordHash, srp } = await derivePasswordSecrets(deps, pool, found.username, temporaryPassword);

  const now = deps.clock.nowMs();
  const rendered = await renderInvitations(deps, pool, settings, found, invitations, input.ClientMetadata);
  const updated = await deps.store.transaction(async (tx) => {
    const user = await tx.getUserBySub(pool.id, found.sub);
    if (!user) throw userNotFound(MESSAGES.userDoesNotExist);
    assertInvited(user);
    const next: UserRecord = { ...user, passwordHash, srp, passwordUpdatedAt: now, updatedAt: now };
    await tx.updateUser(next);
    await enqueueInvitations(deps, tx, settings, next, rendered, temporaryPassword, input.ClientMetadata, now + temporaryPasswordValidityDays(settings) * DAY_MS);
    return next;
  });
  if (rendered.length > 0) deps.onMessageQueued();
  return { User: userType(updated) };
}
