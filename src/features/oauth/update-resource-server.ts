import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { RESOURCE_SERVER_MESSAGES, resourceServerType, scopesProblem } from '../../domain/oauth/resource-server.js';
import { invalidParameter, resourceNotFound } from '../../kernel/errors.js';

/**
 * Replaces Name and Scopes (omitted Scopes: none), as AWS's update operations replace every
 * setting. A scope dropped here leaves clients' AllowedOAuthScopes as they are and is simply no
 * longer granted (cognito-facts-areas.md §1.5: a deleted scope is dropped silently).
 */
export const updateResourceServer: Operation<'UpdateResourceServer', 'clock' | 'store'> = (deps) => async (input) => {
  const scopes = input.Scopes ?? [];
  const problem = scopesProblem(scopes);
  if (problem !== undefined) throw invalidParameter(problem);
  return deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const record = await tx.getResourceServer(pool.id, input.Identifier);
    if (!record) throw resourceNotFound(RESOURCE_SERVER_MESSAGES.notFound(input.Identifier));
    const updated = { ...record, name: input.Name, scopes, updatedAt: deps.clock.nowMs() };
    await tx.updateResourceServer(updated);
    return { ResourceServer: resourceServerType(updated) };
  });
};
