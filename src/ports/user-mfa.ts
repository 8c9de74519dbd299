import type { UserMfaRecord } from '../domain/mfa/mfa-settings.js';

/**
 * Users' MFA setups, one row per user that ever set one up (most users have none, and a read
 * for them is one primary-key probe that finds nothing). Deleting a user or a pool deletes its rows.
 */
export interface UserMfaPort {
  getUserMfa(poolId: string, userSub: string): Promise<UserMfaRecord | undefined>;
  /** Inserts or replaces the user's row. */
  putUserMfa(record: UserMfaRecord): Promise<void>;
}
