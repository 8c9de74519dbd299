import type { Operation } from '../operation.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { secretDescriptor } from '../../domain/clients/client-secrets.js';

/**
 * The client's active secrets (at most two, so one page and no NextToken), oldest first, by id
 * and creation date: AWS never shows the values here (API_ListUserPoolClientSecrets).
 */
export const listUserPoolClientSecrets: Operation<'ListUserPoolClientSecrets', 'store'> = (deps) => async (input) => {
  const client = await deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    return loadClient(tx, input.ClientId, input.UserPoolId);
  });
  return { ClientSecrets: client.clientSecrets.map((s) => secretDescriptor(client.id, s)) };
};
