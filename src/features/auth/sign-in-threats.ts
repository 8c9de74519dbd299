import type { Deps } from '../../services/deps.js';
import type { RequestContext } from '../../kernel/request-context.js';
import type { SignInClient } from './sign-in-client.js';
import type { UserRecord } from '../../domain/users/user.js';
import type { AuthEventRecord } from '../../domain/security/auth-event.js';
import type { ChallengeResponseType, ContextDataType, UserContextDataType } from '../../model/generated/types.js';
import { MESSAGES, ServiceError, invalidPassword, notAuthorized, passwordResetRequired } from '../../kernel/errors.js';
import { userAddressOf } from '../../domain/clients/context-data.js';
import { findUser } from '../../services/directory/find-user.js';
import { passwordVerdict, recordAuthEvent, threatContext, updateRecordedEvent, THREAT_MESSAGES, type ThreatContext } from '../../services/threat/threat-context.js';

/** The risk configuration and user (store), the event (clock, random), a blocked password (hasher), the userAuthEvents log. */
export type SignInThreatDeps = 'store' | 'clock' | 'random' | 'hasher' | 'compromisedPasswords' | 'authEventLog';

/**
 * What one sign-in step is, for threat protection:
 * - `password`: the step that proves the password (a new SignIn event); `password` in clear
 *   where the flow sends it (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, the PASSWORD choice),
 *   absent for SRP, which AWS does not check for compromised credentials either
 *   (DG cognito-user-pool-settings-compromised-credentials);
 * - `mfa`: an MFA answer, which completes the user's sign-in event that is InProgress;
 * - `next`: any other step of a sign-in under way (new password, device, MFA setup); a
 *   NEW_PASSWORD_REQUIRED answer brings its `newPassword`, which the compromised-credentials
 *   check judges as a password change (EventFilter PASSWORD_CHANGE: the user sets a password);
 * - `custom-start` and `custom`: CUSTOM_AUTH's InitiateAuth (a new SignIn event) and its
 *   CUSTOM_CHALLENGE answers (which complete it), watched only under
 *   AdvancedSecurityAdditionalFlows.CustomAuthMode.
 * Refreshes record no events (docs/compatibility.md).
 */
export interface SignInStep {
  kind: 'password' | 'mfa' | 'next' | 'custom-start' | 'custom';
  username: string | undefined;
  password?: string | undefined;
  newPassword?: string | undefined;
}

/** How long a sign-in stays InProgress at most: the longest session validity (15 minutes). */
const IN_PROGRESS_MS = 15 * 60_000;

/**
 * The address threat protection judges in AdminInitiateAuth and AdminRespondToAuthChallenge: the
 * user's from ContextData (API_ContextDataType, "The source IP address of your user's device"),
 * with its User-Agent header for the device name; without ContextData, the request's source.
 */
export function originOf(ctx: RequestContext, contextData: ContextDataType | undefined): { ipAddress: string | undefined; userAgent?: string | undefined } {
  if (contextData) {
    const agent = contextData.HttpHeaders?.find((h) => h.headerName?.toLowerCase() === 'user-agent')?.headerValue;
    return { ipAddress: contextData.IpAddress, userAgent: agent ?? undefined };
  }
  return { ipAddress: ctx.sourceIp };
}

/**
 * The address judged in InitiateAuth and RespondToAuthChallenge: UserContextData.IpAddress when
 * the client has EnablePropagateAdditionalUserContextData, else the request's source
 * (domain/clients/context-data.ts). No I/O: free while the mode is OFF.
 */
export function publicOriginOf(ctx: RequestContext, sc: SignInClient, userContextData: UserContextDataType | undefined): { ipAddress: string | undefined } {
  return { ipAddress: userAddressOf(ctx.sourceIp, sc.clientSettings, userContextData) };
}

/**
 * Runs one sign-in step under threat protection. With the pool's mode OFF this only runs the
 * step (no read, no write). Otherwise: an address in BlockedIPRangeList is refused (ENFORCED);
 * a correct password found on the compromised list with EventAction BLOCK puts the user in
 * RESET_REQUIRED and is refused ("When Amazon Cognito blocks sign-in for a user, it sets the
 * user's UserStatus to RESET_REQUIRED", DG compromised credentials); then the step runs and its
 * outcome is recorded: one insert (or one update of the event InProgress) per step.
 */
export async function guardSignInStep<T extends { AuthenticationResult?: unknown; ChallengeName?: unknown }>(
  deps: Pick<Deps, SignInThreatDeps>,
  sc: SignInClient,
  origin: { ipAddress: string | undefined; userAgent?: string | undefined },
  step: SignInStep,
  run: () => Promise<T>,
): Promise<T> {
  const custom = step.kind === 'custom-start' || step.kind === 'custom';
  const tc = await threatContext(deps, sc.pool.id, sc.settings, sc.client.id, origin, custom ? 'custom' : 'standard');
  if (!tc) return run();
  const user = step.username === undefined ? undefined : await findUser(deps.store, sc.pool.id, sc.settings, step.username);
  if (tc.blockedIp && tc.mode === 'ENFORCED') {
    if (user) await settle(deps, tc, user, step, 'Fail', [], { blocked: true, compromised: false }, true);
    throw notAuthorized(THREAT_MESSAGES.blockedIp);
  }
  const verdict = passwordVerdict(deps, tc, 'SIGN_IN', step.kind === 'password' ? step.password : undefined);
  if (verdict.block && user?.passwordHash && step.password !== undefined && (await deps.hasher.verify(user.passwordHash, step.password))) {
    // Only a proven password resets the account: a guess cannot lock another user out.
    await deps.store.transaction(async (tx) => {
      const current = await tx.getUserBySub(sc.pool.id, user.sub);
      if (!current) return;
      const now = deps.clock.nowMs();
      await tx.updateUser({ ...current, status: 'RESET_REQUIRED', passwordHash: null, srp: null, updatedAt: now });
      await tx.revokeUserRefreshTokens(current.sub, now);
      await recordAuthEvent(tx, deps, tc, { userSub: current.sub, eventType: 'SignIn', response: 'Fail', challenges: [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }], blocked: true, compromised: true });
    });
    throw passwordResetRequired(MESSAGES.passwordResetRequired);
  }
  // A new password (NEW_PASSWORD_REQUIRED) is a password the user sets: PASSWORD_CHANGE. Refused
  // like ChangePassword's, before the answer is taken, so the session allows another password.
  const changed = step.newPassword === undefined ? undefined : passwordVerdict(deps, tc, 'PASSWORD_CHANGE', step.newPassword);
  if (changed?.block) {
    if (user) await settle(deps, tc, user, step, 'InProgress', [], { blocked: true, compromised: true });
    throw invalidPassword(THREAT_MESSAGES.compromisedPassword);
  }
  const risk = { blocked: tc.blockedIp || verdict.block, compromised: verdict.detected || changed?.detected === true };
  let result: T;
  try {
    result = await run();
  } catch (err) {
    if (user && err instanceof ServiceError && COUNTED_FAILURES.has(err.name)) {
      await settle(deps, tc, user, step, 'Fail', failedChallenges(step, err), risk);
    }
    throw err;
  }
  const response = result.AuthenticationResult ? 'Pass' : 'InProgress';
  // The user the step signed in, when the name did not resolve (a migrated user).
  const signedIn = user ?? (step.username === undefined ? undefined : await findUser(deps.store, sc.pool.id, sc.settings, step.username));
  if (signedIn) await settle(deps, tc, signedIn, step, response, passedChallenges(step), risk);
  return result;
}

/** Refusals that are outcomes of the sign-in (not malformed requests). */
const COUNTED_FAILURES = new Set<string>([
  'NotAuthorizedException',
  'PasswordResetRequiredException',
  'UserNotConfirmedException',
  'CodeMismatchException',
  'ExpiredCodeException',
  'UserLambdaValidationException',
]);

function failedChallenges(step: SignInStep, err: ServiceError): ChallengeResponseType[] {
  if (step.kind === 'password' && err.name === 'NotAuthorizedException' && err.message === MESSAGES.incorrectCredentials) {
    return [{ ChallengeName: 'Password', ChallengeResponse: 'Failure' }];
  }
  if (step.kind === 'mfa' && (err.name === 'CodeMismatchException' || err.name === 'ExpiredCodeException')) return [{ ChallengeName: 'Mfa', ChallengeResponse: 'Failure' }];
  return [];
}

function passedChallenges(step: SignInStep): ChallengeResponseType[] {
  if (step.kind === 'password') return [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }];
  if (step.kind === 'mfa') return [{ ChallengeName: 'Mfa', ChallengeResponse: 'Success' }];
  return [];
}

/** A password step starts an event; a later step completes the user's event InProgress (or starts one if there is none). */
async function settle(
  deps: Pick<Deps, 'store' | 'clock' | 'random'>,
  tc: ThreatContext,
  user: UserRecord,
  step: SignInStep,
  response: AuthEventRecord['response'],
  challenges: ChallengeResponseType[],
  risk: { blocked: boolean; compromised: boolean },
  /** The sign-in ends here (refused outright), whatever step it was at. */
  final = false,
): Promise<void> {
  if (step.kind !== 'password' && step.kind !== 'custom-start') {
    const [latest] = await deps.store.listAuthEvents(tc.poolId, user.sub, 1);
    if (latest && latest.eventType === 'SignIn' && latest.response === 'InProgress' && deps.clock.nowMs() - latest.createdAt < IN_PROGRESS_MS) {
      // A failed MFA code leaves the sign-in under way (the session allows more tries).
      const next = response === 'Fail' && step.kind === 'mfa' && !final ? 'InProgress' : response;
      await updateRecordedEvent(deps.store, tc, {
        ...latest,
        response: next,
        challenges: [...latest.challenges, ...challenges],
        risk: {
          ...latest.risk,
          decision: risk.blocked || latest.risk.decision === 'Block' ? 'Block' : latest.risk.decision,
          compromisedCredentialsDetected: latest.risk.compromisedCredentialsDetected || risk.compromised,
        },
      });
      return;
    }
  }
  await recordAuthEvent(deps.store, deps, tc, { userSub: user.sub, eventType: 'SignIn', response, challenges, ...risk });
}

/** The InitiateAuth and AdminInitiateAuth flows threat protection watches, and how. */
export function initiateStep(flow: string, params: Record<string, string> | undefined): SignInStep | undefined {
  const username = params?.USERNAME;
  switch (flow) {
    case 'USER_PASSWORD_AUTH':
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      return { kind: 'password', username, password: params?.PASSWORD };
    case 'USER_AUTH':
      // A PASSWORD given up front proves the password now; otherwise a first factor is chosen
      // next, and the event starts with the answer that proves it (only the address is judged here).
      return params?.PASSWORD !== undefined ? { kind: 'password', username, password: params.PASSWORD } : { kind: 'next', username: undefined };
    case 'USER_SRP_AUTH':
      // Nothing is proven before PASSWORD_VERIFIER: only the address is judged.
      return { kind: 'next', username: undefined };
    case 'CUSTOM_AUTH':
      // Custom authentication starts its SignIn event here (under CustomAuthMode); with SRP_A the
      // PASSWORD_VERIFIER answer is a password step like any other.
      return { kind: 'custom-start', username };
    default:
      return undefined;
  }
}

/** The challenge answers threat protection watches, and how. */
export function challengeStep(challenge: string, responses: Record<string, string> | undefined): SignInStep | undefined {
  const username = responses?.USERNAME;
  switch (challenge) {
    case 'PASSWORD_VERIFIER':
      return { kind: 'password', username };
    case 'PASSWORD':
      return { kind: 'password', username, password: responses?.PASSWORD };
    case 'SMS_MFA':
    case 'SOFTWARE_TOKEN_MFA':
    case 'EMAIL_OTP':
    case 'SMS_OTP':
      return { kind: 'mfa', username };
    case 'CUSTOM_CHALLENGE':
      return { kind: 'custom', username };
    case 'NEW_PASSWORD_REQUIRED':
      return { kind: 'next', username, newPassword: responses?.NEW_PASSWORD };
    default:
      return { kind: 'next', username };
  }
}
