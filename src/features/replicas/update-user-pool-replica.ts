import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { loadReplica, replicaView } from './replica-view.js';

/** Sets a replica ACTIVE or INACTIVE (UpdateReplicaStatusType); the record is all that changes. */
export const updateUserPoolReplica: Operation<'UpdateUserPoolReplica', 'config' | 'store' | 'clock'> = (deps) => async (input) =>
  deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const current = await loadReplica(tx, pool.id, input.RegionName);
    const record = { ...current, status: input.Status, updatedAt: deps.clock.nowMs() };
    await tx.putReplica(record);
    return { UserPoolReplica: replicaView(deps.config, record) };
  });
