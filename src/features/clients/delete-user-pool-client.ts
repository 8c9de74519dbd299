import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';

export const deleteUserPoolClient: Operation<'DeleteUserPoolClient', 'store'> = (deps) => async (input) => {
  await deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    await loadClient(tx, input.ClientId, input.UserPoolId);
    await tx.deleteClient(input.ClientId);
  });
  return {};
};
