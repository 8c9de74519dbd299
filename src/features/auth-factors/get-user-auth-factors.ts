import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { authFactorsView } from './auth-factors-view.js';

/** The signed-in user's sign-in options, by access token (API_GetUserAuthFactors). */
export const getUserAuthFactors: Operation<'GetUserAuthFactors', AccessTokenDeps> = (deps) => async (input) => {
  const { pool, user } = await authenticateAccessToken(deps, input.AccessToken);
  const passkeys = (await deps.store.listWebAuthnCredentials(pool.id, user.sub)).length;
  return authFactorsView(pool, user, await deps.store.getUserMfa(user.poolId, user.sub), passkeys);
};
