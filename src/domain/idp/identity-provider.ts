import { invalidParameter } from '../../kernel/errors.js';
import type { IdentityProviderType, IdentityProviderTypeType, ProviderDescription } from '../../model/generated/types.js';

/**
 * A pool's identity provider (cognito-facts-areas.md §4.7): SAML, OIDC or one of the four social
 * providers, its ProviderDetails, AttributeMapping (pool attribute -> provider claim) and
 * IdpIdentifiers. The ProviderDetails values that are secret (client_secret, Apple's
 * private_key) are kept apart, as one JSON object sealed with the server key (`secretsSealed`).
 */
export interface IdentityProviderRecord {
  poolId: string;
  name: string;
  type: IdentityProviderTypeType;
  details: Record<string, string>;
  secretsSealed: string | null;
  attributeMapping: Record<string, string>;
  idpIdentifiers: string[];
  createdAt: number;
  updatedAt: number;
}

/** 300 identity providers per pool [MODEL; DOC23] (§4.7). */
export const MAX_IDENTITY_PROVIDERS = 300;

/** ProviderDetails keys that are secret: sealed at rest (DESIGN: secrets never stored in clear). */
const SECRET_KEYS = new Set(['client_secret', 'private_key']);

/**
 * Where each social provider's endpoints are, as DescribeIdentityProvider shows them on AWS
 * (AWS fills authorize_url, token_url, attributes_url, and for Google/Apple oidc_issuer, into
 * ProviderDetails). Given keys win, so tests point a "Google" at a local provider.
 */
const SOCIAL_ENDPOINTS: Partial<Record<IdentityProviderTypeType, Record<string, string>>> = {
  Google: {
    authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
    token_url: 'https://www.googleapis.com/oauth2/v4/token',
    attributes_url: 'https://people.googleapis.com/v1/people/me?personFields=',
    attributes_url_add_attributes: 'true',
    oidc_issuer: 'https://accounts.google.com',
  },
  Facebook: {
    authorize_url: 'https://www.facebook.com/v17.0/dialog/oauth',
    token_url: 'https://graph.facebook.com/v17.0/oauth/access_token',
    attributes_url: 'https://graph.facebook.com/v17.0/me?fields=',
    attributes_url_add_attributes: 'true',
  },
  LoginWithAmazon: {
    authorize_url: 'https://www.amazon.com/ap/oa',
    token_url: 'https://api.amazon.com/auth/o2/token',
    attributes_url: 'https://api.amazon.com/user/profile',
    attributes_url_add_attributes: 'false',
  },
  SignInWithApple: {
    authorize_url: 'https://appleid.apple.com/auth/authorize',
    token_url: 'https://appleid.apple.com/auth/token',
    oidc_issuer: 'https://appleid.apple.com',
    attributes_url_add_attributes: 'false',
  },
};

/** Whether a ProviderDetails value is the one AWS fills in for a social provider (not one given). */
export function isSocialDefault(type: IdentityProviderTypeType, key: string, value: string | undefined): boolean {
  return value !== undefined && SOCIAL_ENDPOINTS[type]?.[key] === value;
}

/**
 * The ProviderDetails keys each type requires and allows [MODEL API:CreateIdentityProvider]
 * (§4.7). OIDC's endpoint URLs are optional (found by discovery from oidc_issuer when absent);
 * the social providers also take their endpoint URLs, which AWS fills itself.
 */
const KEYS: Record<IdentityProviderTypeType, { required: readonly string[]; optional: readonly string[] }> = {
  OIDC: {
    required: ['client_id', 'authorize_scopes', 'oidc_issuer', 'attributes_request_method'],
    optional: ['client_secret', 'authorize_url', 'token_url', 'attributes_url', 'jwks_uri', 'attributes_url_add_attributes'],
  },
  SAML: { required: [], optional: ['MetadataURL', 'MetadataFile', 'IDPInit', 'IDPSignout', 'EncryptedResponses', 'RequestSigningAlgorithm', 'ActiveEncryptionCertificate', 'SLORedirectBindingURI', 'SSORedirectBindingURI'] },
  Google: { required: ['client_id', 'client_secret', 'authorize_scopes'], optional: ['authorize_url', 'token_url', 'attributes_url', 'attributes_url_add_attributes', 'oidc_issuer', 'jwks_uri'] },
  Facebook: { required: ['client_id', 'client_secret', 'authorize_scopes'], optional: ['api_version', 'authorize_url', 'token_url', 'attributes_url', 'attributes_url_add_attributes'] },
  LoginWithAmazon: { required: ['client_id', 'client_secret', 'authorize_scopes'], optional: ['authorize_url', 'token_url', 'attributes_url', 'attributes_url_add_attributes'] },
  SignInWithApple: { required: ['client_id', 'team_id', 'key_id', 'private_key', 'authorize_scopes'], optional: ['authorize_url', 'token_url', 'oidc_issuer', 'jwks_uri', 'attributes_url_add_attributes'] },
};

const SOCIAL: ReadonlySet<IdentityProviderTypeType> = new Set(['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple']);

/**
 * AWS's error texts for identity providers. AWS does not publish them (not in the model nor in
 * DOC23); except where a source is named, these say what was refused in AWS's style and name
 * the provider, and tests assert them.
 */
export const IDP_MESSAGES = {
  duplicate: (name: string) => `A provider with the name ${name} already exists in this user pool.`,
  duplicateIdentifier: (identifier: string) => `The identifier ${identifier} is already used by another provider in this user pool.`,
  notFound: (name: string) => `Identity provider ${name} does not exist.`,
  identifierNotFound: (identifier: string) => `Identity provider with identifier ${identifier} does not exist.`,
  reserved: (name: string) => `Provider name ${name} is reserved.`,
  // AWS's text, quoted in gh:aws/aws-cli#3179 ("Provider NameOfGP cannot be of type Google.").
  socialName: (name: string, type: string) => `Provider ${name} cannot be of type ${type}.`,
  missingKey: (key: string, type: string) => `${key} is required for ${type} identity providers.`,
  unknownKey: (key: string, type: string) => `${key} is not a supported provider detail for ${type} identity providers.`,
  samlMetadata: 'Either MetadataURL or MetadataFile must be provided for SAML identity providers, not both.',
  requestMethod: 'attributes_request_method must be GET or POST.',
  url: (key: string) => `${key} must be an https URL.`,
  limit: 'The user pool has reached the maximum number of identity providers (300).',
  mappingValue: (attribute: string) => `The attribute mapping for ${attribute} must name a provider attribute of 1 to 2048 characters.`,
  duplicateIdentifierInRequest: 'IdpIdentifiers must not contain duplicates.',
} as const;

/**
 * Names AWS keeps for itself: the pool's own directory `COGNITO` (SupportedIdentityProviders),
 * and `Cognito` (the local-user ProviderName of AdminLinkProviderForUser, §4.8).
 */
const RESERVED = new Set(['cognito']);

/** Checks a name for a new provider of `type` beyond the model's pattern (§4.7). */
export function checkProviderName(name: string, type: IdentityProviderTypeType): void {
  if (RESERVED.has(name.toLowerCase())) throw invalidParameter(IDP_MESSAGES.reserved(name));
  // A social provider is named after its type: SupportedIdentityProviders and identity_provider
  // name it so ("Google", "Facebook", "LoginWithAmazon", "SignInWithApple") on AWS.
  if (SOCIAL.has(type) && name !== type) throw invalidParameter(IDP_MESSAGES.socialName(name, type));
}

/** Checks ProviderDetails for `type` and returns them split into plain details and secrets, with the social defaults filled. */
export function providerDetailsOf(type: IdentityProviderTypeType, given: Record<string, string>): { details: Record<string, string>; secrets: Record<string, string> } {
  const keys = KEYS[type];
  const allowed = new Set([...keys.required, ...keys.optional]);
  for (const key of Object.keys(given)) {
    if (!allowed.has(key)) throw invalidParameter(IDP_MESSAGES.unknownKey(key, type));
  }
  for (const key of keys.required) {
    if (given[key] === undefined || given[key] === '') throw invalidParameter(IDP_MESSAGES.missingKey(key, type));
  }
  if (type === 'SAML' && (given.MetadataURL === undefined) === (given.MetadataFile === undefined)) throw invalidParameter(IDP_MESSAGES.samlMetadata);
  if (type === 'OIDC' && given.attributes_request_method !== 'GET' && given.attributes_request_method !== 'POST') throw invalidParameter(IDP_MESSAGES.requestMethod);
  for (const key of ['authorize_url', 'token_url', 'attributes_url', 'jwks_uri', 'oidc_issuer', 'MetadataURL']) {
    const value = given[key];
    if (value !== undefined && !isHttpUrl(value)) throw invalidParameter(IDP_MESSAGES.url(key));
  }
  const merged = { ...SOCIAL_ENDPOINTS[type], ...given };
  const details: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) (SECRET_KEYS.has(key) ? secrets : details)[key] = value;
  return { details, secrets };
}

/** AWS requires https; http is accepted for loopback hosts so tests can run providers locally. */
function isHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** Checks AttributeMapping values (≤2048 characters, §4.8) and IdpIdentifiers for repeats. */
export function checkMappingAndIdentifiers(mapping: Record<string, string>, identifiers: readonly string[]): void {
  for (const [attribute, claim] of Object.entries(mapping)) {
    if (claim.length < 1 || claim.length > 2048) throw invalidParameter(IDP_MESSAGES.mappingValue(attribute));
  }
  if (new Set(identifiers).size !== identifiers.length) throw invalidParameter(IDP_MESSAGES.duplicateIdentifierInRequest);
}

/** The API's IdentityProviderType: ProviderDetails with the secrets back in, as AWS returns them. */
export function identityProviderType(r: IdentityProviderRecord, secrets: Record<string, string>): IdentityProviderType {
  return {
    UserPoolId: r.poolId,
    ProviderName: r.name,
    ProviderType: r.type,
    ProviderDetails: { ...r.details, ...secrets },
    AttributeMapping: r.attributeMapping,
    IdpIdentifiers: r.idpIdentifiers,
    LastModifiedDate: r.updatedAt / 1000,
    CreationDate: r.createdAt / 1000,
  };
}

export function providerDescription(r: IdentityProviderRecord): ProviderDescription {
  return { ProviderName: r.name, ProviderType: r.type, LastModifiedDate: r.updatedAt / 1000, CreationDate: r.createdAt / 1000 };
}

/** AdminLinkProviderForUser's record: this provider identity signs in as the user `userSub` (§4.8). */
export interface ProviderLinkRecord {
  poolId: string;
  providerName: string;
  /** `Cognito_Subject`, or (OIDC, SAML) a provider attribute. */
  attributeName: string;
  attributeValue: string;
  userSub: string;
  createdAt: number;
}
