import type { DeviceRecord } from '../domain/devices/device.js';

/**
 * Users' devices (remembered or not), keyed by their DeviceKey, which is unique across pools.
 * Deleting a user or a pool deletes its devices.
 */
export interface DevicesPort {
  insertDevice(device: DeviceRecord): Promise<void>;
  /** The device, only if it is this user's. */
  getDevice(poolId: string, userSub: string, deviceKey: string): Promise<DeviceRecord | undefined>;
  /** Replaces the row of `device.deviceKey`; false when there is none. */
  updateDevice(device: DeviceRecord): Promise<boolean>;
  /** The user's confirmed devices by DeviceKey, after `after`, at most `limit`. */
  listDevices(poolId: string, userSub: string, page: { limit: number; after?: string | undefined }): Promise<DeviceRecord[]>;
  /** False when the user has no such device. */
  deleteDevice(poolId: string, userSub: string, deviceKey: string): Promise<boolean>;
}
