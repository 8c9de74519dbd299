import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { invalidParameter } from '../../kernel/errors.js';

export const deleteUserPool: Operation<'DeleteUserPool', 'store'> = (deps) => async (input) => {
  await deps.store.transaction(async (tx) => {
    const { settings } = await loadPool(tx, input.UserPoolId);
    if (settings.DeletionProtection === 'ACTIVE') {
      throw invalidParameter('The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.');
    }
    await tx.deletePool(input.UserPoolId);
  });
  return {};
};
