import type { ReplicaRecord } from '../domain/replicas/replica.js';

/** A pool's replicas in other regions: one row per pool and region. */
export interface ReplicasPort {
  getReplica(poolId: string, regionName: string): Promise<ReplicaRecord | undefined>;
  /** The pool's replicas by region name. */
  listReplicas(poolId: string): Promise<ReplicaRecord[]>;
  /** Inserts or replaces the pool's replica in that region. */
  putReplica(record: ReplicaRecord): Promise<void>;
  deleteReplica(poolId: string, regionName: string): Promise<void>;
}
