/**
 * The user a federated sign-in signs in as: shared by every provider type (OIDC and the social
 * providers in the OAuth routes, SAML in its own routes).
 *
 *   signInFederated(deps, {
 *     pool,            // PoolRecord of the endpoint
 *     provider,        // IdentityProviderRecord (store.getIdentityProvider)
 *     providerUserId,  // OIDC/Apple/Google `sub`, Facebook `id`, Amazon `user_id`, SAML NameID
 *     claims,          // the provider's claims / SAML attributes by name (multi-valued: arrays)
 *     clientId,        // the app client of the authorize request (trigger events name it)
 *     issuer?,         // the `issuer` of the identities entry (OIDC issuer, SAML entity id); null by default
 *   }) => Promise<{ sub, username, authTime }>   // authTime in epoch seconds, for complete()
 *
 * Throws FederationRefusal (domain/idp/federated-profile.ts: `error` + `description`, e.g. a
 * missing required attribute or a disabled user) and the triggers' ServiceErrors
 * (UserLambdaValidationException ...): the caller redirects with error=invalid_request and the
 * message as error_description (cognito-facts-areas.md §2.5 "Managed login passes the same text").
 *
 * What it does (§4.8): an identity linked by AdminLinkProviderForUser (by `Cognito_Subject` or,
 * for OIDC/SAML, by a provider attribute) signs in as the linked user, whose `identities` gains
 * the entry; otherwise the user `<ProviderName>_<id>` (status EXTERNAL_PROVIDER) is found or
 * created. The provider's AttributeMapping is applied at every sign-in. Triggers, as AWS runs them
 * for federated users (DG "Lambda triggers for federated users"; field: aws-amplify/amplify-js#5885,
 * PostAuthentication does not run at the first sign-in): first sign-in PreSignUp_ExternalProvider
 * then PostConfirmation_ConfirmSignUp; later sign-ins PreAuthentication_Authentication and
 * PostAuthentication_Authentication. PreTokenGeneration (TokenGeneration_HostedAuth) runs when
 * the code is exchanged, as for any managed login sign-in.
 */
import type { Deps } from '../deps.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import { settingsOf, type PoolSettings } from '../../domain/pools/user-pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import { activeAliases, lookupKey } from '../../domain/users/username.js';
import type { IdentityProviderRecord, ProviderLinkRecord } from '../../domain/idp/identity-provider.js';
import { COGNITO_SUBJECT, federatedUsername } from '../../domain/idp/provider-link.js';
import { FEDERATION_MESSAGES, FederationRefusal, claimString, mappedAttributes, withIdentity, type ClaimValue } from '../../domain/idp/federated-profile.js';
import { UniqueViolation } from '../../ports/unique-violation.js';
import type { StoreTx } from '../../ports/store.js';
import { runTrigger, type TriggerDeps } from '../triggers/run-trigger.js';
import { runPostConfirmation } from '../triggers/post-confirmation.js';
import { submittedAttributes, triggerUserAttributes } from '../triggers/user-attributes.js';

export type FederatedUserDeps = 'store' | 'clock' | 'random' | TriggerDeps;

export interface FederatedSignIn {
  pool: PoolRecord;
  provider: IdentityProviderRecord;
  providerUserId: string;
  claims: Readonly<Record<string, ClaimValue>>;
  clientId: string;
  issuer?: string | null | undefined;
}

export interface FederatedUser {
  sub: string;
  username: string;
  /** Epoch seconds. */
  authTime: number;
}

/** Provider attributes tried for links by attribute (OIDC, SAML); more claims than this are not looked at. */
const MAX_LINK_CLAIMS = 64;

export async function signInFederated(deps: Pick<Deps, FederatedUserDeps>, input: FederatedSignIn): Promise<FederatedUser> {
  const { pool, provider } = input;
  const settings = settingsOf(pool);
  const authTime = Math.floor(deps.clock.nowMs() / 1000);
  const identity = { userId: input.providerUserId, providerName: provider.name, providerType: provider.type, issuer: input.issuer ?? null };

  const linked = await linkedUser(deps, input);
  if (linked) {
    const user = await signInExisting(deps, settings, input, linked, identity);
    return { sub: user.sub, username: user.username, authTime };
  }
  const own = await deps.store.getUserByUsernameKey(pool.id, lookupKey(settings, federatedUsername(provider.name, input.providerUserId)));
  if (own) {
    // A native user who happens to bear the name is not this identity's user.
    if (own.status !== 'EXTERNAL_PROVIDER') throw new FederationRefusal('invalid_request', FEDERATION_MESSAGES.taken);
    const user = await signInExisting(deps, settings, input, own, identity);
    return { sub: user.sub, username: user.username, authTime };
  }
  const user = await firstSignIn(deps, settings, input, identity);
  return { sub: user.sub, username: user.username, authTime };
}

/** The user an AdminLinkProviderForUser link names for this identity, if any (and still there). */
async function linkedUser(deps: Pick<Deps, 'store'>, input: FederatedSignIn): Promise<UserRecord | undefined> {
  const { pool, provider } = input;
  let link: ProviderLinkRecord | undefined = await deps.store.getProviderLink(pool.id, provider.name, COGNITO_SUBJECT, input.providerUserId);
  if (!link && (provider.type === 'OIDC' || provider.type === 'SAML')) {
    for (const [name, value] of Object.entries(input.claims).slice(0, MAX_LINK_CLAIMS)) {
      const text = claimString(value);
      if (text === undefined || text === '' || text.length > 2048) continue;
      link = await deps.store.getProviderLink(pool.id, provider.name, name, text);
      if (link) break;
    }
  }
  return link ? deps.store.getUserBySub(pool.id, link.userSub) : undefined;
}

type Identity = Parameters<typeof withIdentity>[1];

/** A later sign-in (or a linked user's): attributes rewritten from the claims, the identity recorded. */
async function signInExisting(deps: Pick<Deps, FederatedUserDeps>, settings: PoolSettings, input: FederatedSignIn, found: UserRecord, identity: Identity): Promise<UserRecord> {
  const native = found.status !== 'EXTERNAL_PROVIDER';
  if (!found.enabled) throw new FederationRefusal('invalid_request', FEDERATION_MESSAGES.disabled);
  await runTrigger(deps, settings, {
    source: 'PreAuthentication_Authentication',
    poolId: found.poolId,
    userName: found.username,
    clientId: input.clientId,
    request: { userAttributes: triggerUserAttributes(found), validationData: null },
  });
  const attributes = mappedAttributes(settings, input.provider.attributeMapping, input.claims, found.attributes);
  attributes.identities = withIdentity(found.attributes.identities, identity, deps.clock.nowMs());
  const updated = await deps.store.transaction(async (tx) => {
    // Read again inside the transaction: another sign-in or an administrator may have changed it.
    const current = await tx.getUserBySub(found.poolId, found.sub);
    if (!current || !current.enabled) throw new FederationRefusal('invalid_request', FEDERATION_MESSAGES.disabled);
    const next: UserRecord = { ...current, attributes: { ...current.attributes, ...attributes }, updatedAt: deps.clock.nowMs() };
    return writeUser(tx, settings, next, native);
  });
  await runTrigger(deps, settings, {
    source: 'PostAuthentication_Authentication',
    poolId: updated.poolId,
    userName: updated.username,
    clientId: input.clientId,
    request: { userAttributes: triggerUserAttributes(updated), newDeviceUsed: false },
  });
  return updated;
}

/**
 * Federated users hold no sign-in aliases (they sign in at their provider; a native user may have
 * the same email, which is what AdminLinkProviderForUser is for). A linked native user keeps the
 * pool's alias rules; a mapped value another user holds as an alias leaves its aliases as they were.
 */
async function writeUser(tx: StoreTx, settings: PoolSettings, next: UserRecord, native: boolean): Promise<UserRecord> {
  if (!native) {
    await tx.updateUser(next);
    return next;
  }
  const withAliases = { ...next, aliases: activeAliases(settings, next.attributes) };
  try {
    await tx.updateUser(withAliases);
    return withAliases;
  } catch (err) {
    if (!(err instanceof UniqueViolation)) throw err;
    await tx.updateUser(next);
    return next;
  }
}

/** The first sign-in: PreSignUp_ExternalProvider, the new EXTERNAL_PROVIDER user, PostConfirmation. */
async function firstSignIn(deps: Pick<Deps, FederatedUserDeps>, settings: PoolSettings, input: FederatedSignIn, identity: Identity): Promise<UserRecord> {
  const { pool } = input;
  const username = federatedUsername(input.provider.name, input.providerUserId);
  const attributes = mappedAttributes(settings, input.provider.attributeMapping, input.claims, {});
  const answer = await runTrigger(deps, settings, {
    source: 'PreSignUp_ExternalProvider',
    poolId: pool.id,
    userName: username,
    clientId: input.clientId,
    request: { userAttributes: submittedAttributes(attributes), validationData: null },
  });
  // autoVerify* mark the contact verified, as for a sign-up; autoConfirmUser has nothing to do
  // (the user is EXTERNAL_PROVIDER from the start).
  for (const [wanted, name] of [
    [answer?.autoVerifyEmail, 'email'],
    [answer?.autoVerifyPhone, 'phone_number'],
  ] as const) {
    if (!wanted) continue;
    if (!attributes[name]) throw new FederationRefusal('invalid_request', `The PreSignUp function asked to verify ${name}, but the user has no ${name}.`);
    attributes[`${name}_verified`] = 'true';
  }
  const now = deps.clock.nowMs();
  const sub = deps.random.uuid();
  const user: UserRecord = {
    poolId: pool.id,
    sub,
    username,
    usernameKey: lookupKey(settings, username),
    status: 'EXTERNAL_PROVIDER',
    enabled: true,
    passwordHash: null,
    passwordUpdatedAt: null,
    srp: null,
    attributes: { sub, ...attributes, identities: withIdentity(undefined, identity, now) },
    aliases: { email: null, phone_number: null, preferred_username: null },
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.store.insertUser(user);
  } catch (err) {
    if (!(err instanceof UniqueViolation)) throw err;
    // The same identity's first sign-in ran twice at once: the other one made the user.
    const made = await deps.store.getUserByUsernameKey(pool.id, user.usernameKey);
    if (!made) throw err;
    if (made.status !== 'EXTERNAL_PROVIDER') throw new FederationRefusal('invalid_request', FEDERATION_MESSAGES.taken);
    return signInExisting(deps, settings, input, made, identity);
  }
  await runPostConfirmation(deps, settings, user, 'PostConfirmation_ConfirmSignUp', input.clientId, undefined);
  return user;
}
