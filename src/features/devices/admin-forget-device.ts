import type { Operation } from '../operation.js';
import { adminDeviceOwner } from './device-owner.js';
import { forgetDeviceOf } from './forget.js';

/** The administrator forgets a user's device (forget.ts says what that ends). */
export const adminForgetDevice: Operation<'AdminForgetDevice', 'store'> = (deps) => async (input) => {
  const { pool, user } = await adminDeviceOwner(deps, input.UserPoolId, input.Username, 'UserNotFoundException');
  await forgetDeviceOf(deps, pool.id, user.sub, input.DeviceKey);
  return {};
};
