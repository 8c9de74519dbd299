import { invalidParameter } from '../../kernel/errors.js';
import type { IdentityProviderTypeType, ProviderUserIdentifierType } from '../../model/generated/types.js';

/** The ProviderName that names the pool's own (local) users in AdminLinkProviderForUser (§4.8). */
export const LOCAL_PROVIDER = 'Cognito';
/** The attribute naming a provider's subject (Cognito_Subject, §4.8). */
export const COGNITO_SUBJECT = 'Cognito_Subject';
/** At most five provider identities link to one user [MODEL API:AdminLinkProviderForUser] (§4.8). */
export const MAX_LINKS_PER_USER = 5;

/**
 * AWS's texts. `merging` is AWS's answer as users quote it (InvalidParameterException "Merging is
 * not currently supported, provide a SourceUser that has not been signed up in order to link",
 * without a final period; not in the reference); the others are not published and say what was
 * refused.
 */
export const LINK_MESSAGES = {
  merging: 'Merging is not currently supported, provide a SourceUser that has not been signed up in order to link',
  destination: `DestinationUser.ProviderName must be ${LOCAL_PROVIDER}, and ProviderAttributeValue the user's username.`,
  sourceLocal: `SourceUser.ProviderName must be an identity provider of the user pool, not ${LOCAL_PROVIDER}.`,
  socialSubject: (name: string) => `SourceUser.ProviderAttributeName must be ${COGNITO_SUBJECT} for ${name}.`,
  missing: (member: string) => `${member} is required.`,
  linkedElsewhere: 'The SourceUser is already linked to another user.',
  limit: `A user can be linked to at most ${MAX_LINKS_PER_USER} identity provider users.`,
  disableLocal: `User.ProviderAttributeName must be ${COGNITO_SUBJECT} for ${LOCAL_PROVIDER} users.`,
} as const;

const SOCIAL: ReadonlySet<IdentityProviderTypeType> = new Set(['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple']);

/** The three members of a ProviderUserIdentifierType, each required here. */
export function identifierOf(id: ProviderUserIdentifierType | undefined, member: string): { provider: string; attribute: string; value: string } {
  const provider = id?.ProviderName;
  const attribute = id?.ProviderAttributeName;
  const value = id?.ProviderAttributeValue;
  if (!provider) throw invalidParameter(LINK_MESSAGES.missing(`${member}.ProviderName`));
  if (!value) throw invalidParameter(LINK_MESSAGES.missing(`${member}.ProviderAttributeValue`));
  // DestinationUser's ProviderAttributeName is ignored by AWS [MODEL API:AdminLinkProviderForUser].
  return { provider, attribute: attribute ?? '', value };
}

/** Social providers link by subject only; OIDC and SAML also by a mapped attribute (§4.8). */
export function checkSourceAttribute(type: IdentityProviderTypeType, providerName: string, attribute: string): void {
  if (SOCIAL.has(type) && attribute !== COGNITO_SUBJECT) throw invalidParameter(LINK_MESSAGES.socialSubject(providerName));
  if (!attribute) throw invalidParameter(LINK_MESSAGES.missing('SourceUser.ProviderAttributeName'));
}

/** The username a provider identity gets at its first sign-in: the provider name, `_`, its id (§4.8, observed `google_…`). */
export function federatedUsername(providerName: string, providerUserId: string): string {
  return `${providerName}_${providerUserId}`;
}
