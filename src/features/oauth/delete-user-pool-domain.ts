import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { DOMAIN_MESSAGES } from '../../domain/oauth/domain.js';
import { resourceNotFound } from '../../kernel/errors.js';

/** Deletes the pool's domain: its OAuth endpoints and pages stop answering at once. */
export const deleteUserPoolDomain: Operation<'DeleteUserPoolDomain', 'store'> = (deps) => async (input) => {
  return deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const record = await tx.getDomain(input.Domain);
    if (!record || record.poolId !== pool.id) throw resourceNotFound(DOMAIN_MESSAGES.noSuchDomain);
    await tx.deleteDomain(record.domain);
    return {};
  });
};
