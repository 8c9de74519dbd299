import type { AuthEventRecord } from '../domain/security/auth-event.js';
import type { RiskConfigurationRecord } from '../domain/security/risk-configuration.js';

/**
 * Threat protection's state: each user's auth events (AdminListUserAuthEvents) and the risk
 * configurations of pools and clients (SetRiskConfiguration). Events go with their user and
 * pool; configurations with their pool, and a client's with its client.
 */
export interface ThreatProtectionPort {
  insertAuthEvent(event: AuthEventRecord): Promise<void>;
  /** Replaces the event's outcome (a sign-in that was InProgress and finished). */
  updateAuthEvent(event: AuthEventRecord): Promise<void>;
  getAuthEvent(poolId: string, userSub: string, eventId: string): Promise<AuthEventRecord | undefined>;
  /** The user's events newest first (ties by EventId, descending), after `before` when given. */
  listAuthEvents(poolId: string, userSub: string, limit: number, before?: { createdAt: number; eventId: string }): Promise<AuthEventRecord[]>;
  /** The configuration of the pool (clientId null) or of one client, as set. */
  getRiskConfiguration(poolId: string, clientId: string | null): Promise<RiskConfigurationRecord | undefined>;
  /** The client's configuration when it has one, else the pool's: one read. */
  effectiveRiskConfiguration(poolId: string, clientId: string): Promise<RiskConfigurationRecord | undefined>;
  putRiskConfiguration(record: RiskConfigurationRecord): Promise<void>;
  deleteRiskConfiguration(poolId: string, clientId: string | null): Promise<void>;
}
