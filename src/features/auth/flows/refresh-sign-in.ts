import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import { checkClientSecretHashAny, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { refreshTokenReuse, invalidParameter, MESSAGES, notAuthorized, passwordResetRequired, userNotFound, type ServiceError } from '../../../kernel/errors.js';
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
  // "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation
  // enabled" (DG: amazon-cognito-user-pools-using-the-refresh-token); AWS's text is not known.
  if (rotationOf(sc) !== undefined) {
    throw invalidParameter('REFRESH_TOKEN_AUTH is not available to an app client with refresh token rotation enabled: use GetTokensFromRefreshToken.');
  }
  // The hash may be over the username or the sub: apps of pools that sign in by email often
  // know only the sub after sign-in.
  const proveClient = (user: UserRecord | undefined) => checkClientSecretHashAny(sc, [params?.USERNAME, user?.username, user?.sub], params?.SECRET_HASH);
  const tokens = await renewTokens(deps, sc, token, proveClient, ctx, { deviceKey: params?.DEVICE_KEY });
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
  options: RenewOptions = {},
): Promise<AuthenticationResultType> {
  const { resetRequired = () => passwordResetRequired(MESSAGES.passwordResetRequired), clientMetadata, deviceKey, rotation } = options;
  const tokenHash = refreshTokenDigest(deps, token);
  const record = await deps.store.getRefreshToken(tokenHash);
  if (!record || record.clientId !== sc.client.id || record.poolId !== sc.pool.id) throw notAuthorized(REFRESH_MESSAGES.invalid);
  const user = await deps.store.getUserBySub(sc.pool.id, record.userSub);
  proveClient(user);
  if (record.revokedAt !== null) throw notAuthorized(REFRESH_MESSAGES.revoked);
  const now = deps.clock.nowMs();
  if (now >= record.expiresAt) throw notAuthorized(REFRESH_MESSAGES.expired);
  // A token rotated out works only for the client's grace period after it was first used
  // (RefreshTokenRotationType.RetryGracePeriodSeconds; 0: not at all). AWS's text is not known.
  if (record.rotatedAt != null && (rotation === undefined || now >= record.rotatedAt + rotation.graceSeconds * 1000)) {
    throw refreshTokenReuse('The refresh token was replaced by rotation and can no longer be used.');
  }
  if (!user) throw userNotFound(MESSAGES.userDoesNotExist);
  if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
  if (user.status === 'RESET_REQUIRED') throw resetRequired();
  // A token bound to a device refreshes only with that device's key, and only while the user
  // still has the device: without it AWS answers `Invalid Refresh Token.` (cognito-facts-areas.md 3.5).
  const boundDevice = record.deviceKey ?? undefined;
  if (boundDevice !== undefined) {
    if (deviceKey !== boundDevice || !(await deps.store.getDevice(sc.pool.id, user.sub, boundDevice))) throw notAuthorized(REFRESH_MESSAGES.invalid);
  }
  // Rotated: a new refresh token replaces this one, which keeps working for the grace period
  // from its first rotation (a retried call within it rotates again).
  if (rotation !== undefined) await deps.store.markRefreshTokenRotated(tokenHash, now);
  return issueTokens(deps, {
    pool: sc.pool,
    client: sc.client,
    user,
    baseUrl: ctx.baseUrl,
    ...(rotation !== undefined
      ? { rotatedFrom: { authTime: record.authTime, expiresAt: record.expiresAt } }
      : { refreshOf: { authTime: record.authTime, originJti: record.originJti } }),
    trigger: { source: 'TokenGeneration_RefreshTokens', clientMetadata },
    deviceKey: boundDevice,
  });
}

export interface RenewOptions {
  /** The error for a user in RESET_REQUIRED (GetTokensFromRefreshToken's model has no PasswordResetRequiredException). */
  resetRequired?: () => ServiceError;
  /** GetTokensFromRefreshToken's ClientMetadata, for PreTokenGeneration (InitiateAuth passes none). */
  clientMetadata?: Record<string, string> | undefined;
  /** DEVICE_KEY / DeviceKey: a token of a sign-in on a remembered-devices device needs it. */
  deviceKey?: string | undefined;
  /** The client's refresh token rotation, when on: GetTokensFromRefreshToken then issues a new refresh token. */
  rotation?: { graceSeconds: number } | undefined;
}

/** The client's refresh token rotation, when it is on. */
export function rotationOf(sc: SignInClient): { graceSeconds: number } | undefined {
  const rotation = sc.clientSettings.RefreshTokenRotation;
  return rotation?.Feature === 'ENABLED' ? { graceSeconds: rotation.RetryGracePeriodSeconds ?? 0 } : undefined;
}
