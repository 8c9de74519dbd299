import type { Deps } from '../deps.js';
import { MESSAGES, notAuthorized, passwordResetRequired, userNotFound } from '../../kernel/errors.js';
import { ACCESS_SCOPE, verifyPoolToken } from './tokens.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { UserRecord } from '../../domain/users/user.js';

export const ACCESS_TOKEN_MESSAGES = {
  invalid: 'Invalid Access Token',
  expired: 'Access Token has expired',
  revoked: 'Access Token has been revoked',
  scope: 'Access Token does not have required scopes',
} as const;

/** What checking an access token reads: the pool's key, the token's origin and its client (store), the time (clock). */
export type AccessTokenDeps = 'store' | 'clock';

/** What an access token of this server says, once verified. */
export interface AccessTokenClaims {
  sub: string;
  client_id: string;
  origin_jti: string;
  username: string;
  scope: string;
  auth_time: number;
  iat: number;
  exp: number;
  jti: string;
}

/**
 * For operations authorized by an `AccessToken` parameter (GetUser, ChangePassword,
 * GlobalSignOut, UpdateUserAttributes, VerifyUserAttribute, ...): verifies the token (signature
 * with its pool's key, expiry by deps.clock, token_use `access`, the
 * `aws.cognito.signin.user.admin` scope, not revoked by GlobalSignOut, AdminUserGlobalSignOut
 * or RevokeToken) and returns its pool, its user as stored now, and its claims.
 *
 * Throws AWS's answers: NotAuthorizedException `Invalid Access Token` / `Access Token has
 * expired` / `Access Token has been revoked` / `User is disabled.`; UserNotFoundException
 * `User does not exist.`; PasswordResetRequiredException for a user put in RESET_REQUIRED.
 */
export async function authenticateAccessToken(
  deps: Pick<Deps, AccessTokenDeps>,
  token: string,
): Promise<{ pool: PoolRecord; user: UserRecord; claims: AccessTokenClaims }> {
  const verified = await verifyPoolToken(deps, token);
  if (verified === 'invalid') throw notAuthorized(ACCESS_TOKEN_MESSAGES.invalid);
  if (verified === 'expired') throw notAuthorized(ACCESS_TOKEN_MESSAGES.expired);
  const claims = verified.claims;
  if (claims.token_use !== 'access' || typeof claims.sub !== 'string' || typeof claims.origin_jti !== 'string') {
    throw notAuthorized(ACCESS_TOKEN_MESSAGES.invalid);
  }
  if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(ACCESS_SCOPE)) {
    throw notAuthorized(ACCESS_TOKEN_MESSAGES.scope);
  }
  // Every sign-in stores the refresh token its access tokens descend from; revoking it (or
  // deleting the user, which deletes it) revokes them.
  const origin = await deps.store.getRefreshTokenByOrigin(claims.origin_jti);
  if (!origin || origin.revokedAt !== null || origin.userSub !== claims.sub) throw notAuthorized(ACCESS_TOKEN_MESSAGES.revoked);
  const pool = await deps.store.getPool(verified.poolId);
  if (!pool) throw notAuthorized(ACCESS_TOKEN_MESSAGES.invalid);
  // The app client must still exist: DeleteUserPoolClient ends its tokens at once, not when they
  // expire (security review finding 11a; "After you delete an app client, users can no longer
  // sign in to the associated application", API_DeleteUserPoolClient). AWS's answer to such a
  // token is not documented; it is no longer a token of this pool: `Invalid Access Token`.
  // One primary-key read, made together with the user's.
  const [client, user] = await Promise.all([deps.store.getClient(origin.clientId), deps.store.getUserBySub(pool.id, claims.sub)]);
  if (!client || client.poolId !== pool.id || client.id !== claims.client_id) throw notAuthorized(ACCESS_TOKEN_MESSAGES.invalid);
  if (!user) throw userNotFound(MESSAGES.userDoesNotExist);
  if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
  if (user.status === 'RESET_REQUIRED') throw passwordResetRequired(MESSAGES.passwordResetRequired);
  return { pool, user, claims: claims as unknown as AccessTokenClaims };
}
