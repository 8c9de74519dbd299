import type { ReplicaRecord, ReplicaStatus } from '../../domain/replicas/replica.js';
import type { ReplicasPort } from '../../ports/replicas.js';
import type { PoolReplicasTable } from '../schema.js';
import { KyselyContext } from './context.js';

const toRecord = (row: PoolReplicasTable): ReplicaRecord => ({
  poolId: row.pool_id,
  regionName: row.region_name,
  status: row.status as ReplicaStatus,
  tags: JSON.parse(row.tags) as Record<string, string>,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export class KyselyReplicas extends KyselyContext implements ReplicasPort {
  async getReplica(poolId: string, regionName: string): Promise<ReplicaRecord | undefined> {
    const row = await this.db
      .selectFrom('pool_replicas')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('region_name', '=', regionName)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async listReplicas(poolId: string): Promise<ReplicaRecord[]> {
    const rows = await this.db.selectFrom('pool_replicas').selectAll().where('pool_id', '=', poolId).orderBy('region_name').execute();
    return rows.map(toRecord);
  }

  async putReplica(record: ReplicaRecord): Promise<void> {
    const row = {
      pool_id: record.poolId,
      region_name: record.regionName,
      status: record.status,
      tags: JSON.stringify(record.tags),
      created_at: record.createdAt,
      updated_at: record.updatedAt,
    };
    await this.db
      .insertInto('pool_replicas')
      .values(row)
      .onConflict((oc) => oc.columns(['pool_id', 'region_name']).doUpdateSet({ status: row.status, tags: row.tags, updated_at: row.updated_at }))
      .execute();
  }

  async deleteReplica(poolId: string, regionName: string): Promise<void> {
    await this.db.deleteFrom('pool_replicas').where('pool_id', '=', poolId).where('region_name', '=', regionName).execute();
  }
}
