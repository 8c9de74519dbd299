import type { RegistrationResponseJSON, VerifiedRegistrationResponse } from '@simplewebauthn/server';
import { webAuthnLibrary } from '../../services/webauthn/library.js';
import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import { MAX_CREDENTIALS_PER_USER } from '../../domain/webauthn/credential.js';
import { originAllowed } from '../../domain/webauthn/webauthn-config.js';
import { limitExceeded, ServiceError } from '../../kernel/errors.js';
import { PASSKEY_MESSAGES, SUPPORTED_ALGORITHMS, openChallenge, passkeyRelyingParty, readCredential, useChallenge, userVerification } from '../../services/webauthn/passkey-rules.js';

const notSupported = () => new ServiceError('WebAuthnCredentialNotSupportedException', PASSKEY_MESSAGES.notSupported);

/**
 * The browser's answer to StartWebAuthnRegistration (MODEL CompleteWebAuthnRegistration,
 * Credential = RegistrationResponseJSON; cognito-facts-areas.md §3.6). Checked in this order,
 * each with the exception AWS's model names for it: the challenge (this server's, this user's,
 * unexpired, unused: WebAuthnChallengeNotFoundException), the app client that started it
 * (WebAuthnClientMismatchException), the origin (WebAuthnOriginNotAllowedException), then the
 * attestation itself by @simplewebauthn/server: the relying party hash
 * (WebAuthnRelyingPartyMismatchException) and everything else, the signature, the algorithm
 * (ES256, RS256), user presence and verification (WebAuthnCredentialNotSupportedException).
 */
export const completeWebAuthnRegistration: Operation<'CompleteWebAuthnRegistration', AccessTokenDeps | 'secrets' | 'config'> = (deps) => async (input) => {
  const { pool, user, claims } = await authenticateAccessToken(deps, input.AccessToken);
  const settings = settingsOf(pool);
  let rpID: string;
  try {
    rpID = passkeyRelyingParty(settings, deps.config.webauthnRpId);
  } catch (err) {
    // The configuration went away since the start: not this operation's declared error.
    if (err instanceof ServiceError && err.name === 'WebAuthnConfigurationMissingException') throw new ServiceError('WebAuthnRelyingPartyMismatchException', PASSKEY_MESSAGES.rpMismatch);
    throw err;
  }
  const { json, clientData } = readCredential(input.Credential, 'attestationObject', notSupported);
  const challenge = openChallenge(deps, clientData.challenge);
  const now = deps.clock.nowMs();
  if (!challenge || challenge.kind !== 'registration' || challenge.poolId !== pool.id || challenge.userSub !== user.sub || now >= challenge.expiresAt) {
    throw new ServiceError('WebAuthnChallengeNotFoundException', PASSKEY_MESSAGES.challengeNotFound);
  }
  if (challenge.clientId !== claims.client_id) throw new ServiceError('WebAuthnClientMismatchException', PASSKEY_MESSAGES.clientMismatch);
  if (!originAllowed(clientData.origin, rpID)) throw new ServiceError('WebAuthnOriginNotAllowedException', PASSKEY_MESSAGES.originNotAllowed(clientData.origin));
  // Spent before the attestation is checked: a failed answer cannot be retried with the same challenge.
  if (!(await useChallenge(deps, challenge))) throw new ServiceError('WebAuthnChallengeNotFoundException', PASSKEY_MESSAGES.challengeNotFound);

  let verified: VerifiedRegistrationResponse;
  try {
    verified = await (await webAuthnLibrary()).verifyRegistrationResponse({
      response: json as unknown as RegistrationResponseJSON,
      expectedChallenge: clientData.challenge,
      expectedOrigin: clientData.origin,
      expectedRPID: rpID,
      requireUserVerification: userVerification(settings) === 'required',
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
    });
  } catch (err) {
    if (err instanceof Error && err.message.includes('RP ID')) throw new ServiceError('WebAuthnRelyingPartyMismatchException', PASSKEY_MESSAGES.rpMismatch);
    throw notSupported();
  }
  if (!verified.verified) throw notSupported();
  const { credential } = verified.registrationInfo;

  const existing = await deps.store.listWebAuthnCredentials(pool.id, user.sub);
  if (existing.length >= MAX_CREDENTIALS_PER_USER) throw limitExceeded(PASSKEY_MESSAGES.tooMany(MAX_CREDENTIALS_PER_USER));
  const attachment = json.authenticatorAttachment;
  const inserted = await deps.store.insertWebAuthnCredential({
    poolId: pool.id,
    userSub: user.sub,
    credentialId: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    signCount: credential.counter,
    transports: credential.transports ?? [],
    friendlyName: null,
    relyingPartyId: rpID,
    attachment: typeof attachment === 'string' ? attachment : null,
    createdAt: now,
  });
  if (!inserted) throw new ServiceError('WebAuthnCredentialNotSupportedException', PASSKEY_MESSAGES.alreadyRegistered);
  return {};
};
