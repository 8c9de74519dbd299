import type { Deps } from '../deps.js';
import type { IdentityProviderRecord } from '../../domain/idp/identity-provider.js';
import { descendants, parseXml, type XmlElement } from './xml-dom.js';

/**
 * What the user pool needs from a SAML IdP's metadata (cognito-facts-areas.md §4.7): its entity
 * ID (the Issuer of its responses), where to send AuthnRequests (SingleSignOnService, HTTP-Redirect
 * preferred as AWS does, HTTP-POST otherwise), where it logs out, whether it wants signed requests,
 * and its signing certificates. AWS accepts an assertion signed by any certificate of the metadata
 * (DG "Things to know about SAML IdPs": "User pools support multiple signing certificates").
 */
export interface SamlIdpMetadata {
  entityId: string;
  sso: { binding: 'redirect' | 'post'; url: string };
  sloUrl?: string | undefined;
  wantAuthnRequestsSigned: boolean;
  /** base64 DER of each signing certificate (KeyDescriptor use="signing" or without use). */
  signingCertificates: string[];
}

export class SamlMetadataError extends Error {}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
/** Metadata documents are a few kilobytes; anything this large is not one. */
const MAX_METADATA = 1024 * 1024;
/** Each signing certificate may be at most 4,096 characters (DG "Things to know about SAML IdPs"). */
const MAX_CERTIFICATE = 4096;

/** Parses an IdP's metadata XML; SamlMetadataError says what is missing. */
export function parseIdpMetadata(xml: string): SamlIdpMetadata {
  if (xml.length > MAX_METADATA) throw new SamlMetadataError('The SAML metadata is too large.');
  const doc = parseXml(xml);
  if (!doc) throw new SamlMetadataError('The SAML metadata is not well-formed XML.');
  const idp = descendants(doc, MD, 'IDPSSODescriptor')[0];
  const entity = idp?.parentNode as XmlElement | null | undefined;
  if (!idp || !entity || entity.localName !== 'EntityDescriptor') throw new SamlMetadataError('The SAML metadata has no IDPSSODescriptor.');
  const entityId = entity.getAttribute('entityID') ?? '';
  if (entityId === '') throw new SamlMetadataError('The SAML metadata has no entityID.');
  const services = descendants(idp, MD, 'SingleSignOnService').map((e) => ({ binding: e.getAttribute('Binding'), url: e.getAttribute('Location') ?? '' }));
  const redirect = services.find((s) => s.binding === REDIRECT && s.url !== '');
  const post = services.find((s) => s.binding === POST && s.url !== '');
  // AWS's text when an IdP offers no redirect binding (quoted in gh:ssoready/dummyidp#10); here POST is accepted too.
  if (!redirect && !post) throw new SamlMetadataError('No SingleSignOn Http redirect binding location found in metadata.');
  const slo = descendants(idp, MD, 'SingleLogoutService').find((e) => e.getAttribute('Binding') === REDIRECT)?.getAttribute('Location') ?? undefined;
  const signingCertificates: string[] = [];
  for (const descriptor of descendants(idp, MD, 'KeyDescriptor')) {
    const use = descriptor.getAttribute('use');
    if (use !== null && use !== '' && use !== 'signing') continue;
    for (const cert of descendants(descriptor, DS, 'X509Certificate')) {
      const value = (cert.textContent ?? '').replace(/\s+/g, '');
      if (value === '' || value.length > MAX_CERTIFICATE || !/^[A-Za-z0-9+/]+=*$/.test(value)) throw new SamlMetadataError('A signing certificate in the SAML metadata is not valid.');
      signingCertificates.push(value);
    }
  }
  if (signingCertificates.length === 0) throw new SamlMetadataError('The SAML metadata has no signing certificate.');
  return {
    entityId,
    sso: redirect ? { binding: 'redirect', url: redirect.url } : { binding: 'post', url: (post as { url: string }).url },
    sloUrl: slo || undefined,
    wantAuthnRequestsSigned: idp.getAttribute('WantAuthnRequestsSigned') === 'true',
    signingCertificates,
  };
}

/** How long a fetched MetadataURL document is used before it is fetched again. */
const METADATA_TTL_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;
const cache = new Map<string, { text: string; fetchedAt: number }>();

/**
 * The provider's metadata: its MetadataFile, or its MetadataURL fetched (at most once a minute).
 * AWS reads the metadata when the provider is created and refreshes it; here it is read when a
 * sign-in needs it, so a provider made with an unreachable URL fails at sign-in (docs/compatibility.md).
 */
export async function idpMetadata(deps: Pick<Deps, 'clock'>, provider: IdentityProviderRecord): Promise<SamlIdpMetadata> {
  const file = provider.details.MetadataFile;
  if (file !== undefined) return parseIdpMetadata(file);
  const url = provider.details.MetadataURL;
  if (url === undefined) throw new SamlMetadataError('The provider has no SAML metadata.');
  const now = deps.clock.nowMs();
  const cached = cache.get(url);
  if (cached && now >= cached.fetchedAt && now - cached.fetchedAt < METADATA_TTL_MS) return parseIdpMetadata(cached.text);
  let text: string;
  try {
    const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new SamlMetadataError(`The SAML metadata URL answered ${response.status}.`);
    text = await response.text();
  } catch (err) {
    if (err instanceof SamlMetadataError) throw err;
    throw new SamlMetadataError('The SAML metadata URL could not be read.');
  }
  const parsed = parseIdpMetadata(text);
  if (cache.size > 1000) cache.clear();
  cache.set(url, { text, fetchedAt: now });
  return parsed;
}
