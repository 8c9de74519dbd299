import type { Deps } from '../deps.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { allowedFirstFactors } from '../../domain/auth/first-factors.js';
import { relyingPartyId, webAuthnConfigOf } from '../../domain/webauthn/webauthn-config.js';
import { ServiceError } from '../../kernel/errors.js';

/**
 * What the passkey operations and the WEB_AUTHN challenge share: the pool's relying party, the
 * challenges they hand out (sealed, so no state is kept until the answer, and used once), and
 * the reading of the browser's JSON. AWS's texts for the WebAuthn exceptions are not documented
 * (cognito-facts-areas.md, Appendix 10): these are ours.
 */
export const PASSKEY_MESSAGES = {
  notEnabled: 'Passkey sign-in is not enabled for this user pool (Policies.SignInPolicy.AllowedFirstAuthFactors has no WEB_AUTHN).',
  configurationMissing: 'The user pool has no passkey relying party id (WebAuthnConfiguration.RelyingPartyId, or the server\'s --webauthn-rp-id).',
  challengeNotFound: 'The passkey challenge was not found: it expired, was used, or was not issued for this user.',
  clientMismatch: 'The passkey registration was started by another app client.',
  originNotAllowed: (origin: string) => `The origin ${origin} is not allowed for this user pool's relying party.`,
  rpMismatch: 'The passkey was made for another relying party.',
  notSupported: 'The passkey credential is not supported or could not be verified.',
  tooMany: (max: number) => `A user can register at most ${max} passkeys.`,
  alreadyRegistered: 'This passkey is already registered.',
} as const;

/** The friendly name of a passkey: AWS names it after the authenticator model, which needs metadata userpoold does not keep (ours). */
export const DEFAULT_FRIENDLY_NAME = 'Passkey';

/** How long a registration challenge may wait for its answer (AWS's is not documented). */
export const REGISTRATION_CHALLENGE_MS = 5 * 60 * 1000;

/** The most of the browser's JSON a passkey answer may carry (clientDataJSON is a few hundred bytes in practice). */
export const MAX_CLIENT_DATA_BYTES = 4096;
export const MAX_ATTESTATION_BYTES = 32768;

/** COSE algorithms accepted: ES256 and RS256, what platform authenticators produce. */
export const SUPPORTED_ALGORITHMS = [-7, -257];

/** The pool's relying party id, once passkeys are on for it. */
export function passkeyRelyingParty(settings: PoolSettings, serverDefault: string | undefined): string {
  if (!allowedFirstFactors(settings).includes('WEB_AUTHN')) throw new ServiceError('WebAuthnNotEnabledException', PASSKEY_MESSAGES.notEnabled);
  const rpId = relyingPartyId(settings, serverDefault);
  if (rpId === undefined) throw new ServiceError('WebAuthnConfigurationMissingException', PASSKEY_MESSAGES.configurationMissing);
  return rpId;
}

/** Whether the pool asks authenticators for user verification (MODEL WebAuthnConfigurationType: preferred by default). */
export function userVerification(settings: PoolSettings): 'required' | 'preferred' {
  return webAuthnConfigOf(settings)?.UserVerification === 'required' ? 'required' : 'preferred';
}

/** What a passkey challenge stands for; sealed into the challenge the authenticator signs. */
export interface PasskeyChallenge {
  kind: 'registration' | 'authentication';
  id: string;
  poolId: string;
  userSub: string;
  clientId: string;
  expiresAt: number;
}

/** The challenge bytes handed to the browser: the sealed record, so nothing is stored until it comes back. */
export function sealChallenge(deps: Pick<Deps, 'secrets'>, challenge: PasskeyChallenge): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(deps.secrets.seal(JSON.stringify(challenge)), 'utf8'));
}

/** The record behind a challenge as clientDataJSON carries it (base64url), or undefined for anything else. */
export function openChallenge(deps: Pick<Deps, 'secrets'>, encoded: string): PasskeyChallenge | undefined {
  try {
    const parsed = JSON.parse(deps.secrets.open(Buffer.from(encoded, 'base64url').toString('utf8'))) as Partial<PasskeyChallenge>;
    const { kind, id, poolId, userSub, clientId, expiresAt } = parsed;
    if ((kind !== 'registration' && kind !== 'authentication') || typeof id !== 'string' || typeof poolId !== 'string') return undefined;
    if (typeof userSub !== 'string' || typeof clientId !== 'string' || typeof expiresAt !== 'number') return undefined;
    return { kind, id, poolId, userSub, clientId, expiresAt };
  } catch {
    return undefined;
  }
}

/** Marks a challenge used; false when it already was (a replayed answer). */
export function useChallenge(deps: Pick<Deps, 'store' | 'clock'>, challenge: PasskeyChallenge): Promise<boolean> {
  return deps.store.useOnce(`webauthn-challenge:${challenge.id}`, challenge.expiresAt, deps.clock.nowMs());
}

/** The parts of a RegistrationResponseJSON / AuthenticationResponseJSON read before the library checks the rest. */
export interface CredentialParts {
  json: Record<string, unknown> & { id: string; response: Record<string, unknown> };
  clientData: { type?: unknown; challenge: string; origin: string };
}

/**
 * Reads a credential (an object, or its JSON text) far enough to find its challenge and origin,
 * refusing oversized or malformed input with `refuse` so that none reaches the library.
 */
export function readCredential(value: unknown, binaryField: 'attestationObject' | 'authenticatorData', refuse: () => Error): CredentialParts {
  let json: unknown = value;
  if (typeof value === 'string') {
    if (value.length > MAX_ATTESTATION_BYTES * 2) throw refuse();
    try {
      json = JSON.parse(value);
    } catch {
      throw refuse();
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw refuse();
  const record = json as Record<string, unknown>;
  const response = record.response;
  if (typeof record.id !== 'string' || typeof response !== 'object' || response === null) throw refuse();
  const fields = response as Record<string, unknown>;
  const clientDataJSON = fields.clientDataJSON;
  const binary = fields[binaryField];
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > (MAX_CLIENT_DATA_BYTES * 4) / 3 + 4) throw refuse();
  if (typeof binary !== 'string' || binary.length > (MAX_ATTESTATION_BYTES * 4) / 3 + 4) throw refuse();
  let clientData: unknown;
  try {
    clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (typeof clientData !== 'object' || clientData === null) throw refuse();
  const { challenge, origin, type } = clientData as Record<string, unknown>;
  if (typeof challenge !== 'string' || typeof origin !== 'string') throw refuse();
  return { json: record as CredentialParts['json'], clientData: { type, challenge, origin } };
}
