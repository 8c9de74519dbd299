import type { LogDeliveryRecord } from '../domain/security/log-delivery.js';

/** Each pool's log delivery configuration (SetLogDeliveryConfiguration): one row per pool. */
export interface LogDeliveryPort {
  getLogDelivery(poolId: string): Promise<LogDeliveryRecord | undefined>;
  /** Replaces the pool's configuration; an empty list of configurations removes it. */
  putLogDelivery(record: LogDeliveryRecord): Promise<void>;
}
