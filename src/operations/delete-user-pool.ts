import type { Operation } from './deps.js';
import { loadPool } from './lookups.js';
import { invalidParameter } from '../errors.js';

export const deleteUserPool: Operation<'DeleteUserPool'> = (deps) => async (input) => {
  await deps.store.transaction(async (tx) => {
    const { settings } = await loadPool(tx, input.UserPoolId);
    if (settings.DeletionProtection === 'ACTIVE') {
      throw invalidParameter('The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.');
    }
    await tx.deletePool(input.UserPoolId);
  });
  return {};
};
