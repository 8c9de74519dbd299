import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { groupType } from '../../domain/groups/group.js';
import { loadGroup } from './load-group.js';

export const getGroup: Operation<'GetGroup', 'store'> = (deps) => async (input) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  return { Group: groupType(await loadGroup(deps.store, pool.id, input.GroupName)) };
};
