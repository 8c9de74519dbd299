import type { Operation } from '../operation.js';
import { deviceType } from '../../domain/devices/device.js';
import { adminDeviceOwner, confirmedDevice } from './device-owner.js';

/** One of a user's devices, for the pool's administrator. */
export const adminGetDevice: Operation<'AdminGetDevice', 'store' | 'config'> = (deps) => async (input) => {
  const { pool, user } = await adminDeviceOwner(deps, input.UserPoolId, input.Username, 'ResourceNotFoundException');
  const device = await confirmedDevice(deps, pool.id, user.sub, input.DeviceKey);
  return { Device: deviceType(device, { region: deps.config.region, accountId: deps.config.accountId, username: user.username }) };
};
