import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { listDevicesOf } from './list-of-devices.js';

/** The signed-in user's devices, Limit at a time (PaginationToken to go on). */
export const listDevices: Operation<'ListDevices', AccessTokenDeps | 'config'> = (deps) => async (input) => {
  const { pool, user } = await authenticateAccessToken(deps, input.AccessToken);
  return listDevicesOf(deps, pool, user, input.Limit, input.PaginationToken);
};
