import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { deviceType } from '../../domain/devices/device.js';
import { confirmedDevice } from './device-owner.js';

/** One of the signed-in user's devices, with AWS's device attributes. */
export const getDevice: Operation<'GetDevice', AccessTokenDeps | 'config'> = (deps) => async (input) => {
  const { pool, user } = await authenticateAccessToken(deps, input.AccessToken ?? '');
  const device = await confirmedDevice(deps, pool.id, user.sub, input.DeviceKey);
  return { Device: deviceType(device, { region: deps.config.region, accountId: deps.config.accountId, username: user.username }) };
};
