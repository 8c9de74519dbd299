import type { ChallengeNameType } from '../../model/generated/types.js';
import { notAuthorized } from '../../kernel/errors.js';
import type { SecretBox } from '../../kernel/secret-box.js';

/**
 * The `Session` of a challenge: a sealed, stateless record of who is in the middle of which
 * challenge, on which client, until when. Sealing makes it tamper-evident, so nothing is
 * stored server-side and any instance can continue the flow.
 */
export interface AuthSession {
  poolId: string;
  clientId: string;
  userSub: string;
  challenge: ChallengeNameType;
  /** Epoch ms after which the session is refused. */
  expiresAt: number;
  /**
   * When the password that opened the session was set: a session is good only for that
   * password, so rotating a temporary password (RESEND, AdminSetUserPassword) ends it.
   */
  passwordSetAt: number | null;
  /** What an MFA step carries to its answer (features/auth/challenges/mfa-*.ts). */
  mfa?: MfaSessionState | undefined;
}

export interface MfaSessionState {
  /** SELECT_MFA_TYPE: the factors offered; MFA_SETUP: those that can be set up. */
  methods?: string[];
  /** SMS_MFA and EMAIL_OTP: where the code went (the code is bound to it). */
  destination?: string;
  /** MFA_SETUP: an authenticator was verified with this session (VerifySoftwareToken's Session). */
  verified?: boolean;
}

export const INVALID_SESSION = 'Invalid session for the user, session is expired.';

const VERSION = 1;

export function sealSession(secrets: SecretBox, session: AuthSession): string {
  return secrets.seal(JSON.stringify({ v: VERSION, ...session }));
}

/** Opens a session, refusing tampered, foreign-version and expired ones with AWS's answer. */
export function openSession(secrets: SecretBox, sealed: string, nowMs: number): AuthSession {
  let parsed: Partial<AuthSession> & { v?: number };
  try {
    parsed = JSON.parse(secrets.open(sealed)) as Partial<AuthSession> & { v?: number };
  } catch {
    throw notAuthorized(INVALID_SESSION);
  }
  const { v, poolId, clientId, userSub, challenge, expiresAt, passwordSetAt, mfa } = parsed;
  if (
    v !== VERSION ||
    typeof poolId !== 'string' ||
    typeof clientId !== 'string' ||
    typeof userSub !== 'string' ||
    typeof challenge !== 'string' ||
    typeof expiresAt !== 'number' ||
    (typeof passwordSetAt !== 'number' && passwordSetAt !== null) ||
    (mfa !== undefined && (typeof mfa !== 'object' || mfa === null)) ||
    nowMs >= expiresAt
  ) {
    throw notAuthorized(INVALID_SESSION);
  }
  return { poolId, clientId, userSub, challenge, expiresAt, passwordSetAt, ...(mfa !== undefined && { mfa }) };
}
