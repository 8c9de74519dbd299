import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. Times are epoch milliseconds (bigint columns), booleans
 * are 0/1 integers, structured settings are JSON text: the same on SQLite and PostgreSQL.
 */
export interface Database {
  import_jobs: ImportJobsTable;
  import_job_chunks: ImportJobChunksTable;
  import_job_log: ImportJobLogTable;
  user_pools: UserPoolsTable;
  user_pool_clients: UserPoolClientsTable;
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  user_mfa: UserMfaTable;
  webauthn_credentials: WebAuthnCredentialsTable;
  devices: DevicesTable;
  codes: CodesTable;
  counters: CountersTable;
  outbox: OutboxTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  credentials: CredentialsTable;
  single_use: SingleUseTable;
  audit_log: AuditLogTable;
  log_delivery: LogDeliveryTable;
  auth_events: AuthEventsTable;
  risk_configurations: RiskConfigurationsTable;
  branding_items: BrandingItemsTable;
  provisioned_limits: ProvisionedLimitsTable;
  pool_replicas: PoolReplicasTable;
  oauth_domains: OAuthDomainsTable;
  resource_servers: ResourceServersTable;
  oauth_grants: OAuthGrantsTable;
  identity_providers: IdentityProvidersTable;
  provider_links: ProviderLinksTable;
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
  /** The first (oldest) active client secret, sealed; null for a public client. */
  secret_sealed: string | null;
  secret_created_at: number | null;
  /** The newer secret while one is rotated (AddUserPoolClientSecret), sealed. */
  second_secret_sealed: string | null;
  second_secret_created_at: number | null;
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
/** A user's passkey (20261206-2-webauthn-credentials); transports as JSON text. */
export interface WebAuthnCredentialsTable {
  pool_id: string;
  credential_id: string;
  user_sub: string;
  public_key: string;
  sign_count: number;
  transports: string;
  friendly_name: string | null;
  relying_party_id: string;
  attachment: string | null;
  created_at: number;
}

/** A user's MFA setup (20261206-5-user-mfa); booleans as 0/1. */
export interface UserMfaTable {
  pool_id: string;
  user_sub: string;
  totp_secret_sealed: string | null;
  pending_totp_secret_sealed: string | null;
  totp_device_name: string | null;
  sms_enabled: number;
  totp_enabled: number;
  email_enabled: number;
  preferred: string | null;
  updated_at: number;
}

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
  /** The device of the sign-in (20261206-4-devices): a refresh must name it. */
  device_key: string | null;
  /** When refresh token rotation replaced it (20261207-1-refresh-token-rotation). */
  rotated_at: number | null;
}

/** Users' devices (20261206-4-devices); the verifier sealed. */
export interface DevicesTable {
  device_key: string;
  pool_id: string;
  user_sub: string;
  device_group_key: string;
  verifier_sealed: string | null;
  name: string | null;
  status: string | null;
  last_ip: string | null;
  created_at: number;
  last_modified_at: number;
  last_authenticated_at: number;
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
  /** How long a Lambda trigger took (rows of trigger invocations); null for API requests. */
  duration_ms: number | null;
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

/** UpdateProvisionedLimit (20261206-7-limits-replicas): requests per second per quota category. */
export interface ProvisionedLimitsTable {
  category: string;
  value: number;
  updated_at: number;
}

/** CreateUserPoolReplica (20261206-7-limits-replicas): a pool's replica in a region; tags as JSON. */
export interface PoolReplicasTable {
  pool_id: string;
  region_name: string;
  status: string;
  tags: string;
  created_at: number;
  updated_at: number;
}

/** Threat protection's auth events (20261207-7-threat-protection): risk, challenges, context, feedback as JSON. */
export interface AuthEventsTable {
  event_id: string;
  pool_id: string;
  user_sub: string;
  event_type: string;
  created_at: number;
  response: string;
  risk: string;
  challenges: string;
  context: string;
  feedback: string | null;
}

/** Risk configurations (SetRiskConfiguration) of a pool (client_id '') or an app client, as JSON. */
export interface RiskConfigurationsTable {
  pool_id: string;
  client_id: string;
  configuration: string;
  updated_at: number;
}

/** A pool's SetLogDeliveryConfiguration: its LogConfigurations as JSON. */
export interface LogDeliveryTable {
  pool_id: string;
  configurations: string;
  updated_at: number;
}

/** User pool domains (20261206-8-oauth): kind 'prefix' | 'custom'. */
export interface OAuthDomainsTable {
  domain: string;
  pool_id: string;
  kind: string;
  certificate_arn: string | null;
  cloudfront_domain: string | null;
  managed_login_version: number;
  created_at: number;
  updated_at: number;
}

/** Resource servers (20261206-8-oauth): scopes as JSON text. */
export interface ResourceServersTable {
  pool_id: string;
  identifier: string;
  name: string;
  scopes: string;
  created_at: number;
  updated_at: number;
}

/** Identity providers (20261206-9-identity-providers; src/ports/identity-providers.ts). */
export interface IdentityProvidersTable {
  pool_id: string;
  name: string;
  type: string;
  /** ProviderDetails without the secret keys, JSON. */
  details: string;
  /** The secret ProviderDetails as one JSON object, sealed; null when there are none. */
  secrets_sealed: string | null;
  attribute_mapping: string;
  idp_identifiers: string;
  created_at: number;
  updated_at: number;
}

/** AdminLinkProviderForUser's links (20261206-9-identity-providers). */
export interface ProviderLinksTable {
  pool_id: string;
  provider_name: string;
  attribute_name: string;
  attribute_value: string;
  user_sub: string;
  created_at: number;
}

/** User import jobs (20261206-9-import-jobs; src/ports/import-jobs.ts). */
export interface ImportJobsTable {
  job_id: string;
  pool_id: string;
  job_name: string;
  status: string;
  role_arn: string;
  upload_token_hash: string;
  upload_expires_at: number;
  upload_id: string | null;
  upload_problem: string | null;
  chunk_count: number;
  next_chunk: number;
  imported_users: number;
  skipped_users: number;
  failed_users: number;
  completion_message: string | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  claimed_by: string | null;
  claimed_until: number | null;
}

/** An uploaded CSV, in chunks of whole lines; `first_line` is the file line of the chunk's first line. */
export interface ImportJobChunksTable {
  job_id: string;
  upload_id: string;
  seq: number;
  first_line: number;
  data: string;
}

/** Rows of an import that were skipped or failed, by file line. */
export interface ImportJobLogTable {
  job_id: string;
  line: number;
  outcome: string;
  message: string;
}

/** Scopes granted by an OAuth sign-in, by its origin_jti (20261206-8-oauth): scopes space-separated. */
export interface OAuthGrantsTable {
  origin_jti: string;
  pool_id: string;
  scopes: string;
  expires_at: number;
}

/** Managed login configuration (features/branding/): one item per pool, kind and item id. */
export interface BrandingItemsTable {
  pool_id: string;
  kind: string;
  item_id: string;
  client_id: string;
  name: string;
  document: string;
  created_at: number;
  updated_at: number;
}
