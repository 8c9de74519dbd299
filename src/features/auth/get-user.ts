import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { attributeList } from '../../domain/users/user-view.js';
import { mfaView } from '../../domain/mfa/mfa-settings.js';

export const getUser: Operation<'GetUser', AccessTokenDeps> = (deps) => async (input) => {
  const { user } = await authenticateAccessToken(deps, input.AccessToken);
  // The user's factors: one primary-key read, empty for a user who never set MFA up.
  const mfa = await deps.store.getUserMfa(user.poolId, user.sub);
  return { Username: user.username, UserAttributes: attributeList(user), ...mfaView(mfa) };
};
