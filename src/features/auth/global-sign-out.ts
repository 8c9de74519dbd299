import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';

/** Signs the user out everywhere: every refresh token, and the access tokens from them, stop working. */
export const globalSignOut: Operation<'GlobalSignOut', AccessTokenDeps | 'store' | 'clock'> = (deps) => async (input) => {
  const { user } = await authenticateAccessToken(deps, input.AccessToken);
  await deps.store.revokeUserRefreshTokens(user.sub, deps.clock.nowMs());
  return {};
};
