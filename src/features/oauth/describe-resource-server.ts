import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { RESOURCE_SERVER_MESSAGES, resourceServerType } from '../../domain/oauth/resource-server.js';
import { resourceNotFound } from '../../kernel/errors.js';

export const describeResourceServer: Operation<'DescribeResourceServer', 'store'> = (deps) => async (input) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const record = await deps.store.getResourceServer(pool.id, input.Identifier);
  if (!record) throw resourceNotFound(RESOURCE_SERVER_MESSAGES.notFound(input.Identifier));
  return { ResourceServer: resourceServerType(record) };
};
