import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import { checkClientSecretHashAny, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { MESSAGES, notAuthorized, passwordResetRequired, userNotFound, type ServiceError } from '../../../kernel/errors.js';
import type { AuthenticationResultType, InitiateAuthResponse } from '../../../model/generated/types.js';
import type { UserRecord } from '../../../domain/users/user.js';
import { issueTokens, refreshTokenDigest, type TokenIssuerDeps } from '../../../services/tokens/tokens.js';

export const REFRESH_MESSAGES = {
  invalid: 'Invalid Refresh Token.',
  revoked: 'Refresh Token has been revoked',
  expired: 'Refresh Token has expired',
} as const;

/** The token's record and user (store, secrets for its digest), its expiry (clock), then new tokens. */
export type RefreshSignInDeps = 'store' | 'secrets' | 'clock' | TokenIssuerDeps;

/**
 * REFRESH_TOKEN_AUTH: new ID and access tokens for a live refresh token of this client, with
 * the original sign-in's auth_time and origin_jti; the refresh token itself is kept.
 */
export async function refreshSignIn(
  deps: Pick<Deps, RefreshSignInDeps>,
  sc: SignInClient,
  params: Record<string, string> | undefined,
  ctx: RequestContext,
): Promise<InitiateAuthResponse> {
  const token = requiredParameter(params, 'REFRESH_TOKEN');
  // The hash may be over the username or the sub: apps of pools that sign in by email often
  // know only the sub after sign-in.
  const proveClient = (user: UserRecord | undefined) => checkClientSecretHashAny(sc, [params?.USERNAME, user?.username, user?.sub], params?.SECRET_HASH);
  const tokens = await renewTokens(deps, sc, token, proveClient, ctx, undefined, undefined, params?.DEVICE_KEY);
  return { ChallengeParameters: {}, AuthenticationResult: tokens };
}

/**
 * New ID and access tokens for a live refresh token of this client (REFRESH_TOKEN_AUTH and
 * GetTokensFromRefreshToken), with the original sign-in's auth_time and origin_jti. A client
 * with a secret proves it (`proveClient`, after the token names its user) before anything
 * about the token is told.
 */
export async function renewTokens(
  deps: Pick<Deps, RefreshSignInDeps>,
  sc: SignInClient,
  token: string,
  proveClient: (user: UserRecord | undefined) => void,
  ctx: RequestContext,
  resetRequired: () => ServiceError = () => passwordResetRequired(MESSAGES.passwordResetRequired),
  /** GetTokensFromRefreshToken's ClientMetadata, for PreTokenGeneration (InitiateAuth passes none). */
  clientMetadata?: Record<string, string>,
  /** DEVICE_KEY / DeviceKey: a token of a sign-in on a remembered-devices device needs it. */
  deviceKey?: string,
): Promise<AuthenticationResultType> {
  const record = await deps.store.getRefreshToken(refreshTokenDigest(deps, token));
  if (!record || record.clientId !== sc.client.id || record.poolId !== sc.pool.id) throw notAuthorized(REFRESH_MESSAGES.invalid);
  const user = await deps.store.getUserBySub(sc.pool.id, record.userSub);
  proveClient(user);
  if (record.revokedAt !== null) throw notAuthorized(REFRESH_MESSAGES.revoked);
  if (deps.clock.nowMs() >= record.expiresAt) throw notAuthorized(REFRESH_MESSAGES.expired);
  if (!user) throw userNotFound(MESSAGES.userDoesNotExist);
  if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
  if (user.status === 'RESET_REQUIRED') throw resetRequired();
  // A token bound to a device refreshes only with that device's key, and only while the user
  // still has the device: without it AWS answers `Invalid Refresh Token.` (cognito-facts-areas.md 3.5).
  const boundDevice = record.deviceKey ?? undefined;
  if (boundDevice !== undefined) {
    if (deviceKey !== boundDevice || !(await deps.store.getDevice(sc.pool.id, user.sub, boundDevice))) throw notAuthorized(REFRESH_MESSAGES.invalid);
  }
  return issueTokens(deps, {
    pool: sc.pool,
    client: sc.client,
    user,
    baseUrl: ctx.baseUrl,
    refreshOf: { authTime: record.authTime, originJti: record.originJti },
    trigger: { source: 'TokenGeneration_RefreshTokens', clientMetadata },
    deviceKey: boundDevice,
  });
}
