import type { AuthEventType, ChallengeResponseType, EventResponseType, EventType, FeedbackValueType, RiskDecisionType, RiskLevelType } from '../../model/generated/types.js';

/**
 * One event of a user's threat protection history (AdminListUserAuthEvents), recorded when the
 * pool's AdvancedSecurityMode is AUDIT or ENFORCED. Shape: cognito-facts-areas.md section 6 and
 * API_AdminListUserAuthEvents's example (EventContextData with IpAddress, DeviceName "Other,
 * Other"; City and Country come from a geolocation database userpoold does not have).
 */
export interface AuthEventRecord {
  poolId: string;
  userSub: string;
  eventId: string;
  eventType: EventType;
  createdAt: number;
  response: EventResponseType;
  risk: { decision: RiskDecisionType; level: RiskLevelType; compromisedCredentialsDetected: boolean };
  challenges: ChallengeResponseType[];
  context: { ipAddress?: string | undefined; deviceName?: string | undefined };
  feedback?: { value: FeedbackValueType; provider: string; date: number } | undefined;
}

/** The event as AdminListUserAuthEvents returns it. */
export function authEventOf(e: AuthEventRecord): AuthEventType {
  return {
    EventId: e.eventId,
    EventType: e.eventType,
    CreationDate: e.createdAt / 1000,
    EventResponse: e.response,
    EventRisk: { RiskDecision: e.risk.decision, RiskLevel: e.risk.level, CompromisedCredentialsDetected: e.risk.compromisedCredentialsDetected },
    ChallengeResponses: e.challenges,
    EventContextData: {
      ...(e.context.ipAddress !== undefined && { IpAddress: e.context.ipAddress }),
      ...(e.context.deviceName !== undefined && { DeviceName: e.context.deviceName }),
    },
    ...(e.feedback && {
      EventFeedback: { FeedbackValue: e.feedback.value, Provider: e.feedback.provider, FeedbackDate: e.feedback.date / 1000 },
    }),
  };
}

/**
 * AWS's NextToken for this listing is `<EventId>#<ISO date of the last event>`
 * (API_AdminListUserAuthEvents example: "768d375c-...#2024-08-08T16:54:09.929Z").
 */
export function authEventsToken(e: Pick<AuthEventRecord, 'eventId' | 'createdAt'>): string {
  return `${e.eventId}#${new Date(e.createdAt).toISOString()}`;
}

export function parseAuthEventsToken(token: string): { eventId: string; createdAt: number } | undefined {
  const hash = token.lastIndexOf('#');
  if (hash <= 0) return undefined;
  const createdAt = Date.parse(token.slice(hash + 1));
  if (!Number.isFinite(createdAt) || !/^\d{4}-\d{2}-\d{2}T/.test(token.slice(hash + 1))) return undefined;
  return { eventId: token.slice(0, hash), createdAt };
}

/**
 * "Browser, OS" from a User-Agent header, in the form AWS's events show (DeviceName "Other,
 * Other" when neither is recognised). Only the families, never the versions.
 */
export function deviceNameOf(userAgent: string | undefined): string | undefined {
  if (userAgent === undefined || userAgent === '') return undefined;
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Other';
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'Mac OS X'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : 'Other';
  return `${browser}, ${os}`;
}
