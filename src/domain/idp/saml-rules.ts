/**
 * SAML 2.0 sign-in through a pool's SAML provider (cognito-facts-areas.md §4.7; DG "Things to
 * know about SAML IdPs", "SAML session initiation", "The IdP SAML assertion endpoint"): the
 * service provider's names and the texts of its refusals.
 */

/** The pool's SP entity ID: the Issuer of its AuthnRequests and the Audience it accepts (§4.7). */
export function spEntityId(poolId: string): string {
  return `urn:amazon:cognito:sp:${poolId}`;
}

/** `/saml2/idpresponse` takes SAML responses of up to 100,000 characters (DG saml2-idpresponse-endpoint). */
export const MAX_SAML_RESPONSE = 100_000;

/** An IdP-initiated assertion must have been issued within the previous 6 minutes (DG IdP-initiated sign-in). */
export const IDP_INITIATED_MAX_AGE_MS = 6 * 60 * 1000;

/** How far the IdP's clock may be from ours for NotBefore/NotOnOrAfter (not published by AWS). */
export const CLOCK_SKEW_MS = 60 * 1000;

/**
 * The texts. `invalidResponse` prefixes every refusal of a response, as AWS's do in the
 * redirect's error_description (e.g. `Invalid SAML response received: SAML Assertion signature is
 * invalid.`, gh:aws/aws-sdk-js-v3#6201, sent with error=server_error; `... InResponseTo attribute
 * in the SAML response does not match the ID that was sent with the SAML authentication request`,
 * gh:swisstopo/swissgeol-boreholes-suite#1267). `relayState` is AWS's page text for a response it
 * cannot tie to a sign-in (gh:gaiin-platform/amplify-genai-backend#25). The others are not
 * published and say what was refused.
 */
const PREFIX = 'Invalid SAML response received: ';
export const SAML_MESSAGES = {
  relayState: 'Invalid samlResponse or relayState from identity provider',
  expiredSignIn: 'The SAML sign-in took longer than 5 minutes. Please sign in again.',
  signature: `${PREFIX}SAML Assertion signature is invalid.`,
  inResponseTo: `${PREFIX}InResponseTo attribute in the SAML response does not match the ID that was sent with the SAML authentication request`,
  unsolicited: `${PREFIX}An IdP-initiated SAML response must not contain InResponseTo`,
  audience: (poolId: string) => `${PREFIX}The SAML assertion's audience is not ${spEntityId(poolId)}`,
  expired: `${PREFIX}The SAML assertion has expired`,
  notYetValid: `${PREFIX}The SAML assertion is not yet valid`,
  tooOld: `${PREFIX}The IdP-initiated SAML assertion was issued more than 6 minutes ago`,
  recipient: `${PREFIX}The SAML assertion's SubjectConfirmationData Recipient is not this user pool's assertion consumer service URL`,
  destination: `${PREFIX}The SAML response's Destination is not this user pool's assertion consumer service URL`,
  issuer: `${PREFIX}The SAML assertion's Issuer is not the identity provider's entity ID`,
  nameId: `${PREFIX}The SAML assertion has no NameID`,
  replayed: `${PREFIX}The SAML assertion has been used before`,
  status: (status: string) => `${PREFIX}The identity provider answered ${status}`,
  malformed: `${PREFIX}The SAML response could not be read`,
  tooLarge: 'The SAMLResponse is longer than 100,000 characters.',
  encrypted: `${PREFIX}The SAML assertion is encrypted, but the provider does not have EncryptedResponses`,
  metadata: (provider: string, why: string) => `Unable to read the SAML metadata of identity provider ${provider}: ${why}`,
  idpInitDisabled: (provider: string) => `Identity provider ${provider} does not accept IdP-initiated sign-in.`,
} as const;

/** A refused SAML response: the redirect's error_description (AWS sends error=server_error with it). */
export class SamlRejection extends Error {}

/**
 * A refusal of the user part (federated-profile.ts) as AWS words it for SAML: a required
 * attribute the IdP did not send is `Invalid SAML response received: Invalid user attributes:
 * <name>: The attribute is required` (AWS re:Post "cognito-invalid-saml-response-errors"); other
 * texts get the SAML prefix.
 */
export function samlRefusalText(description: string): string {
  const required = /^attributes required: \[(.*)\]$/.exec(description);
  if (required) {
    const names = (required[1] ?? '').split(', ').filter((n) => n !== '');
    return `${PREFIX}Invalid user attributes: ${names.map((n) => `${n}: The attribute is required`).join(', ')}`;
  }
  return description.startsWith(PREFIX) ? description : `${PREFIX}${description}`;
}

/**
 * SAML single logout (DG "SAML sign-out flow", cognito-user-pools-saml-idp-sign-out): the pool's
 * `/saml2/logout` endpoint takes the IdP's LogoutResponse (HTTP POST) and, here, the IdP's own
 * LogoutRequest. AWS publishes no texts for their refusals; these say what was refused. Each is a
 * 400 page: a logout message has no app to go back to until it is verified.
 */
export const SAML_LOGOUT_MESSAGES = {
  relayState: 'Invalid SAML logout response or relayState from identity provider',
  expired: 'The SAML sign-out took longer than 5 minutes. Please sign out again.',
  signature: 'The SAML logout message signature is invalid.',
  malformed: 'The SAML logout message could not be read.',
  inResponseTo: 'The SAML LogoutResponse does not answer the LogoutRequest of this sign-out.',
  issuer: "The SAML logout message's Issuer is not the identity provider's entity ID.",
  destination: "The SAML logout message's Destination is not this user pool's logout endpoint.",
  status: (status: string) => `The identity provider did not sign the user out: ${status}`,
  unknownProvider: 'No SAML identity provider of this user pool with sign-out (IDPSignout) sent this logout message.',
  expiredRequest: 'The SAML LogoutRequest has expired.',
  replayed: 'The SAML logout message has been used before.',
  missing: 'A SAMLResponse or SAMLRequest is required.',
} as const;
