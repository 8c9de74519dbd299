import { queueMessage } from '../delivery/outbox.js';
import type { Deps } from '../deps.js';
import { renderMessage, type RenderedText } from '../delivery/render.js';
import { aliasExists, usernameExists, type ServiceError } from '../../kernel/errors.js';
import { looksLikeSub } from '../../domain/users/username.js';
import type { Invitation } from '../../domain/users/new-user.js';
import type { MessagePayload } from '../delivery/message-view.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { UniqueViolation } from '../../ports/unique-violation.js';
import type { AliasKind, UserRecord } from '../../domain/users/user.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { StoreTx } from '../../ports/store.js';

/**
 * Writes shared by the user operations: alias ownership, the store's unique-index conflicts
 * in AWS's words, and the invitation outbox rows.
 */

/** Whether creating a user (its username is taken) or changing one (only aliases can clash). */
export type WriteKind = 'create' | 'update';

const isUsernameAttribute = (settings: PoolSettings, kind: AliasKind) =>
  ((settings.UsernameAttributes as readonly string[] | undefined) ?? []).includes(kind);

/**
 * The error for an alias held by someone else. Where the email or phone is the sign-in name,
 * a new user clashes on its username; otherwise the alias itself clashes.
 */
export function aliasConflict(settings: PoolSettings, kind: AliasKind, write: WriteKind) {
  if (isUsernameAttribute(settings, kind)) {
    const message = `An account with the given ${kind} already exists.`;
    return write === 'create' ? usernameExists(message) : aliasExists(message);
  }
  return aliasExists(`An account with the ${kind} already exists.`);
}

/**
 * Makes sure the user's active aliases are free. With `force` (AdminCreateUser's
 * ForceAliasCreation) an email or phone alias moves here: its previous holder loses it and
 * the attribute stops counting as verified for them.
 */
export async function claimAliases(
  tx: StoreTx,
  settings: PoolSettings,
  user: UserRecord,
  force: boolean,
  write: WriteKind,
  now: number,
): Promise<void> {
  for (const kind of Object.keys(user.aliases) as AliasKind[]) {
    const key = user.aliases[kind];
    if (key === null) continue;
    // A preferred_username equal to another user's username would be a second way to name
    // that user; lookups prefer the username (findUser), but the alias is refused all the same.
    // (Email and phone aliases cannot meet a username: usernames of their form are refused.)
    if (kind === 'preferred_username') {
      const named = await tx.getUserByUsernameKey(user.poolId, key);
      if (named && named.sub !== user.sub) throw aliasConflict(settings, kind, write);
    }
    const holder = await tx.getUserByAlias(user.poolId, kind, key);
    if (!holder || holder.sub === user.sub) continue;
    const movable = force && kind !== 'preferred_username' && !isUsernameAttribute(settings, kind);
    if (!movable) throw aliasConflict(settings, kind, write);
    await tx.updateUser({
      ...holder,
      attributes: { ...holder.attributes, [`${kind}_verified`]: 'false' },
      aliases: { ...holder.aliases, [kind]: null },
      updatedAt: now,
    });
  }
}

/**
 * A new user's username must not name anyone else in any way a `Username` parameter is
 * resolved (findUser): not another username, not another user's `sub` (whoever chooses a
 * victim's sub as username would otherwise answer AdminGetUser and sign-in lookups for it), and
 * not another user's active preferred_username. Email and phone forms are refused earlier, by
 * newUsername, as AWS does in pools with those aliases. `exists` is the operation's
 * UsernameExistsException.
 */
export async function assertUsernameAvailable(tx: StoreTx, settings: PoolSettings, user: UserRecord, exists: () => ServiceError): Promise<void> {
  const named = await tx.getUserByUsernameKey(user.poolId, user.usernameKey);
  if (named && named.sub !== user.sub) throw exists();
  if (looksLikeSub(user.username)) {
    const bySub = await tx.getUserBySub(user.poolId, user.username.toLowerCase());
    if (bySub && bySub.sub !== user.sub) throw exists();
  }
  if ((settings.AliasAttributes as readonly string[] | undefined)?.includes('preferred_username')) {
    const holder = await tx.getUserByAlias(user.poolId, 'preferred_username', user.usernameKey);
    if (holder && holder.sub !== user.sub) throw exists();
  }
}

/** Runs a user write, turning a unique-index conflict (a concurrent writer) into AWS's error. */
export async function uniquely<T>(settings: PoolSettings, write: WriteKind, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof UniqueViolation)) throw err;
    if (err.constraint === 'username') throw usernameExists('User account already exists');
    if (err.constraint === 'other') throw err;
    throw aliasConflict(settings, err.constraint, write);
  }
}

/** An invitation with its text rendered (pool template, CustomMessage_AdminCreateUser). */
export interface RenderedInvitation extends Invitation {
  text: RenderedText;
}

/**
 * Renders the invitations before the write transaction: the CustomMessage trigger may run,
 * and a failing function must fail the request before anything is committed.
 */
export async function renderInvitations(
  deps: Deps,
  pool: PoolRecord,
  settings: PoolSettings,
  user: UserRecord,
  invitations: readonly Invitation[],
  clientMetadata: Record<string, string> | undefined,
): Promise<RenderedInvitation[]> {
  const rendered: RenderedInvitation[] = [];
  for (const invitation of invitations) {
    const text = await renderMessage(deps, { pool, settings, user, trigger: 'AdminCreateUser', channel: invitation.channel, clientMetadata });
    rendered.push({ ...invitation, text });
  }
  return rendered;
}

/** Queues the AdminCreateUser invitations (temporary password sealed) in the caller's transaction. */
export async function enqueueInvitations(
  deps: Deps,
  tx: StoreTx,
  settings: PoolSettings,
  user: UserRecord,
  invitations: readonly RenderedInvitation[],
  temporaryPassword: string,
  clientMetadata: Record<string, string> | undefined,
  expiresAt: number,
): Promise<void> {
  for (const { channel, destination, text } of invitations) {
    const payload: MessagePayload = { temporaryPassword, ...(clientMetadata !== undefined && { clientMetadata }), ...text, expiresAt };
    await queueMessage(tx, deps, { user, settings, trigger: 'AdminCreateUser', channel, destination, payload });
  }
}
