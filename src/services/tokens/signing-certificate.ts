import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { Deps } from '../deps.js';
import { poolJwks } from './tokens.js';

export type SigningCertificateDeps = 'store' | 'secrets' | 'random' | 'clock';

/**
 * GetSigningCertificate's Certificate: a self-signed X.509 v3 certificate (DER, base64) of the
 * pool's token signing key, the key whose public half /.well-known/jwks.json publishes. AWS
 * issues a SAML signing certificate valid for ten years; this one is valid for ten years from the
 * key's creation. Everything in it comes from the key record (serial from the key id, dates from
 * its creation), and RSA PKCS#1 v1.5 signatures are deterministic, so every call returns the same
 * certificate and nothing more needs storing. The subject is `CN=<pool id>`; AWS's subject is not
 * documented.
 */
export async function poolSigningCertificate(deps: Pick<Deps, SigningCertificateDeps>, poolId: string): Promise<string> {
  return (await poolSigningKeyPair(deps, poolId)).certificate;
}

/**
 * The pool's signing key with its certificate: what signs SAML AuthnRequests
 * (RequestSigningAlgorithm rsa-sha256) and decrypts encrypted SAML assertions, as the
 * certificate GetSigningCertificate returns (services/federation).
 */
export async function poolSigningKeyPair(deps: Pick<Deps, SigningCertificateDeps>, poolId: string): Promise<{ privateKey: KeyObject; certificate: string }> {
  await poolJwks(deps, poolId); // creates the pool's key if it has none yet
  const record = await deps.store.getSigningKey(poolId);
  if (!record) throw new Error(`no signing key for pool ${poolId}`);
  const privateKey = createPrivateKey({ key: JSON.parse(deps.secrets.open(record.privateJwkSealed)) as JWK, format: 'jwk' });
  const { selfSignedCertificate } = await import('./self-signed-certificate.js');
  return { privateKey, certificate: selfSignedCertificate(privateKey, poolId, Buffer.from(record.kid, 'base64url'), new Date(record.createdAt)).toString('base64') };
}
