import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { loadReplica, replicaView } from './replica-view.js';

/**
 * Removes a replica's record. AWS answers with the replica DELETING while it goes; here it is
 * gone when the call returns, and the answer says DELETING as AWS's does.
 */
export const deleteUserPoolReplica: Operation<'DeleteUserPoolReplica', 'config' | 'store'> = (deps) => async (input) =>
  deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const record = await loadReplica(tx, pool.id, input.RegionName);
    await tx.deleteReplica(pool.id, record.regionName);
    return { UserPoolReplica: { ...replicaView(deps.config, record), Status: 'DELETING' } };
  });
