import { webAuthnLibrary } from '../../services/webauthn/library.js';
import type { Operation } from '../operation.js';
import { authenticateAccessToken, type AccessTokenDeps } from '../../services/tokens/access-token.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import { MAX_CREDENTIALS_PER_USER } from '../../domain/webauthn/credential.js';
import { limitExceeded } from '../../kernel/errors.js';
import { PASSKEY_MESSAGES, REGISTRATION_CHALLENGE_MS, SUPPORTED_ALGORITHMS, passkeyRelyingParty, sealChallenge, userVerification } from '../../services/webauthn/passkey-rules.js';

/**
 * A signed-in user begins registering a passkey (MODEL StartWebAuthnRegistration;
 * cognito-facts-areas.md §3.6): the answer's CredentialCreationOptions go to the browser's
 * navigator.credentials.create. The challenge is sealed and names this user and app client, so
 * CompleteWebAuthnRegistration can check both without stored state.
 */
export const startWebAuthnRegistration: Operation<'StartWebAuthnRegistration', AccessTokenDeps | 'secrets' | 'random' | 'config'> = (deps) => async (input) => {
  const { pool, user, claims } = await authenticateAccessToken(deps, input.AccessToken);
  const settings = settingsOf(pool);
  const rpID = passkeyRelyingParty(settings, deps.config.webauthnRpId);
  const existing = await deps.store.listWebAuthnCredentials(pool.id, user.sub);
  if (existing.length >= MAX_CREDENTIALS_PER_USER) throw limitExceeded(PASSKEY_MESSAGES.tooMany(MAX_CREDENTIALS_PER_USER));
  const challenge = sealChallenge(deps, {
    kind: 'registration',
    id: deps.random.uuid(),
    poolId: pool.id,
    userSub: user.sub,
    clientId: claims.client_id,
    expiresAt: deps.clock.nowMs() + REGISTRATION_CHALLENGE_MS,
  });
  const options = await (await webAuthnLibrary()).generateRegistrationOptions({
    rpName: pool.name,
    rpID,
    userName: user.username,
    userID: Buffer.from(user.sub, 'utf8'),
    userDisplayName: user.attributes.email ?? user.username,
    challenge,
    timeout: REGISTRATION_CHALLENGE_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports as never })),
    authenticatorSelection: { residentKey: 'required', userVerification: userVerification(settings) },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  });
  return { CredentialCreationOptions: options };
};
