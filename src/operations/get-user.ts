import type { Operation } from './deps.js';
import { authenticateAccessToken } from './access-token.js';
import { attributeList } from '../domain/user-view.js';

export const getUser: Operation<'GetUser'> = (deps) => async (input) => {
  const { user } = await authenticateAccessToken(deps, input.AccessToken);
  return { Username: user.username, UserAttributes: attributeList(user) };
};
