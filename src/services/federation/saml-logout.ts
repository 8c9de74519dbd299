import type { Profile } from '@node-saml/node-saml';
import type { Deps } from '../deps.js';
import { CLOCK_SKEW_MS, MAX_SAML_RESPONSE, SAML_LOGOUT_MESSAGES, SamlRejection } from '../../domain/idp/saml-rules.js';
import { poolSigningKeyPair } from '../tokens/signing-certificate.js';
import type { SamlIdpMetadata } from './saml-metadata.js';
import { samlOf, type SamlDeps } from './saml-service-provider.js';
import { childElements, parseXml, type XmlElement } from './xml-dom.js';

/**
 * SAML 2.0 single logout of the pool as service provider (DG "SAML sign-out flow",
 * cognito-user-pools-saml-idp-sign-out), on @node-saml/node-saml:
 *
 * - the LogoutRequest `/logout` sends to the IdP's SingleLogoutService (HTTP-Redirect binding),
 *   always signed with rsa-sha256 by the pool's signing key ("Amazon Cognito signs the sign-out
 *   request with your user pool signing certificate"), with the NameID and SessionIndex of the
 *   SAML sign-in;
 * - the IdP's LogoutResponse, which "must" come by HTTP POST to `/saml2/logout`;
 * - the IdP's own LogoutRequest (IdP-initiated logout) by HTTP POST, and the signed
 *   LogoutResponse that answers it by redirect.
 *
 * Incoming messages must carry an XML signature over the whole message by a signing certificate
 * of the IdP's metadata (the library checks it); Issuer, Destination, InResponseTo, status and
 * times are checked here against deps.clock. Every refusal is a SamlRejection with its text.
 */
export interface SamlLogoutEndpoints {
  poolId: string;
  /** https://<domain>/saml2/logout (or this server's /<poolId>/saml2/logout). */
  logoutUrl: string;
}

/** Who signed in through the SAML provider: what the LogoutRequest names. */
export interface SamlSessionSubject {
  nameId: string;
  nameIdFormat?: string | undefined;
  sessionIndex?: string | undefined;
}

/** An IdP's LogoutRequest that verified. */
export interface IdpLogoutRequest {
  id: string;
  nameId: string;
  sessionIndex?: string | undefined;
}

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';

/** The library set up to sign with the pool's key and to check messages of `metadata`'s IdP. */
async function logoutSaml(deps: Pick<Deps, SamlDeps>, endpoints: SamlLogoutEndpoints, metadata: SamlIdpMetadata, id?: string) {
  const signing = await poolSigningKeyPair(deps, endpoints.poolId);
  return await samlOf(
    {
      logoutUrl: metadata.sloUrl,
      idpIssuer: metadata.entityId,
      privateKey: signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicCert: signing.certificate,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
      wantAuthnResponseSigned: true,
      acceptedClockSkewMs: -1,
      ...(id !== undefined && { generateUniqueId: () => id }),
    },
    { poolId: endpoints.poolId, acsUrl: endpoints.logoutUrl },
    metadata,
  );
}

/** The URL that takes the browser to the IdP's SingleLogoutService with the signed LogoutRequest. */
export async function logoutRequestUrl(
  deps: Pick<Deps, SamlDeps>,
  endpoints: SamlLogoutEndpoints,
  metadata: SamlIdpMetadata,
  subject: SamlSessionSubject,
  requestId: string,
  relayState: string,
): Promise<string> {
  const saml = await logoutSaml(deps, endpoints, metadata, requestId);
  const user = { issuer: metadata.entityId, nameID: subject.nameId, nameIDFormat: subject.nameIdFormat ?? UNSPECIFIED, ...(subject.sessionIndex && { sessionIndex: subject.sessionIndex }) } as Profile;
  return saml.getLogoutUrlAsync(user, relayState, {});
}

/** The URL that takes the browser back to the IdP with the signed LogoutResponse to its LogoutRequest. */
export async function logoutResponseUrl(deps: Pick<Deps, SamlDeps>, endpoints: SamlLogoutEndpoints, metadata: SamlIdpMetadata, request: IdpLogoutRequest, relayState: string): Promise<string> {
  const saml = await logoutSaml(deps, endpoints, metadata, `_${deps.random.bytes(20).toString('hex')}`);
  return saml.getLogoutResponseUrlAsync({ ID: request.id, issuer: metadata.entityId, nameID: request.nameId, nameIDFormat: UNSPECIFIED } as Profile, relayState, {}, true);
}

function decoded(message: string): string {
  const compact = message.replace(/\s+/g, '');
  if (compact === '' || compact.length > MAX_SAML_RESPONSE || !/^[A-Za-z0-9+/]+=*$/.test(compact)) throw new SamlRejection(SAML_LOGOUT_MESSAGES.malformed);
  return compact;
}

function libraryRejection(err: unknown): SamlRejection {
  const text = err instanceof Error ? err.message : '';
  if (/signature/i.test(text)) return new SamlRejection(SAML_LOGOUT_MESSAGES.signature);
  if (/issuer/i.test(text)) return new SamlRejection(SAML_LOGOUT_MESSAGES.issuer);
  return new SamlRejection(SAML_LOGOUT_MESSAGES.malformed);
}

/** The message's root element when it is `localName` of the SAML protocol, with its Issuer and Destination checked. */
function rootOf(base64: string, localName: string, endpoints: SamlLogoutEndpoints, metadata: SamlIdpMetadata): XmlElement {
  const root = parseXml(Buffer.from(base64, 'base64').toString('utf8'))?.documentElement;
  if (!root || root.localName !== localName || root.namespaceURI !== SAMLP) throw new SamlRejection(SAML_LOGOUT_MESSAGES.malformed);
  const issuer = childElements(root, SAML_NS, 'Issuer')[0]?.textContent?.trim() ?? '';
  if (issuer !== metadata.entityId) throw new SamlRejection(SAML_LOGOUT_MESSAGES.issuer);
  const destination = root.getAttribute('Destination');
  if (destination && destination !== endpoints.logoutUrl) throw new SamlRejection(SAML_LOGOUT_MESSAGES.destination);
  return root;
}

/**
 * Checks the IdP's LogoutResponse (base64, HTTP-POST binding) to the LogoutRequest `requestId`:
 * signed by the IdP, from its entity ID, to this endpoint, answering that request, with status Success.
 */
export async function verifyLogoutResponse(deps: Pick<Deps, SamlDeps>, endpoints: SamlLogoutEndpoints, metadata: SamlIdpMetadata, samlResponse: string, requestId: string): Promise<void> {
  const base64 = decoded(samlResponse);
  // Only the message shape is read before the signature is checked, so a forged one says "signature".
  const root = rootOf(base64, 'LogoutResponse', endpoints, metadata);
  const saml = await logoutSaml(deps, endpoints, metadata);
  let result: { loggedOut?: boolean };
  try {
    result = await saml.validatePostResponseAsync({ SAMLResponse: base64 });
  } catch (err) {
    throw libraryRejection(err);
  }
  if (result.loggedOut !== true) throw new SamlRejection(SAML_LOGOUT_MESSAGES.malformed);
  if (root.getAttribute('InResponseTo') !== requestId) throw new SamlRejection(SAML_LOGOUT_MESSAGES.inResponseTo);
  const status = childElements(root, SAMLP, 'Status')[0];
  const code = status ? childElements(status, SAMLP, 'StatusCode')[0]?.getAttribute('Value') : undefined;
  if (code !== SUCCESS) throw new SamlRejection(SAML_LOGOUT_MESSAGES.status(code ?? 'no status'));
}

/**
 * Checks an IdP-initiated LogoutRequest (base64, HTTP-POST binding): signed by the IdP, from its
 * entity ID, to this endpoint, not past its NotOnOrAfter; returns its ID, NameID and SessionIndex.
 */
export async function verifyLogoutRequest(deps: Pick<Deps, SamlDeps>, endpoints: SamlLogoutEndpoints, metadata: SamlIdpMetadata, samlRequest: string): Promise<IdpLogoutRequest> {
  const base64 = decoded(samlRequest);
  const root = rootOf(base64, 'LogoutRequest', endpoints, metadata);
  const saml = await logoutSaml(deps, endpoints, metadata);
  let profile: Profile | null;
  try {
    profile = (await saml.validatePostRequestAsync({ SAMLRequest: base64 })).profile;
  } catch (err) {
    throw libraryRejection(err);
  }
  if (!profile || typeof profile.ID !== 'string' || typeof profile.nameID !== 'string' || profile.nameID === '') throw new SamlRejection(SAML_LOGOUT_MESSAGES.malformed);
  const notOnOrAfter = Date.parse(root.getAttribute('NotOnOrAfter') ?? '');
  if (!Number.isNaN(notOnOrAfter) && deps.clock.nowMs() - CLOCK_SKEW_MS >= notOnOrAfter) throw new SamlRejection(SAML_LOGOUT_MESSAGES.expiredRequest);
  return { id: profile.ID, nameId: profile.nameID, sessionIndex: typeof profile.sessionIndex === 'string' && profile.sessionIndex !== '' ? profile.sessionIndex : undefined };
}
