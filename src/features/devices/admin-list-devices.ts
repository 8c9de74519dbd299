import type { Operation } from '../operation.js';
import { adminDeviceOwner } from './device-owner.js';
import { listDevicesOf } from './list-of-devices.js';

/** A user's devices, Limit at a time, for the pool's administrator. */
export const adminListDevices: Operation<'AdminListDevices', 'store' | 'config'> = (deps) => async (input) => {
  const { pool, user } = await adminDeviceOwner(deps, input.UserPoolId, input.Username, 'ResourceNotFoundException');
  return listDevicesOf(deps, pool, user, input.Limit, input.PaginationToken);
};
