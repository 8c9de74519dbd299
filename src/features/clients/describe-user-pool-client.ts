import type { Operation } from '../operation.js';
import { openClientSecret } from '../../services/directory/client-secret.js';
import { loadClient, loadPool } from '../../services/directory/lookups.js';
import { describeClient } from '../../domain/clients/app-client.js';

export const describeUserPoolClient: Operation<'DescribeUserPoolClient', 'secrets' | 'store'> = (deps) => async (input) => {
  const client = await deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    return loadClient(tx, input.ClientId, input.UserPoolId);
  });
  return { UserPoolClient: describeClient(client, openClientSecret(client, deps.secrets)) };
};
