import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { RESOURCE_SERVER_MESSAGES } from '../../domain/oauth/resource-server.js';
import { resourceNotFound } from '../../kernel/errors.js';

export const deleteResourceServer: Operation<'DeleteResourceServer', 'store'> = (deps) => async (input) => {
  return deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    if (!(await tx.getResourceServer(pool.id, input.Identifier))) throw resourceNotFound(RESOURCE_SERVER_MESSAGES.notFound(input.Identifier));
    await tx.deleteResourceServer(pool.id, input.Identifier);
    return {};
  });
};
