import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { attributeList } from '../../domain/users/user-view.js';

export const getUser: Operation<'GetUser', AccessTokenDeps> = (deps) => async (input) => {
  const { user } = await authenticateAccessToken(deps, input.AccessToken);
  return { Username: user.username, UserAttributes: attributeList(user) };
};
