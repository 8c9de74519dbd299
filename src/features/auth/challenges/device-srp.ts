import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import type { ChallengeAnswer } from './challenge-answer.js';
import { requiredParameter, type SignInClient } from '../sign-in-client.js';
import { openAnswer, type MfaAnswerDeps } from './mfa-answers.js';
import { finishSignIn, type FinishSignInDeps } from '../finish-sign-in.js';
import type { UserRecord } from '../../../domain/users/user.js';
import { deviceCanReplaceMfa, type DeviceRecord } from '../../../domain/devices/device.js';
import { authSessionValidityMs } from '../../../domain/auth/sign-in.js';
import { mfaModeOf, mfaStepFor } from '../../../domain/mfa/mfa-settings.js';
import {
  claimSignature,
  formatSrpTimestamp,
  parseClientA,
  parseSrpTimestamp,
  serverPublicB,
  serverSessionKey,
  signatureMatches,
  timestampAcceptable,
} from '../../../domain/auth/srp-protocol.js';
import { MESSAGES, invalidParameter, notAuthorized } from '../../../kernel/errors.js';
import type { InitiateAuthResponse, RespondToAuthChallengeResponse } from '../../../model/generated/types.js';
import { deviceNotFound, openDeviceVerifier } from '../../../services/devices/sign-in-device.js';
import { newServerSecret, openSecretBlock, sealSecretBlock, secretBlockExpiresAt } from '../../../services/passwords/srp.js';
import { INVALID_SESSION, sealSession } from '../../../services/sessions/auth-session.js';

/**
 * A remembered device instead of the second factor (cognito-facts-areas.md 3.3, 3.5): after
 * the password, a request naming a remembered device gets DEVICE_SRP_AUTH; the device answers
 * SRP_A, gets DEVICE_PASSWORD_VERIFIER (its salt, B and a SECRET_BLOCK) and proves it holds
 * the password behind the verifier ConfirmDevice stored. The SRP is the user's (srp-protocol.ts)
 * with the DeviceGroupKey where the pool name goes and the DeviceKey where the user id goes
 * (amazon-cognito-identity-js AuthenticationHelper.generateHashDevice, CognitoUser.getDeviceResponse).
 */

export type DeviceChallengeDeps = MfaAnswerDeps | FinishSignInDeps;

/**
 * Whether the device stands in for this sign-in's second factor: the pool lets remembered
 * devices do so (ChallengeRequiredOnNewDevice), this one is remembered, and the user would
 * otherwise meet an MFA challenge (not MFA_SETUP, which a device cannot do for the user).
 * Device authentication replaces MFA only where the pool uses MFA [DOC23].
 */
export async function deviceReplacesMfa(deps: Pick<Deps, 'store'>, sc: SignInClient, user: UserRecord, device: DeviceRecord | undefined): Promise<boolean> {
  if (!deviceCanReplaceMfa(sc.settings) || device?.status !== 'remembered' || device.verifierSealed === null || mfaModeOf(sc.settings) === 'OFF') return false;
  const step = mfaStepFor(sc.settings, user.attributes, await deps.store.getUserMfa(sc.pool.id, user.sub));
  return step.kind === 'challenge' || step.kind === 'select';
}

function deviceSession(deps: Pick<Deps, 'secrets' | 'clock'>, sc: SignInClient, user: UserRecord, challenge: 'DEVICE_SRP_AUTH' | 'DEVICE_PASSWORD_VERIFIER', device: { key: string; secretBlockId?: string }): string {
  return sealSession(deps.secrets, {
    poolId: sc.pool.id,
    clientId: sc.client.id,
    userSub: user.sub,
    challenge,
    expiresAt: deps.clock.nowMs() + authSessionValidityMs(sc.clientSettings),
    passwordSetAt: user.passwordUpdatedAt,
    device,
  });
}

/** The DEVICE_SRP_AUTH challenge that follows the password when the device replaces MFA. */
export function deviceSrpChallenge(deps: Pick<Deps, 'secrets' | 'clock'>, sc: SignInClient, user: UserRecord, device: DeviceRecord): InitiateAuthResponse {
  return { ChallengeName: 'DEVICE_SRP_AUTH', Session: deviceSession(deps, sc, user, 'DEVICE_SRP_AUTH', { key: device.deviceKey }), ChallengeParameters: {} };
}

/** The remembered device the answer names, which must be the one the session was opened for. */
async function sessionDevice(deps: Pick<Deps, 'store'>, sc: SignInClient, user: UserRecord, sessionKey: string | undefined, input: ChallengeAnswer): Promise<DeviceRecord> {
  const deviceKey = requiredParameter(input.ChallengeResponses, 'DEVICE_KEY');
  if (deviceKey !== sessionKey) throw notAuthorized(INVALID_SESSION);
  const device = await deps.store.getDevice(sc.pool.id, user.sub, deviceKey);
  // Forgotten, or no longer remembered, since the password step.
  if (!device || device.status !== 'remembered') throw deviceNotFound();
  return device;
}

/** DEVICE_SRP_AUTH answered with DEVICE_KEY and SRP_A: the device's salt, B and SECRET_BLOCK. */
export async function answerDeviceSrpAuth(deps: Pick<Deps, DeviceChallengeDeps>, sc: SignInClient, input: ChallengeAnswer): Promise<RespondToAuthChallengeResponse> {
  const { session, user } = await openAnswer(deps, sc, input, 'DEVICE_SRP_AUTH');
  const device = await sessionDevice(deps, sc, user, session.device?.key, input);
  const A = parseClientA(requiredParameter(input.ChallengeResponses, 'SRP_A'));
  if (A === undefined) throw invalidParameter('SRP_A is not a valid value.');
  const secret = openDeviceVerifier(deps.secrets, device);
  if (!secret) throw deviceNotFound();
  const b = newServerSecret(deps);
  const B = serverPublicB(secret.verifier, b);
  const id = deps.random.uuid();
  const secretBlock = sealSecretBlock(deps.secrets, {
    id,
    poolId: sc.pool.id,
    clientId: sc.client.id,
    userSub: user.sub,
    name: user.username,
    userIdForSrp: device.deviceKey,
    b: b.toString(16),
    A: A.toString(16),
    issuedAt: deps.clock.nowMs(),
  });
  return {
    ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
    Session: deviceSession(deps, sc, user, 'DEVICE_PASSWORD_VERIFIER', { key: device.deviceKey, secretBlockId: id }),
    ChallengeParameters: { SALT: secret.saltHex, SRP_B: B.toString(16), SECRET_BLOCK: secretBlock, USERNAME: user.username, DEVICE_KEY: device.deviceKey },
  };
}

/**
 * DEVICE_PASSWORD_VERIFIER: the claim signed with the key only the device's password yields,
 * over the DeviceGroupKey, the DeviceKey, the SECRET_BLOCK and the TIMESTAMP. The block must be
 * the one this session was given, unexpired and unused (consumed here, whatever the outcome).
 */
export async function answerDevicePasswordVerifier(
  deps: Pick<Deps, DeviceChallengeDeps>,
  sc: SignInClient,
  input: ChallengeAnswer,
  ctx: RequestContext,
): Promise<RespondToAuthChallengeResponse> {
  const { session, user } = await openAnswer(deps, sc, input, 'DEVICE_PASSWORD_VERIFIER');
  const responses = input.ChallengeResponses;
  const secretBlock = requiredParameter(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requiredParameter(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const claimedAt = parseSrpTimestamp(requiredParameter(responses, 'TIMESTAMP'));
  if (claimedAt === undefined) throw invalidParameter('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
  const device = await sessionDevice(deps, sc, user, session.device?.key, input);

  const block = openSecretBlock(deps.secrets, secretBlock);
  if (!block || block.id !== session.device?.secretBlockId || block.userSub !== user.sub) throw notAuthorized(MESSAGES.incorrectCredentials);
  const now = deps.clock.nowMs();
  const expiresAt = secretBlockExpiresAt(block);
  if (now >= expiresAt || !(await deps.store.useOnce(`srp-secret-block:${block.id}`, expiresAt, now))) throw notAuthorized(INVALID_SESSION);

  const secret = openDeviceVerifier(deps.secrets, device);
  if (!secret || !timestampAcceptable(claimedAt, now)) throw notAuthorized(MESSAGES.incorrectCredentials);
  const b = BigInt(`0x${block.b}`);
  const key = serverSessionKey(BigInt(`0x${block.A}`), serverPublicB(secret.verifier, b), b, secret.verifier);
  const expected = key && claimSignature(key, device.deviceGroupKey, device.deviceKey, Buffer.from(secretBlock, 'base64'), formatSrpTimestamp(claimedAt));
  if (!expected || !signatureMatches(expected, signature)) throw notAuthorized(MESSAGES.incorrectCredentials);
  return finishSignIn(deps, sc, user, ctx, { clientMetadata: input.ClientMetadata, deviceKey: device.deviceKey });
}
