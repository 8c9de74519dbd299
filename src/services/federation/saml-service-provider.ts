import type { Profile, SAML, SamlConfig } from '@node-saml/node-saml';
import type { Deps } from '../deps.js';
import type { IdentityProviderRecord } from '../../domain/idp/identity-provider.js';
import { CLOCK_SKEW_MS, IDP_INITIATED_MAX_AGE_MS, SAML_MESSAGES, SamlRejection, spEntityId } from '../../domain/idp/saml-rules.js';
import { poolSigningKeyPair, type SigningCertificateDeps } from '../tokens/signing-certificate.js';
import type { SamlIdpMetadata } from './saml-metadata.js';
import { childElements as children, parseXml, type XmlDocument, type XmlElement } from './xml-dom.js';

/**
 * The user pool as a SAML 2.0 service provider, on @node-saml/node-saml: the AuthnRequest of an
 * SP-initiated sign-in, and the checks of the IdP's response at /saml2/idpresponse
 * (cognito-facts-areas.md §4.7). The library checks the XML signature (of the response or of the
 * assertion, against any signing certificate of the IdP's metadata), decrypts an encrypted
 * assertion and checks the audience; what AWS further requires (DG "Things to know about SAML
 * IdPs", AWS's 2023 enforcement notice quoted in gh:c6fc/npk#87: InResponseTo matching the
 * request, a SubjectConfirmationData Recipient of the pool, Destination) and every time
 * condition are checked here, against deps.clock (the library's own clock checks are off).
 */
export type SamlDeps = SigningCertificateDeps;

export interface SamlEndpoints {
  poolId: string;
  /** https://<domain>/saml2/idpresponse (or this server's /<poolId>/saml2/idpresponse). */
  acsUrl: string;
}

/** How the browser goes to the IdP: a redirect (HTTP-Redirect binding) or a form it posts (HTTP-POST). */
export type AuthnRequestMessage = { binding: 'redirect'; url: string } | { binding: 'post'; url: string; fields: Record<string, string> };

const RSA_SHA256 = 'rsa-sha256';

type NodeSaml = typeof import('@node-saml/node-saml');
let nodeSaml: NodeSaml | undefined;

/**
 * @node-saml/node-saml with its XML signing and encryption libraries is about 13 MB of memory
 * (bench/RESULTS.md): loaded on the first SAML message, not by every server at start.
 */
async function loadNodeSaml(): Promise<NodeSaml> {
  return (nodeSaml ??= await import('@node-saml/node-saml'));
}

/** The library configured as this pool's SP for `metadata`'s IdP; `config` adds or overrides options. */
export async function samlOf(config: Omit<SamlConfig, 'issuer' | 'callbackUrl' | 'idpCert'>, endpoints: SamlEndpoints, metadata: SamlIdpMetadata): Promise<SAML> {
  const { SAML } = await loadNodeSaml();
  return new SAML({
    issuer: spEntityId(endpoints.poolId),
    audience: spEntityId(endpoints.poolId),
    callbackUrl: endpoints.acsUrl,
    idpCert: metadata.signingCertificates,
    entryPoint: metadata.sso.url,
    // The IdP chooses the NameID format; no authentication context is demanded of it.
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    ...config,
  });
}

/** A new AuthnRequest ID: an NCName (a letter first), from deps.random. */
export function newRequestId(deps: Pick<Deps, 'random'>): string {
  return `_${deps.random.bytes(20).toString('hex')}`;
}

/**
 * The AuthnRequest for an SP-initiated sign-in, in the binding the IdP's metadata offers
 * (HTTP-Redirect first). With RequestSigningAlgorithm `rsa-sha256` it is signed with the pool's
 * signing key, the key of GetSigningCertificate's certificate (§4.7).
 */
export async function authnRequest(
  deps: Pick<Deps, SamlDeps>,
  endpoints: SamlEndpoints,
  provider: IdentityProviderRecord,
  metadata: SamlIdpMetadata,
  requestId: string,
  relayState: string,
): Promise<AuthnRequestMessage> {
  const signing = provider.details.RequestSigningAlgorithm === RSA_SHA256 ? await poolSigningKeyPair(deps, endpoints.poolId) : undefined;
  const saml = await samlOf(
    {
      generateUniqueId: () => requestId,
      authnRequestBinding: metadata.sso.binding === 'redirect' ? 'HTTP-Redirect' : 'HTTP-POST',
      // The HTTP-POST binding carries the request base64 only; DEFLATE belongs to HTTP-Redirect (saml-bindings §3.5.4).
      skipRequestCompression: metadata.sso.binding === 'post',
      ...(signing && {
        privateKey: signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicCert: signing.certificate,
        signatureAlgorithm: 'sha256' as const,
        digestAlgorithm: 'sha256',
      }),
    },
    endpoints,
    metadata,
  );
  if (metadata.sso.binding === 'redirect') return { binding: 'redirect', url: await saml.getAuthorizeUrlAsync(relayState, undefined, {}) };
  const message = await saml.getAuthorizeMessageAsync(relayState);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(message)) if (typeof value === 'string') fields[name] = value;
  return { binding: 'post', url: metadata.sso.url, fields };
}

/** What a verified assertion says about the user. */
export interface SamlAssertion {
  nameId: string;
  /** Attributes by their SAML Name; several values as an array. */
  attributes: Record<string, string | string[]>;
  issuer: string;
  assertionId: string;
  /** When the assertion stops being usable (for replay protection). */
  notOnOrAfter: number;
  /** NameID's Format and the first AuthnStatement's SessionIndex, for the LogoutRequest of a single logout. */
  nameIdFormat?: string | undefined;
  sessionIndex?: string | undefined;
}

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

function parse(xml: string): XmlDocument {
  const doc = parseXml(xml);
  if (!doc) throw new SamlRejection(SAML_MESSAGES.malformed);
  return doc;
}

/** An xs:dateTime as epoch ms; an absent or unreadable one is undefined. */
function instant(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The library's refusal as AWS words it: a signature that does not verify (or is missing), the audience, the status, an undecryptable assertion; anything else is an unreadable response. */
function libraryRejection(err: unknown, poolId: string): SamlRejection {
  // Loaded: the library threw it.
  if (nodeSaml !== undefined && err instanceof nodeSaml.SamlStatusError) return new SamlRejection(SAML_MESSAGES.status(err.message.replace(/^SAML provider returned /, '')));
  const message = err instanceof Error ? err.message : '';
  if (/signature|signed data/i.test(message)) return new SamlRejection(SAML_MESSAGES.signature);
  if (/audience/i.test(message)) return new SamlRejection(SAML_MESSAGES.audience(poolId));
  if (/decryption key/i.test(message)) return new SamlRejection(SAML_MESSAGES.encrypted);
  return new SamlRejection(SAML_MESSAGES.malformed);
}

/**
 * Checks a SAMLResponse (base64, from the HTTP-POST binding) and returns its assertion; throws
 * SamlRejection with the text to send back. `requestId` is the AuthnRequest it must answer, or
 * undefined for an IdP-initiated response (which must not carry InResponseTo and must be at most
 * 6 minutes old).
 */
export async function verifySamlResponse(
  deps: Pick<Deps, SamlDeps>,
  endpoints: SamlEndpoints,
  provider: IdentityProviderRecord,
  metadata: SamlIdpMetadata,
  samlResponse: string,
  requestId: string | undefined,
): Promise<SamlAssertion> {
  const compact = samlResponse.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+=*$/.test(compact)) throw new SamlRejection(SAML_MESSAGES.malformed);
  // Encrypted assertions are decrypted with the pool's key when the provider has EncryptedResponses (§4.7).
  const decryption = provider.details.EncryptedResponses === 'true' ? await poolSigningKeyPair(deps, endpoints.poolId) : undefined;
  const saml = await samlOf(
    {
      wantAuthnResponseSigned: false,
      wantAssertionsSigned: false,
      validateInResponseTo: (await loadNodeSaml()).ValidateInResponseTo.never,
      acceptedClockSkewMs: -1,
      ...(decryption && { decryptionPvk: decryption.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }),
    },
    endpoints,
    metadata,
  );
  let profile: Profile | null;
  try {
    profile = (await saml.validatePostResponseAsync({ SAMLResponse: compact })).profile;
  } catch (err) {
    throw libraryRejection(err, endpoints.poolId);
  }
  if (!profile || typeof profile.getAssertionXml !== 'function' || typeof profile.getSamlResponseXml !== 'function') throw new SamlRejection(SAML_MESSAGES.malformed);
  const now = deps.clock.nowMs();
  const response = parse(profile.getSamlResponseXml()).documentElement as XmlElement;
  const assertion = parse(profile.getAssertionXml()).documentElement as XmlElement;
  if (response.localName !== 'Response' || response.namespaceURI !== SAMLP || assertion.localName !== 'Assertion') throw new SamlRejection(SAML_MESSAGES.malformed);

  const destination = response.getAttribute('Destination');
  if (destination && destination !== endpoints.acsUrl) throw new SamlRejection(SAML_MESSAGES.destination);
  const inResponseTo = response.getAttribute('InResponseTo') || undefined;
  if (requestId === undefined ? inResponseTo !== undefined : inResponseTo !== requestId) throw new SamlRejection(requestId === undefined ? SAML_MESSAGES.unsolicited : SAML_MESSAGES.inResponseTo);

  const issuer = children(assertion, SAML_NS, 'Issuer')[0]?.textContent?.trim() ?? '';
  if (issuer !== metadata.entityId) throw new SamlRejection(SAML_MESSAGES.issuer);

  const conditions = children(assertion, SAML_NS, 'Conditions')[0];
  const notBefore = instant(conditions?.getAttribute('NotBefore') ?? null);
  let notOnOrAfter = instant(conditions?.getAttribute('NotOnOrAfter') ?? null);
  if (notBefore !== undefined && now + CLOCK_SKEW_MS < notBefore) throw new SamlRejection(SAML_MESSAGES.notYetValid);
  if (notOnOrAfter !== undefined && now - CLOCK_SKEW_MS >= notOnOrAfter) throw new SamlRejection(SAML_MESSAGES.expired);

  // A bearer SubjectConfirmation whose data names this ACS, answers this request and is still valid.
  const subject = children(assertion, SAML_NS, 'Subject')[0];
  const bearer = subject ? children(subject, SAML_NS, 'SubjectConfirmation').filter((c) => c.getAttribute('Method') === BEARER) : [];
  const data = bearer.map((c) => children(c, SAML_NS, 'SubjectConfirmationData')[0]).filter((d): d is XmlElement => d !== undefined);
  if (data.length === 0 || !data.some((d) => d.getAttribute('Recipient') === endpoints.acsUrl)) throw new SamlRejection(SAML_MESSAGES.recipient);
  const confirmation = data.find((d) => d.getAttribute('Recipient') === endpoints.acsUrl) as XmlElement;
  const confirmationTo = confirmation.getAttribute('InResponseTo') || undefined;
  if (requestId === undefined ? confirmationTo !== undefined : confirmationTo !== undefined && confirmationTo !== requestId) {
    throw new SamlRejection(requestId === undefined ? SAML_MESSAGES.unsolicited : SAML_MESSAGES.inResponseTo);
  }
  const confirmationEnd = instant(confirmation.getAttribute('NotOnOrAfter'));
  if (confirmationEnd !== undefined && now - CLOCK_SKEW_MS >= confirmationEnd) throw new SamlRejection(SAML_MESSAGES.expired);
  if (confirmationEnd !== undefined && (notOnOrAfter === undefined || confirmationEnd < notOnOrAfter)) notOnOrAfter = confirmationEnd;

  const issued = instant(assertion.getAttribute('IssueInstant'));
  if (requestId === undefined && (issued === undefined || now - issued > IDP_INITIATED_MAX_AGE_MS)) throw new SamlRejection(SAML_MESSAGES.tooOld);

  // NameID is the provider's user id, case-sensitive (§4.7).
  const nameId = typeof profile.nameID === 'string' ? profile.nameID.trim() : '';
  if (nameId === '') throw new SamlRejection(SAML_MESSAGES.nameId);
  return {
    nameId,
    attributes: attributesOf(assertion),
    issuer,
    assertionId: assertion.getAttribute('ID') ?? '',
    notOnOrAfter: notOnOrAfter ?? now + IDP_INITIATED_MAX_AGE_MS,
    nameIdFormat: typeof profile.nameIDFormat === 'string' && profile.nameIDFormat !== '' ? profile.nameIDFormat : undefined,
    sessionIndex: firstSessionIndex(assertion),
  };
}

/**
 * The SessionIndex of the assertion's first AuthnStatement: the one AWS matches at sign-out
 * ("The sessionIndex in the first AuthnStatement ... must match", DG "SAML sign-out flow").
 */
function firstSessionIndex(assertion: XmlElement): string | undefined {
  const value = children(assertion, SAML_NS, 'AuthnStatement')[0]?.getAttribute('SessionIndex');
  return value ? value : undefined;
}

/** The assertion's attributes by Name (AttributeMapping's keys are these names, §4.8). */
function attributesOf(assertion: XmlElement): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const statement of children(assertion, SAML_NS, 'AttributeStatement')) {
    for (const attribute of children(statement, SAML_NS, 'Attribute')) {
      const name = attribute.getAttribute('Name');
      if (!name) continue;
      const values = children(attribute, SAML_NS, 'AttributeValue').map((v) => v.textContent ?? '');
      if (values.length === 0) continue;
      const existing = out[name];
      const all = existing === undefined ? values : [...(Array.isArray(existing) ? existing : [existing]), ...values];
      out[name] = all.length === 1 ? (all[0] as string) : all;
    }
  }
  return out;
}
