import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { isRegionName } from '../../domain/replicas/replica.js';
import { checkTags } from '../../domain/pools/pool-tags.js';
import { invalidParameter } from '../../kernel/errors.js';
import { replicaView } from './replica-view.js';

/**
 * Records a replica of the pool in another region. AWS creates the replica asynchronously
 * (status CREATING, then ACTIVE; API_UserPoolReplicaType). userpoold copies nothing anywhere:
 * the record is the whole replica, so it is ACTIVE at once and says so (docs/compatibility.md).
 * Refusals for the pool's own region, a region given twice and a malformed region name use
 * InvalidParameterException; their texts are not documented (unverified wording).
 */
export const createUserPoolReplica: Operation<'CreateUserPoolReplica', 'config' | 'store' | 'clock'> = (deps) => async (input) => {
  const region = input.RegionName;
  if (!isRegionName(region)) throw invalidParameter(`Invalid region name: ${region}.`);
  if (input.UserPoolTags) checkTags(input.UserPoolTags);
  return deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    if (region === deps.config.region) throw invalidParameter(`User pool ${pool.id} is already in ${region}.`);
    if (await tx.getReplica(pool.id, region)) throw invalidParameter(`User pool ${pool.id} already has a replica in ${region}.`);
    const now = deps.clock.nowMs();
    const record = { poolId: pool.id, regionName: region, status: 'ACTIVE' as const, tags: input.UserPoolTags ?? {}, createdAt: now, updatedAt: now };
    await tx.putReplica(record);
    return { UserPoolReplica: replicaView(deps.config, record) };
  });
};
