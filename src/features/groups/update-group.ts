import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { groupType, precedenceTooLarge, updatedGroup } from '../../domain/groups/group.js';
import { invalidParameter } from '../../kernel/errors.js';
import { loadGroup } from './load-group.js';

/**
 * Changes the members given and keeps the rest (domain/groups updatedGroup). Members' tokens show
 * the change from their next sign-in or refresh: claims are read when tokens are issued.
 */
export const updateGroup: Operation<'UpdateGroup', 'clock' | 'store'> = (deps) => async (input) => {
  const tooLarge = precedenceTooLarge(input.Precedence);
  if (tooLarge !== undefined) throw invalidParameter(tooLarge);
  return deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const group = updatedGroup(await loadGroup(tx, pool.id, input.GroupName), input, deps.clock.nowMs());
    await tx.updateGroup(group);
    return { Group: groupType(group) };
  });
};
