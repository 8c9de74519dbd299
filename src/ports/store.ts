import type { AuditPort } from './audit.js';
import type { BrandingPort } from './branding.js';
import type { ClientsPort } from './clients.js';
import type { CodesPort } from './codes.js';
import type { CountersPort } from './counters.js';
import type { CredentialsPort } from './credentials.js';
import type { DevicesPort } from './devices.js';
import type { GroupsPort } from './groups.js';
import type { IdentityProvidersPort } from './identity-providers.js';
import type { ImportJobsPort } from './import-jobs.js';
import type { LogDeliveryPort } from './log-delivery.js';
import type { ThreatProtectionPort } from './threat-protection.js';
import type { OAuthPort } from './oauth.js';
import type { OutboxPort } from './outbox.js';
import type { PoolsPort } from './pools.js';
import type { ProvisionedLimitsPort } from './provisioned-limits.js';
import type { ReplicasPort } from './replicas.js';
import type { RefreshTokensPort } from './refresh-tokens.js';
import type { SigningKeysPort } from './signing-keys.js';
import type { SingleUsePort } from './single-use.js';
import type { UsersPort } from './users.js';
import type { UserMfaPort } from './user-mfa.js';
import type { WebAuthnCredentialsPort } from './webauthn-credentials.js';

/**
 * Every port together: what a transaction offers. One implementation (src/storage/) serves
 * SQLite and PostgreSQL. Every method is usable directly (its own implicit transaction) or
 * inside `Store.transaction`, where all calls commit or roll back together.
 */
export interface StoreTx
  extends PoolsPort,
    ClientsPort,
    UsersPort,
    UserMfaPort,
    WebAuthnCredentialsPort,
    DevicesPort,
    GroupsPort,
    CodesPort,
    CountersPort,
    OutboxPort,
    RefreshTokensPort,
    SingleUsePort,
    SigningKeysPort,
    CredentialsPort,
    AuditPort,
    LogDeliveryPort,
    ThreatProtectionPort,
    ImportJobsPort,
    OAuthPort,
    IdentityProvidersPort,
    ProvisionedLimitsPort,
    ReplicasPort,
    BrandingPort {}

/** The persistence the services and operations depend on: the ports, plus transactions. */
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
