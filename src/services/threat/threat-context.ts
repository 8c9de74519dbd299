import type { Deps } from '../deps.js';
import type { StoreTx } from '../../ports/store.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { ChallengeResponseType, EventFilterType, EventResponseType, EventType } from '../../model/generated/types.js';
import { customAuthThreatModeOf, threatModeOf } from '../../domain/pools/threat-protection.js';
import { checksCompromised, inRanges, rangeList, type RiskConfigurationRecord } from '../../domain/security/risk-configuration.js';
import { deviceNameOf, type AuthEventRecord } from '../../domain/security/auth-event.js';
import type { AuthEventLog } from './auth-event-log.js';

/**
 * What threat protection knows of one request of a pool whose AdvancedSecurityMode is AUDIT or
 * ENFORCED: the risk configuration that applies (the client's, else the pool's), the user's
 * address and device, and what the IP exception lists say of it. userpoold scores no risk
 * (no geolocation, no device history): its decisions are only those the configuration names,
 * the always-block IP ranges and the local compromised-password list (docs/compatibility.md).
 */
export interface ThreatContext {
  mode: 'AUDIT' | 'ENFORCED';
  poolId: string;
  /** The app client of the request, when it names one (for the userAuthEvents log). */
  clientId: string | undefined;
  config: RiskConfigurationRecord | undefined;
  ipAddress: string | undefined;
  deviceName: string | undefined;
  /** In SkippedIPRangeList: "Risk detection isn't performed" (API_RiskExceptionConfigurationType). */
  skipped: boolean;
  /** In BlockedIPRangeList: "always blocks authentication requests" (ENFORCED only; AUDIT records). */
  blockedIp: boolean;
  /** Where stored events are also written (the pool's userAuthEvents log group), when configured. */
  log: AuthEventLog | undefined;
}

/** Where the user's request came from, as the operation learned it. */
export interface RequestOrigin {
  ipAddress: string | undefined;
  userAgent?: string | undefined;
}

/**
 * Undefined when threat protection is OFF: then nothing is read, checked or recorded. `flow`
 * 'custom' is custom authentication (CUSTOM_AUTH's challenges), which runs under
 * AdvancedSecurityAdditionalFlows.CustomAuthMode instead ("The operating mode of threat
 * protection in custom authentication with Custom authentication challenge Lambda triggers",
 * API_AdvancedSecurityAdditionalFlowsType): without it, custom authentication is not watched.
 */
export async function threatContext(
  deps: Pick<Deps, 'store' | 'authEventLog'>,
  poolId: string,
  settings: PoolSettings,
  clientId: string | undefined,
  origin: RequestOrigin,
  flow: 'standard' | 'custom' = 'standard',
): Promise<ThreatContext | undefined> {
  const mode = flow === 'custom' ? customAuthThreatModeOf(settings) : threatModeOf(settings);
  if (mode === 'OFF') return undefined;
  const config = clientId === undefined ? await deps.store.getRiskConfiguration(poolId, null) : await deps.store.effectiveRiskConfiguration(poolId, clientId);
  const ip = origin.ipAddress === '' ? undefined : origin.ipAddress;
  const skipped = inRanges(rangeList(config?.riskExceptions?.SkippedIPRangeList ?? undefined), ip);
  const blockedIp = !skipped && inRanges(rangeList(config?.riskExceptions?.BlockedIPRangeList ?? undefined), ip);
  return { mode, poolId, clientId, config, ipAddress: ip, deviceName: deviceNameOf(origin.userAgent), skipped, blockedIp, log: deps.authEventLog };
}

/** What the compromised-credentials check says of a password submitted in clear. */
export interface PasswordVerdict {
  detected: boolean;
  /** ENFORCED with EventAction BLOCK: the attempt is refused. */
  block: boolean;
}

export function passwordVerdict(deps: Pick<Deps, 'compromisedPasswords'>, tc: ThreatContext, event: EventFilterType, password: string | undefined): PasswordVerdict {
  const cc = tc.config?.compromisedCredentials;
  if (password === undefined || tc.skipped || !checksCompromised(cc, event) || !deps.compromisedPasswords?.has(password)) return { detected: false, block: false };
  return { detected: true, block: tc.mode === 'ENFORCED' && cc?.Actions.EventAction === 'BLOCK' };
}

export interface EventOutcome {
  userSub: string;
  eventType: EventType;
  response: EventResponseType;
  challenges: ChallengeResponseType[];
  /** The configuration decided to block (in AUDIT the request went on; the decision is recorded). */
  blocked: boolean;
  compromised: boolean;
}

/** The event to record; RiskLevel is Low throughout, as userpoold scores no risk. */
export function authEvent(deps: Pick<Deps, 'clock' | 'random'>, tc: ThreatContext, o: EventOutcome): AuthEventRecord {
  return {
    poolId: tc.poolId,
    userSub: o.userSub,
    eventId: deps.random.uuid(),
    eventType: o.eventType,
    createdAt: deps.clock.nowMs(),
    response: o.response,
    risk: { decision: o.blocked || tc.blockedIp ? 'Block' : 'NoRisk', level: 'Low', compromisedCredentialsDetected: o.compromised },
    challenges: o.challenges,
    context: { ipAddress: tc.ipAddress, deviceName: tc.deviceName },
  };
}

export async function recordAuthEvent(tx: Pick<StoreTx, 'insertAuthEvent'>, deps: Pick<Deps, 'clock' | 'random'>, tc: ThreatContext, o: EventOutcome): Promise<AuthEventRecord> {
  const event = authEvent(deps, tc, o);
  await tx.insertAuthEvent(event);
  tc.log?.recorded(event, tc.clientId);
  return event;
}

/** Stores an event completed in place (a sign-in that was InProgress), and logs its new outcome. */
export async function updateRecordedEvent(tx: Pick<StoreTx, 'updateAuthEvent'>, tc: ThreatContext, event: AuthEventRecord): Promise<void> {
  await tx.updateAuthEvent(event);
  tc.log?.recorded(event, tc.clientId);
}

export const THREAT_MESSAGES = {
  blockedIp: 'Request blocked by the user pool\u2019s threat protection: the address is in its BlockedIPRangeList.',
  compromisedPassword: 'This password was found among compromised credentials; choose another password.',
} as const;
