import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { webAuthnLibrary } from '../../../services/webauthn/library.js';
import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import type { ChallengeAnswer } from './challenge-answer.js';
import { checkClientSecretHash, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { runPostAuthentication } from '../sign-in-triggers.js';
import { authSessionValidityMs } from '../../../domain/auth/sign-in.js';
import { originAllowed, relyingPartyId } from '../../../domain/webauthn/webauthn-config.js';
import type { UserRecord } from '../../../domain/users/user.js';
import { findUser } from '../../../services/directory/find-user.js';
import { INVALID_SESSION, openSession, sealSession } from '../../../services/sessions/auth-session.js';
import { issueTokens, type TokenIssuerDeps } from '../../../services/tokens/tokens.js';
import { openChallenge, readCredential, sealChallenge, useChallenge, userVerification } from '../../../services/webauthn/passkey-rules.js';
import { invalidParameter, MESSAGES, notAuthorized } from '../../../kernel/errors.js';
import type { InitiateAuthResponse, RespondToAuthChallengeResponse } from '../../../model/generated/types.js';

/** The user's passkeys (store), the sealed challenge and session (secrets, clock, random), the relying party (config), then tokens. */
export type WebAuthnDeps = 'store' | 'clock' | 'secrets' | 'random' | 'config' | TokenIssuerDeps;

export const WEB_AUTHN_MESSAGES = {
  // RespondToAuthChallenge declares no WebAuthn exceptions: a passkey that does not verify is
  // refused as a wrong password is, with our text (AWS's is not documented).
  failed: 'The passkey could not be verified.',
  malformed: 'CREDENTIAL is not an AuthenticationResponseJSON.',
} as const;

/**
 * The relying party passkey sign-in runs with, or undefined when there is none (the server lost
 * its --webauthn-rp-id): passkeys are then not offered, since the sign-in operations declare no
 * WebAuthn exceptions.
 */
export function signInRelyingParty(deps: Pick<Deps, 'config'>, sc: SignInClient): string | undefined {
  return relyingPartyId(sc.settings, deps.config.webauthnRpId);
}

/**
 * The WEB_AUTHN challenge of USER_AUTH (cognito-facts-areas.md §3.3): CREDENTIAL_REQUEST_OPTIONS
 * (JSON, for navigator.credentials.get) naming the user's passkeys, with a sealed challenge
 * bound to this user and client and valid as long as the session.
 */
export async function webAuthnChallenge(deps: Pick<Deps, WebAuthnDeps>, sc: SignInClient, user: UserRecord, rpID: string): Promise<InitiateAuthResponse> {
  const credentials = await deps.store.listWebAuthnCredentials(sc.pool.id, user.sub);
  const expiresAt = deps.clock.nowMs() + authSessionValidityMs(sc.clientSettings);
  const challenge = sealChallenge(deps, { kind: 'authentication', id: deps.random.uuid(), poolId: sc.pool.id, userSub: user.sub, clientId: sc.client.id, expiresAt });
  const options = await (await webAuthnLibrary()).generateAuthenticationOptions({
    rpID,
    challenge,
    allowCredentials: credentials.map((c) => ({ id: c.credentialId, transports: c.transports as never })),
    userVerification: userVerification(sc.settings),
    timeout: authSessionValidityMs(sc.clientSettings),
  });
  const session = sealSession(deps.secrets, {
    poolId: sc.pool.id,
    clientId: sc.client.id,
    userSub: user.sub,
    challenge: 'WEB_AUTHN',
    expiresAt,
    passwordSetAt: user.passwordUpdatedAt,
  });
  return { ChallengeName: 'WEB_AUTHN', Session: session, ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) } };
}

/**
 * The answer: CREDENTIAL, an AuthenticationResponseJSON (MODEL RespondToAuthChallenge). The
 * challenge inside must be this session's user's and client's, unexpired and unused; the origin
 * one the relying party allows; then the library checks the relying party hash, the signature
 * with the stored public key, user presence (and verification when the pool requires it) and
 * the signature counter. A counter that does not move forward means a cloned authenticator:
 * refused, and the stored counter moves only from the value that was read, so two uses of one
 * assertion cannot both pass.
 */
export async function answerWebAuthn(deps: Pick<Deps, WebAuthnDeps>, sc: SignInClient, input: ChallengeAnswer, ctx: RequestContext): Promise<RespondToAuthChallengeResponse> {
  const responses = input.ChallengeResponses;
  const username = requiredParameter(responses, 'USERNAME');
  checkClientSecretHash(sc, username, responses?.SECRET_HASH);
  if (input.Session === undefined) throw invalidParameter('Missing required parameter Session');
  const session = openSession(deps.secrets, input.Session, deps.clock.nowMs());
  if (session.poolId !== sc.pool.id || session.clientId !== sc.client.id || session.challenge !== 'WEB_AUTHN') throw notAuthorized(INVALID_SESSION);
  const user = await findUser(deps.store, sc.pool.id, sc.settings, username);
  if (!user || user.sub !== session.userSub || user.status !== 'CONFIRMED') throw notAuthorized(INVALID_SESSION);
  if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
  const failed = () => notAuthorized(WEB_AUTHN_MESSAGES.failed);
  const rpID = signInRelyingParty(deps, sc);
  if (rpID === undefined) throw failed();

  const { json, clientData } = readCredential(requiredParameter(responses, 'CREDENTIAL'), 'authenticatorData', () => invalidParameter(WEB_AUTHN_MESSAGES.malformed));
  const challenge = openChallenge(deps, clientData.challenge);
  if (!challenge || challenge.kind !== 'authentication' || challenge.poolId !== sc.pool.id || challenge.userSub !== user.sub || challenge.clientId !== sc.client.id) throw failed();
  if (deps.clock.nowMs() >= challenge.expiresAt) throw notAuthorized(INVALID_SESSION);
  if (!originAllowed(clientData.origin, rpID)) throw failed();
  const stored = await deps.store.getWebAuthnCredential(sc.pool.id, json.id);
  if (!stored || stored.userSub !== user.sub) throw failed();
  // Spent before the signature is checked: an assertion is good for one attempt.
  if (!(await useChallenge(deps, challenge))) throw notAuthorized(INVALID_SESSION);

  let newCounter: number;
  try {
    const verified = await (await webAuthnLibrary()).verifyAuthenticationResponse({
      response: json as unknown as AuthenticationResponseJSON,
      expectedChallenge: clientData.challenge,
      expectedOrigin: clientData.origin,
      expectedRPID: rpID,
      credential: { id: stored.credentialId, publicKey: new Uint8Array(Buffer.from(stored.publicKey, 'base64url')), counter: stored.signCount },
      requireUserVerification: userVerification(sc.settings) === 'required',
    });
    if (!verified.verified) throw failed();
    newCounter = verified.authenticationInfo.newCounter;
  } catch {
    throw failed();
  }
  // Authenticators that keep no counter report 0 every time; any other must move forward.
  if ((newCounter > 0 || stored.signCount > 0) && !(await deps.store.advanceWebAuthnSignCount(sc.pool.id, stored.credentialId, stored.signCount, newCounter))) throw failed();

  await runPostAuthentication(deps, sc, user, input.ClientMetadata);
  const tokens = await issueTokens(deps, {
    pool: sc.pool,
    client: sc.client,
    user,
    baseUrl: ctx.baseUrl,
    trigger: { source: 'TokenGeneration_Authentication', clientMetadata: input.ClientMetadata },
  });
  return { ChallengeParameters: {}, AuthenticationResult: tokens };
}
