import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';

/**
 * A signed-in user deletes their own profile (API_DeleteUser: "Self-deletion for a user
 * profile", authorized by an access token with `aws.cognito.signin.user.admin`). Deleting the
 * user deletes its refresh tokens, so every token of the user stops working at once.
 */
export const deleteUser: Operation<'DeleteUser', AccessTokenDeps> = (deps) => async (input) => {
  const { pool, user } = await authenticateAccessToken(deps, input.AccessToken);
  await deps.store.transaction(async (tx) => {
    await tx.deleteUser(pool.id, user.sub);
  });
  return {};
};
