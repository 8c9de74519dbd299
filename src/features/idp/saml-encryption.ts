import type { Deps } from '../../services/deps.js';
import { poolSigningCertificate, type SigningCertificateDeps } from '../../services/tokens/signing-certificate.js';

/**
 * A SAML provider with `EncryptedResponses` `true` shows, as on AWS, the certificate its IdP
 * encrypts assertions for as `ActiveEncryptionCertificate` (cognito-facts-areas.md §4.7,
 * [MODEL API:CreateIdentityProvider]). Here that is the pool's signing certificate
 * (GetSigningCertificate), whose key /saml2/idpresponse decrypts with
 * (services/federation/saml-service-provider.ts); AWS uses a separate encryption certificate
 * (docs/compatibility.md). A given ActiveEncryptionCertificate is never kept: it is AWS's output.
 */
export async function encryptionCertificateFor(deps: Pick<Deps, SigningCertificateDeps>, poolId: string, details: Readonly<Record<string, string>>): Promise<string | undefined> {
  if (details.EncryptedResponses !== 'true') return undefined;
  // An unknown pool has no certificate; the operation answers its not-found error itself.
  if (!(await deps.store.getPool(poolId))) return undefined;
  return poolSigningCertificate(deps, poolId);
}

export function withEncryptionCertificate(details: Readonly<Record<string, string>>, certificate: string | undefined): Record<string, string> {
  const { ActiveEncryptionCertificate: _given, ...rest } = details;
  return details.EncryptedResponses === 'true' && certificate !== undefined ? { ...rest, ActiveEncryptionCertificate: certificate } : rest;
}
