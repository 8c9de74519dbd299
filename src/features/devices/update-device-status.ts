import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { confirmedDevice } from './device-owner.js';
import { rememberDevice } from './remember-device.js';

/** The signed-in user remembers a device or stops remembering it (remembered | not_remembered). */
export const updateDeviceStatus: Operation<'UpdateDeviceStatus', AccessTokenDeps> = (deps) => async (input) => {
  const { pool, user } = await authenticateAccessToken(deps, input.AccessToken);
  const device = await confirmedDevice(deps, pool.id, user.sub, input.DeviceKey);
  await rememberDevice(deps, device, input.DeviceRememberedStatus);
  return {};
};
