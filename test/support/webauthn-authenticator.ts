import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A software passkey authenticator for tests: real attestations ("none" format) and assertions
 * with ES256 (P-256) or RS256 keys, built from node:crypto and a small CBOR encoder, so the
 * server's WebAuthn library verifies them for real. Its parts can be bent (origin, RP id,
 * counter, challenge) to provoke each refusal.
 */

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | { [key: string]: Cbor };

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(length, 1);
  return b;
}

/** Canonical enough CBOR (RFC 8949) for WebAuthn: integers, byte and text strings, arrays, maps. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

export type Algorithm = 'ES256' | 'RS256';

export interface AuthenticatorOptions {
  algorithm?: Algorithm;
  origin: string;
  rpId: string;
  /** Whether the user verification flag is set (biometric or PIN checked). */
  userVerified?: boolean;
}

export interface Overrides {
  origin?: string;
  rpId?: string;
  challenge?: string;
  type?: string;
  /** The signature counter to report (default: the authenticator's next). */
  counter?: number;
}

export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  readonly algorithm: Algorithm;
  private readonly privateKey: KeyObject;
  private readonly publicJwk: Record<string, string>;
  counter = 0;

  constructor(private readonly options: AuthenticatorOptions) {
    this.algorithm = options.algorithm ?? 'ES256';
    const pair = this.algorithm === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicJwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, string>;
  }

  /** Another authenticator holding the same key and credential id: a clone. */
  clone(): SoftwareAuthenticator {
    const twin = Object.create(SoftwareAuthenticator.prototype) as SoftwareAuthenticator;
    Object.assign(twin, this);
    return twin;
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  private coseKey(): Map<Cbor, Cbor> {
    const jwk = this.publicJwk;
    if (this.algorithm === 'ES256') {
      return new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x as string, 'base64url')],
        [-3, Buffer.from(jwk.y as string, 'base64url')],
      ]);
    }
    return new Map<Cbor, Cbor>([
      [1, 3],
      [3, -257],
      [-1, Buffer.from(jwk.n as string, 'base64url')],
      [-2, Buffer.from(jwk.e as string, 'base64url')],
    ]);
  }

  private flags(attested: boolean): number {
    return 0x01 | (this.options.userVerified === false ? 0 : 0x04) | (attested ? 0x40 : 0);
  }

  private clientData(type: string, challenge: string, over: Overrides): Buffer {
    return Buffer.from(JSON.stringify({ type: over.type ?? type, challenge: over.challenge ?? challenge, origin: over.origin ?? this.options.origin, crossOrigin: false }));
  }

  /** navigator.credentials.create's answer (RegistrationResponseJSON) to CredentialCreationOptions. */
  register(creationOptions: unknown, over: Overrides = {}): Record<string, unknown> {
    const challenge = (creationOptions as { challenge: string }).challenge;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(over.counter ?? this.counter);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      sha256(over.rpId ?? this.options.rpId),
      Buffer.from([this.flags(true)]),
      counter,
      Buffer.alloc(16),
      idLength,
      this.credentialId,
      cbor(this.coseKey()),
    ]);
    const attestationObject = cbor({ fmt: 'none', attStmt: {}, authData });
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', challenge, over)),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get's answer (AuthenticationResponseJSON) to request options (a challenge). */
  assert(requestOptions: unknown, over: Overrides = {}): Record<string, unknown> {
    const challenge = (requestOptions as { challenge: string }).challenge;
    this.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(over.counter ?? this.counter);
    const authData = Buffer.concat([sha256(over.rpId ?? this.options.rpId), Buffer.from([this.flags(false)]), counter]);
    const clientData = this.clientData('webauthn.get', challenge, over);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}

