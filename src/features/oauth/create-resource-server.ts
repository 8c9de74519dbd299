import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { MAX_RESOURCE_SERVERS, RESOURCE_SERVER_MESSAGES, resourceServerType, scopesProblem, type ResourceServerRecord } from '../../domain/oauth/resource-server.js';
import { invalidParameter, limitExceeded } from '../../kernel/errors.js';
import { UniqueViolation } from '../../ports/unique-violation.js';

/** Identifier, Name and scope names are checked by the model validation (§4.5); at most 25 servers a pool. */
export const createResourceServer: Operation<'CreateResourceServer', 'clock' | 'store'> = (deps) => async (input) => {
  const scopes = input.Scopes ?? [];
  const problem = scopesProblem(scopes);
  if (problem !== undefined) throw invalidParameter(problem);
  return deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const existing = await tx.listResourceServers(pool.id, { limit: MAX_RESOURCE_SERVERS + 1 });
    if (existing.some((s) => s.identifier === input.Identifier)) throw invalidParameter(RESOURCE_SERVER_MESSAGES.exists(input.Identifier, pool.id));
    if (existing.length >= MAX_RESOURCE_SERVERS) throw limitExceeded(RESOURCE_SERVER_MESSAGES.limit);
    const now = deps.clock.nowMs();
    const record: ResourceServerRecord = { poolId: pool.id, identifier: input.Identifier, name: input.Name, scopes, createdAt: now, updatedAt: now };
    try {
      await tx.insertResourceServer(record);
    } catch (err) {
      if (err instanceof UniqueViolation) throw invalidParameter(RESOURCE_SERVER_MESSAGES.exists(input.Identifier, pool.id));
      throw err;
    }
    return { ResourceServer: resourceServerType(record) };
  });
};
