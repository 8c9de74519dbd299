/**
 * The narrow persistence interface the operations depend on. One implementation
 * (kysely-store.ts) serves SQLite and PostgreSQL. Every method is usable directly (its own
 * implicit transaction) or inside `transaction`, where all calls commit or roll back together.
 */
export interface Store extends StoreTx {
  /**
   * Runs `fn` as if no other transaction ran at the same time. On PostgreSQL a transaction that
   * collided with another is rolled back and `fn` runs again, so it must do nothing outside the
   * store that cannot be repeated (no message sent, no external call): compute before, act after.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Deletes rows nothing reads any more, at most `policy.batchSize` per table, each table in
   * its own short statement (never inside `transaction`). Idempotent: instances may sweep at once.
   */
  sweep(now: number, policy: SweepPolicy): Promise<SweepCounts>;
  close(): Promise<void>;
}

/** What `Store.sweep` may delete, as ages relative to its `now`. */
export interface SweepPolicy {
  /** Refresh tokens go this long after they expired or were revoked. */
  refreshTokenGraceMs: number;
  /** Counters go once their window started this long ago. */
  counterHorizonMs: number;
  /** Delivered and failed messages go this long after they finished; undefined keeps them. */
  outboxRetentionMs: number | undefined;
  /** Audit entries go this long after their request; undefined keeps them. */
  auditRetentionMs: number | undefined;
  /** At most this many rows per table per call. */
  batchSize: number;
}

/** Rows deleted by one sweep, per table. */
export interface SweepCounts {
  refreshTokens: number;
  codes: number;
  counters: number;
  outbox: number;
  auditLog: number;
  singleUse: number;
}

export interface StoreTx {
  // user pools
  insertPool(pool: PoolRecord): Promise<void>;
  getPool(id: string): Promise<PoolRecord | undefined>;
  updatePool(pool: PoolRecord): Promise<void>;
  /** Deletes the pool and everything in it (clients, users, codes, tokens, keys, queued messages). */
  deletePool(id: string): Promise<void>;
  listPools(page: Page): Promise<PoolRecord[]>;

  // app clients
  insertClient(client: ClientRecord): Promise<void>;
  getClient(id: string): Promise<ClientRecord | undefined>;
  updateClient(client: ClientRecord): Promise<void>;
  deleteClient(id: string): Promise<void>;
  listClients(poolId: string, page: Page): Promise<ClientRecord[]>;

  // users
  /** Throws UniqueViolation when the username or an alias is taken in the pool. */
  insertUser(user: UserRecord): Promise<void>;
  getUserByUsernameKey(poolId: string, usernameKey: string): Promise<UserRecord | undefined>;
  getUserBySub(poolId: string, sub: string): Promise<UserRecord | undefined>;
  getUserByAlias(poolId: string, alias: AliasKind, key: string): Promise<UserRecord | undefined>;
  /** Throws UniqueViolation when an alias is taken by another user of the pool. */
  updateUser(user: UserRecord): Promise<void>;
  deleteUser(poolId: string, sub: string): Promise<void>;
  listUsers(poolId: string, query: UserQuery): Promise<UserListing[]>;
  countUsers(poolId: string): Promise<number>;

  // one-time codes (stored as keyed hashes)
  putCode(code: CodeRecord): Promise<void>;
  getCode(userSub: string, purpose: string): Promise<CodeRecord | undefined>;
  /** Deletes the code only if it still has this hash; true when this call consumed it. */
  consumeCode(userSub: string, purpose: string, codeHash: string): Promise<boolean>;
  deleteCodes(userSub: string): Promise<void>;

  // rate counters in fixed windows
  /** Adds `by` (default one) to the counter of `key` in the window starting at `windowStart`; returns the new count. */
  incrementCounter(key: string, windowStart: number, by?: number): Promise<number>;
  getCounter(key: string, windowStart: number): Promise<number>;
  /** The counter of `key` whatever its window, for callers whose window start is itself data. */
  readCounter(key: string): Promise<{ windowStart: number; count: number } | undefined>;
  resetCounter(key: string): Promise<void>;

  // messages waiting for delivery
  enqueueMessage(message: OutboxRecord): Promise<void>;
  listMessages(query: MessageQuery): Promise<OutboxRecord[]>;
  /** Claims up to `limit` due messages for `worker` until `claimedUntil`, only of `channels` when given. */
  claimMessages(worker: string, now: number, claimedUntil: number, limit: number, channels?: readonly OutboxRecord['channel'][]): Promise<OutboxRecord[]>;
  updateMessage(message: OutboxRecord): Promise<void>;

  // refresh tokens (stored as keyed hashes)
  insertRefreshToken(token: RefreshTokenRecord): Promise<void>;
  getRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** The refresh token a sign-in issued, found by the origin_jti its access tokens carry. */
  getRefreshTokenByOrigin(originJti: string): Promise<RefreshTokenRecord | undefined>;
  revokeRefreshToken(tokenHash: string, at: number): Promise<void>;
  /** Revokes every refresh token of the user; returns how many were live. */
  revokeUserRefreshTokens(userSub: string, at: number): Promise<number>;

  // one-time values (SRP secret blocks)
  /** Marks `key` used until `expiresAt`; false when it was already used. Forgets expired keys. */
  useOnce(key: string, expiresAt: number, nowMs: number): Promise<boolean>;

  // per-pool token signing keys
  getSigningKey(poolId: string): Promise<SigningKeyRecord | undefined>;
  /** Inserts the key unless the pool has one; returns the pool's key either way. */
  putSigningKeyIfAbsent(key: SigningKeyRecord): Promise<SigningKeyRecord>;

  // developer credentials (secrets sealed)
  insertCredential(credential: CredentialRecord): Promise<void>;
  getCredential(accessKeyId: string): Promise<CredentialRecord | undefined>;
  /** In access key id order. */
  listCredentials(page: Page): Promise<CredentialRecord[]>;
  /** Whether any developer credential is stored (asked before every signed request). */
  hasCredentials(): Promise<boolean>;

  // audit log (append-only)
  appendAudit(entries: readonly AuditRecord[]): Promise<void>;
  /** The newest `limit` entries (of the pool when given), oldest first. */
  listAudit(query: AuditQuery): Promise<AuditRecord[]>;
}

export class UniqueViolation extends Error {
  constructor(readonly constraint: 'username' | AliasKind | 'other') {
    super(`unique constraint: ${constraint}`);
  }
}

export type AliasKind = 'email' | 'phone_number' | 'preferred_username';

export interface Page {
  limit: number;
  /** Exclusive lower bound in the listing's order (an id, or a username key). */
  after?: string | undefined;
}

/** JSON object settings as the API shapes them; the store keeps them opaque. */
export type JsonObject = Record<string, unknown>;

export interface PoolRecord {
  id: string;
  name: string;
  settings: JsonObject;
  createdAt: number;
  updatedAt: number;
}

export interface ClientRecord {
  id: string;
  poolId: string;
  name: string;
  /** The client secret sealed with the server key, or null for public clients. */
  secretSealed: string | null;
  settings: JsonObject;
  createdAt: number;
  updatedAt: number;
}

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

/**
 * Users in username-key order; with a prefix filter on any column but username, in
 * (column value, username key) order, so the column's index serves both the range and the order.
 */
export interface UserQuery extends Page {
  filter?: { column: FilterColumn; op: '=' | '^='; value: string } | undefined;
  /** With a prefix filter: the filter column's value of the last user seen (`after` is its username key). */
  afterValue?: string | undefined;
}

export interface CodeRecord {
  userSub: string;
  purpose: string;
  poolId: string;
  codeHash: string;
  expiresAt: number;
  createdAt: number;
}

export type MessageState = 'pending' | 'delivered' | 'failed';

export interface OutboxRecord {
  id: string;
  poolId: string;
  userSub: string;
  username: string;
  /** The CustomMessage trigger source suffix, e.g. ForgotPassword, AdminCreateUser, SignUp. */
  trigger: string;
  channel: 'EMAIL' | 'SMS';
  destination: string;
  /** JSON of MessagePayload, sealed: it carries the code. */
  payloadSealed: string;
  state: MessageState;
  attempts: number;
  nextAttemptAt: number;
  claimedBy: string | null;
  claimedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

export interface MessageQuery {
  poolId?: string | undefined;
  username?: string | undefined;
  /** Only messages created after this one (by creation order). */
  afterId?: string | undefined;
  /** The newest `limit` messages, returned oldest first. */
  limit: number;
}

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
}

export interface SigningKeyRecord {
  poolId: string;
  kid: string;
  privateJwkSealed: string;
  publicJwk: string;
  createdAt: number;
}

/** One API request as the audit log keeps it: who, what, on which pool and user, and how it ended. Never a secret. */
export interface AuditRecord {
  at: number;
  requestId: string;
  operation: string;
  /** The verified caller's ARN, for signed operations. */
  principal: string | null;
  clientId: string | null;
  poolId: string | null;
  /** The username as the request gave it. */
  username: string | null;
  /** OK, or the error's name. */
  outcome: string;
  status: number;
  sourceIp: string;
}

export interface AuditQuery {
  poolId?: string | undefined;
  limit: number;
}

export interface CredentialRecord {
  accessKeyId: string;
  name: string;
  arn: string;
  /** The secret access key sealed with the server key: SigV4 verification needs it back. */
  secretSealed: string;
  /** The IAM-style policy document as JSON text. */
  policy: string;
  createdAt: number;
}
