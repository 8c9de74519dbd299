import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { forgetDeviceOf } from './forget.js';

/**
 * The signed-in user forgets a device: it can no longer stand in for MFA, and refresh tokens
 * of sign-ins on it no longer refresh (flows/refresh-sign-in.ts).
 */
export const forgetDevice: Operation<'ForgetDevice', AccessTokenDeps> = (deps) => async (input) => {
  const { pool, user } = await authenticateAccessToken(deps, input.AccessToken ?? '');
  await forgetDeviceOf(deps, pool.id, user.sub, input.DeviceKey);
  return {};
};
