import type { ReplicaRecord } from '../../domain/replicas/replica.js';
import { poolArn } from '../../domain/pools/user-pool.js';
import type { Config } from '../../kernel/config.js';
import type { UserPoolReplicaType } from '../../model/generated/types.js';
import { resourceNotFound } from '../../kernel/errors.js';
import type { StoreTx } from '../../ports/store.js';

/** UserPoolReplicaType of a replica record: a secondary, with the pool's ARN in its region. */
export function replicaView(config: Pick<Config, 'accountId'>, record: ReplicaRecord): UserPoolReplicaType {
  return {
    RegionName: record.regionName,
    Status: record.status,
    Role: 'SECONDARY',
    UserPoolArn: poolArn(record.regionName, config.accountId, record.poolId),
  };
}

/** The primary: this server's region, always active. */
export function primaryView(config: Pick<Config, 'accountId' | 'region'>, poolId: string): UserPoolReplicaType {
  return { RegionName: config.region, Status: 'ACTIVE', Role: 'PRIMARY', UserPoolArn: poolArn(config.region, config.accountId, poolId) };
}

/** The pool's replica in a region; ResourceNotFoundException (unverified wording) otherwise. */
export async function loadReplica(tx: StoreTx, poolId: string, regionName: string): Promise<ReplicaRecord> {
  const record = await tx.getReplica(poolId, regionName);
  if (!record) throw resourceNotFound(`User pool ${poolId} has no replica in ${regionName}.`);
  return record;
}
