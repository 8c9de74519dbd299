import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { ServiceError } from '../../kernel/errors.js';

/**
 * Deletes one of the signed-in user's passkeys (MODEL DeleteWebAuthnCredential); another user's
 * or an unknown id is ResourceNotFoundException, the error the model declares (our text).
 */
export const deleteWebAuthnCredential: Operation<'DeleteWebAuthnCredential', AccessTokenDeps> = (deps) => async (input) => {
  const { pool, user } = await authenticateAccessToken(deps, input.AccessToken);
  if (!(await deps.store.deleteWebAuthnCredential(pool.id, user.sub, input.CredentialId))) {
    throw new ServiceError('ResourceNotFoundException', 'The user has no passkey with this credential id.');
  }
  return {};
};
