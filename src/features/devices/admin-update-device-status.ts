import type { Operation } from '../operation.js';
import { adminDeviceOwner, confirmedDevice } from './device-owner.js';
import { rememberDevice } from './remember-device.js';

/** The administrator remembers a user's device or stops remembering it. */
export const adminUpdateDeviceStatus: Operation<'AdminUpdateDeviceStatus', 'store' | 'clock'> = (deps) => async (input) => {
  const { pool, user } = await adminDeviceOwner(deps, input.UserPoolId, input.Username, 'UserNotFoundException');
  const device = await confirmedDevice(deps, pool.id, user.sub, input.DeviceKey);
  await rememberDevice(deps, device, input.DeviceRememberedStatus);
  return {};
};
