import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. Times are epoch milliseconds (bigint columns), booleans
 * are 0/1 integers, structured settings are JSON text: the same on SQLite and PostgreSQL.
 */
export interface Database {
  user_pools: UserPoolsTable;
  user_pool_clients: UserPoolClientsTable;
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  codes: CodesTable;
  counters: CountersTable;
  outbox: OutboxTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  credentials: CredentialsTable;
  single_use: SingleUseTable;
  audit_log: AuditLogTable;
}

export interface UserPoolsTable {
  id: string;
  name: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface UserPoolClientsTable {
  id: string;
  pool_id: string;
  name: string;
  secret_sealed: string | null;
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  sub: string;
  pool_id: string;
  username: string;
  username_key: string;
  status: string;
  enabled: number;
  password_hash: string | null;
  password_updated_at: number | null;
  /** SRP salt (hex) and verifier (sealed); null when the password predates verifiers or is cleared. */
  srp_salt: string | null;
  srp_verifier_sealed: string | null;
  attributes: string;
  /** Sign-in aliases, set only while the attribute is an active alias (email/phone verified). */
  alias_email: string | null;
  alias_phone: string | null;
  alias_preferred_username: string | null;
  /** Copies of attributes that ListUsers can filter on, kept for their indexes. */
  email: string | null;
  phone_number: string | null;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  preferred_username: string | null;
  created_at: number;
  updated_at: number;
}

/** User pool groups (migration 20261206-1-groups). */
export interface GroupsTable {
  pool_id: string;
  name: string;
  description: string | null;
  role_arn: string | null;
  precedence: number | null;
  created_at: number;
  updated_at: number;
}

/**
 * Memberships. The username key is copied from the user (usernames never change) so a group's
 * members list in username order straight from an index, without reading every member first.
 */
export interface GroupMembersTable {
  pool_id: string;
  group_name: string;
  user_sub: string;
  username_key: string;
}

export interface CodesTable {
  user_sub: string;
  purpose: string;
  pool_id: string;
  code_hash: string;
  expires_at: number;
  created_at: number;
}

export interface CountersTable {
  key: string;
  window_start: number;
  count: number;
}

export interface OutboxTable {
  id: string;
  pool_id: string;
  user_sub: string;
  username: string;
  trigger: string;
  channel: string;
  destination: string;
  payload_sealed: string;
  state: string;
  attempts: number;
  next_attempt_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  pool_id: string;
  client_id: string;
  user_sub: string;
  origin_jti: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface SigningKeysTable {
  pool_id: string;
  kid: string;
  private_jwk_sealed: string;
  public_jwk: string;
  created_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  request_id: string;
  operation: string;
  principal: string | null;
  client_id: string | null;
  pool_id: string | null;
  username: string | null;
  outcome: string;
  status: number;
  source_ip: string;
}

/** One-time values already used (SRP secret blocks), kept until they expire. */
export interface SingleUseTable {
  key: string;
  expires_at: number;
}

/** Developer credentials made by `userpoold credentials create`; the secret sealed with the server key. */
export interface CredentialsTable {
  access_key_id: string;
  name: string;
  arn: string;
  secret_sealed: string;
  policy: string;
  created_at: number;
}
