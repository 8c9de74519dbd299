import type { Deps } from '../../../services/deps.js';
import type { SignInClient } from '../sign-in-client.js';
import type { InitiateAuthResponse } from '../../../model/generated/types.js';
import type { UserRecord } from '../../../domain/users/user.js';
import { authSessionValidityMs } from '../../../domain/auth/sign-in.js';
import { mfaModeOf, mfaStepFor, type MfaMethod } from '../../../domain/mfa/mfa-settings.js';
import { maskDestination } from '../../../domain/messages/mask-destination.js';
import { sealSession, type AuthSession, type MfaSessionState } from '../../../services/sessions/auth-session.js';
import { queueMessage } from '../../../services/delivery/outbox.js';
import { renderMessage } from '../../../services/delivery/render.js';

/** The user's factors (store), the session (secrets, clock), a code and its message (codes, random, config, lambda, queuedChannels, onMessageQueued). */
export type MfaStepDeps = 'store' | 'clock' | 'secrets' | 'random' | 'codes' | 'config' | 'lambda' | 'queuedChannels' | 'onMessageQueued';

/** The code of SMS_MFA and EMAIL_OTP: one live code per user, bound to where it went. */
export const MFA_CODE_PURPOSE = 'sign_in_mfa';

/**
 * The MFA step of a sign-in whose password (and new password) is proven, or undefined when
 * there is none (cognito-facts-areas.md 3.1, 3.3): a factor's challenge, SELECT_MFA_TYPE, or
 * MFA_SETUP. A pool with MFA OFF costs nothing here; otherwise one read of the user's factors.
 */
export async function startMfaStep(
  deps: Pick<Deps, MfaStepDeps>,
  sc: SignInClient,
  user: UserRecord,
  clientMetadata?: Record<string, string>,
): Promise<InitiateAuthResponse | undefined> {
  if (mfaModeOf(sc.settings) === 'OFF') return undefined;
  const mfa = await deps.store.getUserMfa(sc.pool.id, user.sub);
  const step = mfaStepFor(sc.settings, user.attributes, mfa);
  switch (step.kind) {
    case 'none':
      return undefined;
    case 'challenge':
      return mfaChallenge(deps, sc, user, step.method, clientMetadata);
    case 'select':
      return {
        ChallengeName: 'SELECT_MFA_TYPE',
        Session: mfaSession(deps, sc, user, 'SELECT_MFA_TYPE', { methods: step.methods }),
        ChallengeParameters: { MFAS_CAN_CHOOSE: JSON.stringify(step.methods), USER_ID_FOR_SRP: user.username },
      };
    case 'setup':
      return {
        ChallengeName: 'MFA_SETUP',
        Session: mfaSession(deps, sc, user, 'MFA_SETUP', { methods: step.methods }),
        ChallengeParameters: { MFAS_CAN_SETUP: JSON.stringify(step.methods), USER_ID_FOR_SRP: user.username },
      };
  }
}

/**
 * The challenge of one factor. SMS and email get a fresh code, valid as long as the session
 * (cognito-facts-areas.md 3.1), queued in the outbox with the pool's authentication message
 * (or the CustomMessage_Authentication function's); the parameters name the medium and the
 * masked destination (3.3).
 */
export async function mfaChallenge(
  deps: Pick<Deps, MfaStepDeps>,
  sc: SignInClient,
  user: UserRecord,
  method: MfaMethod,
  clientMetadata?: Record<string, string>,
): Promise<InitiateAuthResponse> {
  if (method === 'SOFTWARE_TOKEN_MFA') {
    return { ChallengeName: method, Session: mfaSession(deps, sc, user, method, {}), ChallengeParameters: {} };
  }
  return codeChallenge(deps, sc, user, method, clientMetadata);
}

/**
 * A challenge answered with a code sent now: SMS_MFA and EMAIL_OTP as a second factor, and
 * EMAIL_OTP and SMS_OTP as the first factor of USER_AUTH (flows/user-auth-sign-in.ts), which
 * AWS sends and checks the same way (cognito-facts-areas.md 3.3: "same delivery params").
 */
export async function codeChallenge(
  deps: Pick<Deps, MfaStepDeps>,
  sc: SignInClient,
  user: UserRecord,
  method: 'SMS_MFA' | 'EMAIL_OTP' | 'SMS_OTP',
  clientMetadata?: Record<string, string>,
  /** More for the session to carry to the answer (an email setup, mfa-email-setup.ts). */
  extra: Omit<MfaSessionState, 'destination'> = {},
): Promise<InitiateAuthResponse> {
  const medium = method === 'EMAIL_OTP' ? 'EMAIL' : 'SMS';
  const destination = (medium === 'SMS' ? user.attributes.phone_number : user.attributes.email) ?? '';
  // Rendered before the transaction: a CustomMessage function must not run while it is open.
  const text = await renderMessage(deps, { pool: sc.pool, settings: sc.settings, user, trigger: 'Authentication', channel: medium, clientId: sc.client.id, clientMetadata });
  const ttlMs = authSessionValidityMs(sc.clientSettings);
  await deps.store.transaction(async (tx) => {
    const code = await deps.codes.issue(tx, { poolId: sc.pool.id, userSub: user.sub, purpose: MFA_CODE_PURPOSE, destination }, ttlMs);
    await queueMessage(tx, deps, {
      user,
      settings: sc.settings,
      trigger: 'Authentication',
      channel: medium,
      destination,
      payload: { code, clientId: sc.client.id, clientMetadata, ...text, expiresAt: deps.clock.nowMs() + ttlMs },
    });
  });
  deps.onMessageQueued();
  return {
    ChallengeName: method,
    Session: mfaSession(deps, sc, user, method, { ...extra, destination }),
    ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: medium, CODE_DELIVERY_DESTINATION: maskDestination(medium, destination) },
  };
}

function mfaSession(deps: Pick<Deps, 'secrets' | 'clock'>, sc: SignInClient, user: UserRecord, challenge: AuthSession['challenge'], mfa: MfaSessionState): string {
  return sealSession(deps.secrets, {
    poolId: sc.pool.id,
    clientId: sc.client.id,
    userSub: user.sub,
    challenge,
    expiresAt: deps.clock.nowMs() + authSessionValidityMs(sc.clientSettings),
    passwordSetAt: user.passwordUpdatedAt,
    mfa,
  });
}
