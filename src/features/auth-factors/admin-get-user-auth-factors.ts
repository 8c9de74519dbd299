import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { authFactorsView } from './auth-factors-view.js';

/** A user's sign-in options (API_AdminGetUserAuthFactors): first factors and MFA factors. */
export const adminGetUserAuthFactors: Operation<'AdminGetUserAuthFactors', 'store'> = (deps) => async (input) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const user = await loadUser(deps.store, pool, input.Username);
  const passkeys = (await deps.store.listWebAuthnCredentials(pool.id, user.sub)).length;
  return authFactorsView(pool, user, await deps.store.getUserMfa(pool.id, user.sub), passkeys);
};
