/** The vocabulary of a pool's users: their statuses, records and sign-in aliases. */

export type AliasKind = 'email' | 'phone_number' | 'preferred_username';

export type UserStatus =
  | 'UNCONFIRMED'
  | 'CONFIRMED'
  | 'ARCHIVED'
  | 'COMPROMISED'
  | 'UNKNOWN'
  | 'RESET_REQUIRED'
  | 'FORCE_CHANGE_PASSWORD'
  | 'EXTERNAL_PROVIDER';

export interface UserRecord {
  poolId: string;
  sub: string;
  username: string;
  /** The username as looked up: lower-cased in case-insensitive pools. */
  usernameKey: string;
  status: UserStatus;
  enabled: boolean;
  /** argon2id PHC string; null when the user has no usable password (e.g. RESET_REQUIRED). */
  passwordHash: string | null;
  passwordUpdatedAt: number | null;
  /** The SRP verifier of the current password; absent or null when there is none (USER_SRP_AUTH then fails). */
  srp?: SrpVerifierRecord | null;
  /** Every attribute, `sub` included, as Cognito reports them: name to string value. */
  attributes: Record<string, string>;
  /** Lookup keys of the active sign-in aliases (null when not an active alias). */
  aliases: Record<AliasKind, string | null>;
  createdAt: number;
  updatedAt: number;
}

/**
 * A user as ListUsers shows it: no password hash, SRP verifier or alias keys, which a listing
 * never needs and which were half the cost of reading its rows (bench/RESULTS.md).
 */
export type UserListing = Pick<UserRecord, 'poolId' | 'sub' | 'username' | 'usernameKey' | 'status' | 'enabled' | 'attributes' | 'createdAt' | 'updatedAt'>;

export interface SrpVerifierRecord {
  /** Public salt, hex. */
  saltHex: string;
  /** The verifier, sealed with the server key and bound to the password hash it was made with. */
  verifierSealed: string;
}

export const FILTERABLE = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'status',
  'enabled',
  'sub',
] as const;
export type FilterColumn = (typeof FILTERABLE)[number];

/** A ListUsers filter as the store applies it: exact match or prefix on one column. */
export interface UserFilter {
  column: FilterColumn;
  op: '=' | '^=';
  value: string;
}
