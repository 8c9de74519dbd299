/** A refresh token, kept as a keyed hash. */
export interface RefreshTokenRecord {
  tokenHash: string;
  poolId: string;
  clientId: string;
  userSub: string;
  originJti: string;
  authTime: number;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  /** The remembered-devices DeviceKey of the sign-in, if any: a refresh must name it (cognito-facts-areas.md 3.5). */
  deviceKey?: string | null;
  /** When refresh token rotation replaced it; it works for the client's grace period after. */
  rotatedAt?: number | null;
}

export interface RefreshTokensPort {
  insertRefreshToken(token: RefreshTokenRecord): Promise<void>;
  getRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** The refresh token a sign-in issued, found by the origin_jti its access tokens carry. */
  getRefreshTokenByOrigin(originJti: string): Promise<RefreshTokenRecord | undefined>;
  revokeRefreshToken(tokenHash: string, at: number): Promise<void>;
  /** Records that rotation replaced the token at `at`, unless an earlier use already did; returns the time it was rotated out. */
  markRefreshTokenRotated(tokenHash: string, at: number): Promise<number>;
  /** Revokes every refresh token of the user; returns how many were live. */
  revokeUserRefreshTokens(userSub: string, at: number): Promise<number>;
}
