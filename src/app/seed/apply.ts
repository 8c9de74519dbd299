import { ServiceError } from '../../kernel/errors.js';
import { newClientSecret } from '../../domain/ids.js';
import { newUserRecord } from '../../domain/users/new-user.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import type { StoreTx } from '../../ports/store.js';
import type { Deps } from '../../services/deps.js';
import { claimAliases, uniquely } from '../../services/directory/user-writes.js';
import { findUser } from '../../services/directory/find-user.js';
import { derivePasswordSecrets, type PasswordSecrets } from '../../services/passwords/password-secrets.js';
import type { ClientPlan, CredentialPlan, PoolPlan, SeedPlan, UserPlan } from './plan.js';
import { describeProblem, SeedError, seedProblems, type SeedPath, type SeedSource } from './source.js';
import { stableJson } from './stable-json.js';

export type SeedDeps = Pick<Deps, 'store' | 'clock' | 'random' | 'hasher' | 'secrets'>;

/** What a start with a seed did, per kind: created, updated (settings changed), unchanged. */
export interface SeedSummary {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Applies a validated seed in one store transaction: all of it or none. Pools, app clients and
 * credentials are configuration: a missing one is created, a changed one updated (a credential,
 * which the store keeps immutable, is refused instead), an equal one left alone. Users are
 * created when missing and otherwise left as they are: their passwords and statuses are theirs
 * to change (a reset, a new password) and a restart must not undo that. Nothing is deleted.
 * The slow part, hashing the passwords of users to create, runs before the transaction.
 */
export async function applySeed(plan: SeedPlan, source: SeedSource, deps: SeedDeps): Promise<SeedSummary> {
  const secretsByUser = new Map<UserPlan, PasswordSecrets>();
  for (const pool of plan.pools) {
    for (const user of pool.users) {
      if (user.password === null) continue;
      if (await existingUser(deps.store, pool, user)) continue;
      secretsByUser.set(user, await derivePasswordSecrets(deps, pool, user.username, user.password));
    }
  }
  const summary: SeedSummary = { created: 0, updated: 0, unchanged: 0 };
  const count = (outcome: keyof SeedSummary) => summary[outcome]++;
  await deps.store.transaction(async (tx) => {
    summary.created = summary.updated = summary.unchanged = 0;
    const now = deps.clock.nowMs();
    for (const pool of plan.pools) {
      count(await at(source, pool.at, () => applyPool(tx, pool, now)));
      for (const client of pool.clients) count(await at(source, client.at, () => applyClient(tx, deps, pool, client, now)));
      for (const user of pool.users) count(await at(source, user.at, () => applyUser(tx, pool, user, secretsByUser.get(user), now)));
    }
    for (const credential of plan.credentials) count(await at(source, credential.at, () => applyCredential(tx, deps, credential, now)));
  });
  return summary;
}

/** Runs one entry's write; a refusal (an alias taken by a user made through the API, ...) names the entry. */
async function at<T>(source: SeedSource, path: SeedPath, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SeedError) throw err;
    if (!(err instanceof ServiceError)) throw err;
    throw seedProblems(source, [describeProblem(source, path, `${err.name}: ${err.message}`)]);
  }
}

function refuse(message: string): never {
  // Turned into a SeedError naming the entry by `at`.
  throw new ServiceError('InvalidParameterException', message);
}

async function applyPool(tx: StoreTx, plan: PoolPlan, now: number): Promise<keyof SeedSummary> {
  const existing = await tx.getPool(plan.id);
  const settings = plan.settings as unknown as PoolRecord['settings'];
  if (!existing) {
    await tx.insertPool({ id: plan.id, name: plan.name, settings, createdAt: now, updatedAt: now });
    return 'created';
  }
  if (existing.name === plan.name && stableJson(existing.settings) === stableJson(settings)) return 'unchanged';
  await tx.updatePool({ ...existing, name: plan.name, settings, updatedAt: now });
  return 'updated';
}

async function applyClient(tx: StoreTx, deps: SeedDeps, pool: PoolPlan, plan: ClientPlan, now: number): Promise<keyof SeedSummary> {
  const existing = await tx.getClient(plan.id);
  const settings = plan.settings as unknown as PoolRecord['settings'];
  if (!existing) {
    const secret = plan.secret.kind === 'fixed' ? plan.secret.value : plan.secret.kind === 'generate' ? newClientSecret(deps.random) : null;
    const clientSecrets = secret === null ? [] : [{ sealed: deps.secrets.seal(secret), createdAt: now }];
    await tx.insertClient({ id: plan.id, poolId: pool.id, name: plan.name, clientSecrets, settings, createdAt: now, updatedAt: now });
    return 'created';
  }
  if (existing.poolId !== pool.id) refuse(`client ${plan.id} already exists in pool ${existing.poolId}`);
  const current = existing.clientSecrets.map((c) => deps.secrets.open(c.sealed));
  // generateSecret keeps whatever secrets the client has, as long as it has one; a fixed secret
  // that is one of the client's active secrets keeps them (a rotation begun through the API
  // stays), else it replaces them all.
  const clientSecrets =
    plan.secret.kind === 'none'
      ? existing.clientSecrets.length === 0
        ? existing.clientSecrets
        : []
      : plan.secret.kind === 'fixed'
        ? current.includes(plan.secret.value)
          ? existing.clientSecrets
          : [{ sealed: deps.secrets.seal(plan.secret.value), createdAt: now }]
        : existing.clientSecrets.length > 0
          ? existing.clientSecrets
          : [{ sealed: deps.secrets.seal(newClientSecret(deps.random)), createdAt: now }];
  if (existing.name === plan.name && clientSecrets === existing.clientSecrets && stableJson(existing.settings) === stableJson(settings)) return 'unchanged';
  await tx.updateClient({ ...existing, name: plan.name, clientSecrets, settings, updatedAt: now });
  return 'updated';
}

async function existingUser(tx: Pick<StoreTx, 'getPool' | 'getUserByUsernameKey' | 'getUserByAlias' | 'getUserBySub'>, pool: PoolPlan, user: UserPlan): Promise<UserRecord | undefined> {
  if (!(await tx.getPool(pool.id))) return undefined;
  return (await findUser(tx, pool.id, pool.settings, user.given)) ?? (await tx.getUserBySub(pool.id, user.sub));
}

async function applyUser(tx: StoreTx, pool: PoolPlan, plan: UserPlan, secrets: PasswordSecrets | undefined, now: number): Promise<keyof SeedSummary> {
  if (await existingUser(tx, pool, plan)) return 'unchanged';
  if (plan.password !== null && secrets === undefined) {
    // The user disappeared between the first look and the transaction: nothing was hashed for it.
    refuse(`user ${plan.given} changed while the seed was applied; start again`);
  }
  const record = newUserRecord(pool.settings, {
    poolId: pool.id,
    sub: plan.sub,
    username: plan.username,
    status: 'UNCONFIRMED',
    passwordHash: '',
    srp: null,
    attributes: plan.attributes,
    nowMs: now,
  });
  const user: UserRecord = {
    ...record,
    status: plan.status,
    enabled: plan.enabled,
    passwordHash: secrets?.passwordHash ?? null,
    srp: secrets?.srp ?? null,
    passwordUpdatedAt: secrets === undefined ? null : now,
  };
  await claimAliases(tx, pool.settings, user, false, 'create', now);
  await uniquely(pool.settings, 'create', () => tx.insertUser(user));
  return 'created';
}

async function applyCredential(tx: StoreTx, deps: SeedDeps, plan: CredentialPlan, now: number): Promise<keyof SeedSummary> {
  const existing = await tx.getCredential(plan.accessKeyId);
  if (!existing) {
    await tx.insertCredential({
      accessKeyId: plan.accessKeyId,
      name: plan.name,
      arn: plan.arn,
      secretSealed: deps.secrets.seal(plan.secretAccessKey),
      policy: plan.policy,
      createdAt: now,
    });
    return 'created';
  }
  const same =
    existing.name === plan.name &&
    existing.arn === plan.arn &&
    deps.secrets.open(existing.secretSealed) === plan.secretAccessKey &&
    stableJson(JSON.parse(existing.policy)) === plan.policy;
  if (same) return 'unchanged';
  // The store has no way to change or remove a credential (a running server caches them).
  refuse(`access key ${plan.accessKeyId} is already stored with another name, ARN, secret or policy; stored credentials cannot be changed, so give this one a new accessKeyId`);
}
