import type { Deps } from '../deps.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import { newUserRecord, newUsername } from '../../domain/users/new-user.js';
import { checkAttributeWrites } from '../../domain/users/attributes.js';
import { ServiceError, invalidParameter } from '../../kernel/errors.js';
import { assertUsernameAvailable, claimAliases, uniquely } from '../directory/user-writes.js';
import { derivePasswordSecrets } from '../passwords/password-secrets.js';
import { runTrigger, type TriggerDeps } from './run-trigger.js';

/** The function (lambda, config), the password's secrets (hasher, secrets, random), the write (store, clock). */
export type MigrationDeps = TriggerDeps | 'hasher' | 'secrets' | 'random' | 'store' | 'clock';

export interface MigrationCall {
  source: 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';
  pool: PoolRecord;
  settings: PoolSettings;
  clientId: string;
  /** The name the caller typed; the event's `userName`. */
  username: string;
  /** The password typed at sign-in (sign-in source only): the migrated user's password. */
  password?: string | undefined;
  validationData: Record<string, string> | null;
  clientMetadata?: Record<string, string> | undefined;
}

/** Attributes Cognito keeps for itself: a function's values for them are not stored. */
const NOT_FROM_FUNCTION = (name: string) => name === 'sub' || name === 'username' || name.startsWith('cognito:');

/**
 * Runs the pool's UserMigration function for a name the pool does not know and, when it answers
 * with the user's attributes, stores the user (cognito-facts-areas.md §2.3, DG23
 * user-pool-lambda-migrate-user): with the sign-in password (the pool's password policy is not
 * applied to it) or, on the forgot-password path, without one; in `finalUserStatus`
 * (CONFIRMED, or RESET_REQUIRED, the default, which makes sign-in answer
 * PasswordResetRequiredException); a verified email or phone that another user holds as an alias
 * moves only with `forceAliasCreation`. Returns undefined when the pool names no function.
 *
 * Not built: the welcome message AWS sends unless `messageAction` is SUPPRESS (userpoold sends
 * none), and `enableSMSMFA` (MFA is not built).
 */
export async function migrateUser(deps: Pick<Deps, MigrationDeps>, call: MigrationCall): Promise<UserRecord | undefined> {
  const answer = await runTrigger(deps, call.settings, {
    source: call.source,
    poolId: call.pool.id,
    userName: call.username,
    clientId: call.clientId,
    request: { password: call.password, validationData: call.validationData, clientMetadata: call.clientMetadata },
  });
  if (!answer) return undefined;

  const sub = deps.random.uuid();
  const { username, attribute } = newUsername(call.settings, call.username, sub);
  const writes = Object.entries(answer.userAttributes)
    .filter(([name]) => !NOT_FROM_FUNCTION(name))
    .map(([Name, Value]) => ({ Name, Value }));
  checkAttributeWrites(call.settings, writes, 'create');
  const attributes: Record<string, string> = Object.fromEntries(writes.filter((w) => w.Value !== '').map((w) => [w.Name, w.Value]));
  if (attribute) attributes[attribute.name] = attribute.value;

  const secrets = call.password === undefined ? { passwordHash: null, srp: null } : await derivePasswordSecrets(deps, call.pool, username, call.password);
  const now = deps.clock.nowMs();
  const base = newUserRecord(call.settings, { poolId: call.pool.id, sub, username, status: 'UNCONFIRMED', passwordHash: '', srp: null, attributes, nowMs: now });
  const user: UserRecord = { ...base, ...secrets, status: answer.finalUserStatus ?? 'RESET_REQUIRED' };
  try {
    await deps.store.transaction(async (tx) => {
      await assertUsernameAvailable(tx, call.settings, user, () => invalidParameter('User account already exists'));
      await claimAliases(tx, call.settings, user, answer.forceAliasCreation, 'create', now);
      await uniquely(call.settings, 'create', () => tx.insertUser(user));
    });
  } catch (err) {
    // Neither InitiateAuth nor ForgotPassword declares the "exists" errors; AWS's answer to a
    // migration that meets a taken name or alias is not documented, so the text is kept and
    // the error is the one both operations have.
    if (err instanceof ServiceError && (err.name === 'UsernameExistsException' || err.name === 'AliasExistsException')) throw invalidParameter(err.message);
    throw err;
  }
  return user;
}
