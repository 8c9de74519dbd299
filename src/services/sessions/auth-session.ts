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
  /** DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER: the remembered device, and the SECRET_BLOCK issued for it. */
  device?: { key: string; secretBlockId?: string } | undefined;
  /** What a custom sign-in (CUSTOM_AUTH) carries from one challenge to the next (features/auth/challenges/custom-auth-loop.ts). */
  custom?: CustomSessionState | undefined;
}

export interface CustomSessionState {
  /** This session's id: each session answers once. */
  id: string;
  /** The name typed at InitiateAuth (the event's userName for a user the pool does not know). */
  name: string;
  /** A name the pool does not know, for a client that hides user existence (userSub is then ''). */
  userNotFound: boolean;
  /** The challenges so far, as DefineAuthChallenge receives them. */
  rounds: { challengeName: string; challengeResult: boolean; challengeMetadata: string | null }[];
  /** CUSTOM_CHALLENGE: what CreateAuthChallenge kept for VerifyAuthChallengeResponse, and its metadata. */
  privateParameters?: Record<string, string>;
  metadata?: string | null;
  /** PASSWORD_VERIFIER: the SECRET_BLOCK id its answer must carry. */
  srpBlockId?: string;
}

export interface MfaSessionState {
  /** SELECT_MFA_TYPE: the factors offered; MFA_SETUP: those that can be set up. */
  methods?: string[];
  /** SMS_MFA and EMAIL_OTP: where the code went (the code is bound to it). */
  destination?: string;
  /** MFA_SETUP: an authenticator was verified with this session (VerifySoftwareToken's Session). */
  verified?: boolean;
  /**
   * EMAIL_OTP of an email MFA setup (MFA_SETUP answered with EMAIL): `destination` is the
   * address the user is setting up, which becomes their verified email once the code is proven.
   */
  setupEmail?: boolean;
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
  const { v, poolId, clientId, userSub, challenge, expiresAt, passwordSetAt, mfa, device, custom } = parsed;
  if (
    v !== VERSION ||
    typeof poolId !== 'string' ||
    typeof clientId !== 'string' ||
    typeof userSub !== 'string' ||
    typeof challenge !== 'string' ||
    typeof expiresAt !== 'number' ||
    (typeof passwordSetAt !== 'number' && passwordSetAt !== null) ||
    (mfa !== undefined && (typeof mfa !== 'object' || mfa === null)) ||
    (custom !== undefined && (typeof custom !== 'object' || custom === null || !Array.isArray(custom.rounds))) ||
    (device !== undefined && (typeof device !== 'object' || device === null || typeof device.key !== 'string')) ||
    nowMs >= expiresAt
  ) {
    throw notAuthorized(INVALID_SESSION);
  }
  return { poolId, clientId, userSub, challenge, expiresAt, passwordSetAt, ...(mfa !== undefined && { mfa }), ...(device !== undefined && { device }), ...(custom !== undefined && { custom }) };
}
