import type { GroupRecord } from '../../domain/groups/group.js';
import { GROUP_MESSAGES } from '../../domain/groups/group.js';
import { resourceNotFound } from '../../kernel/errors.js';
import type { StoreTx } from '../../ports/store.js';

/** A group of the pool, or AWS's ResourceNotFoundException `Group not found.`. */
export async function loadGroup(tx: StoreTx, poolId: string, name: string): Promise<GroupRecord> {
  const group = await tx.getGroup(poolId, name);
  if (!group) throw resourceNotFound(GROUP_MESSAGES.notFound);
  return group;
}
