import type { Selectable } from 'kysely';
import type { DeviceRecord, DeviceRememberedStatus } from '../../domain/devices/device.js';
import type { DevicesPort } from '../../ports/devices.js';
import type { DevicesTable } from '../schema.js';
import { KyselyContext } from './context.js';

export class KyselyDevices extends KyselyContext implements DevicesPort {
  async insertDevice(device: DeviceRecord): Promise<void> {
    await this.db.insertInto('devices').values(deviceRow(device)).execute();
  }

  async getDevice(poolId: string, userSub: string, deviceKey: string): Promise<DeviceRecord | undefined> {
    const row = await this.db
      .selectFrom('devices')
      .selectAll()
      .where('device_key', '=', deviceKey)
      .where('pool_id', '=', poolId)
      .where('user_sub', '=', userSub)
      .executeTakeFirst();
    return row && deviceFromRow(row);
  }

  async updateDevice(device: DeviceRecord): Promise<boolean> {
    const { device_key: key, pool_id: poolId, user_sub: userSub, ...changes } = deviceRow(device);
    const result = await this.db
      .updateTable('devices')
      .set(changes)
      .where('device_key', '=', key)
      .where('pool_id', '=', poolId)
      .where('user_sub', '=', userSub)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async listDevices(poolId: string, userSub: string, page: { limit: number; after?: string | undefined }): Promise<DeviceRecord[]> {
    let q = this.db
      .selectFrom('devices')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('user_sub', '=', userSub)
      // A device announced at sign-in but never confirmed is not the user's yet.
      .where('verifier_sealed', 'is not', null);
    if (page.after !== undefined) q = q.where('device_key', '>', page.after);
    const rows = await q.orderBy('device_key').limit(page.limit).execute();
    return rows.map(deviceFromRow);
  }

  async deleteDevice(poolId: string, userSub: string, deviceKey: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('devices')
      .where('device_key', '=', deviceKey)
      .where('pool_id', '=', poolId)
      .where('user_sub', '=', userSub)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function deviceRow(d: DeviceRecord): Selectable<DevicesTable> {
  return {
    device_key: d.deviceKey,
    pool_id: d.poolId,
    user_sub: d.userSub,
    device_group_key: d.deviceGroupKey,
    verifier_sealed: d.verifierSealed,
    name: d.name,
    status: d.status,
    last_ip: d.lastIp,
    created_at: d.createdAt,
    last_modified_at: d.lastModifiedAt,
    last_authenticated_at: d.lastAuthenticatedAt,
  };
}

function deviceFromRow(row: Selectable<DevicesTable>): DeviceRecord {
  return {
    poolId: row.pool_id,
    userSub: row.user_sub,
    deviceKey: row.device_key,
    deviceGroupKey: row.device_group_key,
    verifierSealed: row.verifier_sealed,
    name: row.name,
    status: row.status as DeviceRememberedStatus | null,
    lastIp: row.last_ip,
    // PostgreSQL returns bigint columns as strings.
    createdAt: Number(row.created_at),
    lastModifiedAt: Number(row.last_modified_at),
    lastAuthenticatedAt: Number(row.last_authenticated_at),
  };
}
