import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { GROUP_MESSAGES, groupType, precedenceTooLarge, type GroupRecord } from '../../domain/groups/group.js';
import { ServiceError, invalidParameter } from '../../kernel/errors.js';
import { UniqueViolation } from '../../ports/unique-violation.js';

/**
 * Name (1-128, pattern), Description (<=2048), RoleArn (ARN pattern, 20-2048) and Precedence
 * (>= 0) are checked by the model validation before this runs; a duplicate name is
 * GroupExistsException `A group with the name <name> already exists.`.
 */
export const createGroup: Operation<'CreateGroup', 'clock' | 'store'> = (deps) => async (input) => {
  const tooLarge = precedenceTooLarge(input.Precedence);
  if (tooLarge !== undefined) throw invalidParameter(tooLarge);
  return deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const now = deps.clock.nowMs();
    const group: GroupRecord = {
      poolId: pool.id,
      name: input.GroupName,
      description: input.Description ?? null,
      roleArn: input.RoleArn ?? null,
      precedence: input.Precedence ?? null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await tx.insertGroup(group);
    } catch (err) {
      if (err instanceof UniqueViolation) throw new ServiceError('GroupExistsException', GROUP_MESSAGES.exists(input.GroupName));
      throw err;
    }
    return { Group: groupType(group) };
  });
};
