import type { IdentityProviderTypeType } from '../../model/generated/types.js';
import type { PoolSettings } from '../pools/user-pool.js';
import { schemaAttribute } from '../users/attributes.js';

/**
 * The pure rules of a federated sign-in (cognito-facts-areas.md §4.8, DG23
 * cognito-user-pools-specifying-attribute-mapping and …-identity-federation-consolidate-users):
 * how a provider's claims become pool attributes through the provider's AttributeMapping, and
 * the `identities` attribute that records which provider identities sign in as a user.
 */

/** Mapped values longer than this are refused (§4.8: values ≤2048 characters). */
export const MAX_MAPPED_VALUE = 2048;

/** A claim value as a provider sends it: OIDC JSON, SAML attribute values (several for multi-valued ones). */
export type ClaimValue = string | number | boolean | null | undefined | readonly unknown[] | Record<string, unknown>;

/** Why a federated sign-in is refused; the route sends it as `error` / `error_description` (§4.2). */
export class FederationRefusal extends Error {
  constructor(
    readonly error: 'invalid_request' | 'access_denied' | 'server_error',
    readonly description: string,
  ) {
    super(description);
  }
}

/**
 * AWS's refusal texts as they appear in the redirect's error_description. `required` is the
 * text field reports quote for a provider that does not send a required attribute
 * (`error_description=attributes+required%3A+%5Bemail%5D&error=invalid_request`);
 * the others are not published and say what was refused.
 */
export const FEDERATION_MESSAGES = {
  required: (names: readonly string[]) => `attributes required: [${names.join(', ')}]`,
  tooLong: (attribute: string) => `The value of attribute ${attribute} is longer than ${MAX_MAPPED_VALUE} characters.`,
  disabled: 'User is disabled.',
  taken: 'A user of this pool already has the username this identity signs in with.',
} as const;

/** Attributes the mapping may never write: Cognito's own (`sub`, `identities`) and the username. */
const NOT_MAPPABLE = new Set(['sub', 'identities', 'username', 'cognito:username']);

/** One claim's value as an attribute string: multi-valued claims as `[a, b]`, objects as JSON. */
export function claimString(value: ClaimValue): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    return items.length === 1 ? items[0] : `[${items.join(', ')}]`;
  }
  return JSON.stringify(value);
}

/**
 * The attributes after a sign-in: `current` (the user's stored ones, or {} at the first sign-in)
 * with each mapped attribute rewritten from its claim; a claim the provider did not send leaves
 * the old value (§4.8). A mapped `email` without a mapped `email_verified` is unverified; a mapped
 * `email_verified` is `true` only when the claim says so. Attributes the pool does not have are
 * skipped, as are the ones Cognito writes itself. Required attributes of the pool that are still
 * missing refuse the sign-in (FederationRefusal, AWS's text).
 */
export function mappedAttributes(
  settings: PoolSettings,
  mapping: Readonly<Record<string, string>>,
  claims: Readonly<Record<string, ClaimValue>>,
  current: Readonly<Record<string, string>>,
): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const [attribute, claim] of Object.entries(mapping)) {
    if (NOT_MAPPABLE.has(attribute) || !schemaAttribute(settings, attribute)) continue;
    const value = claimString(claims[claim]);
    if (value === undefined) continue;
    if (value.length > MAX_MAPPED_VALUE) throw new FederationRefusal('invalid_request', FEDERATION_MESSAGES.tooLong(attribute));
    next[attribute] = value;
  }
  for (const flag of ['email_verified', 'phone_number_verified'] as const) {
    const contact = flag === 'email_verified' ? 'email' : 'phone_number';
    if (mapping[flag] !== undefined && claimString(claims[mapping[flag]]) !== undefined) {
      next[flag] = String(claimString(claims[mapping[flag]])).toLowerCase() === 'true' ? 'true' : 'false';
    } else if (flag === 'email_verified' && mapping[contact] !== undefined && claimString(claims[mapping[contact]]) !== undefined) {
      // An email the provider sends without saying it is verified is not verified here (§4.8).
      next[flag] = 'false';
    }
  }
  const missing = settings.SchemaAttributes.filter((a) => a.Required && a.Name !== undefined && a.Name !== 'sub' && !next[a.Name]).map((a) => a.Name as string);
  if (missing.length > 0) throw new FederationRefusal('invalid_request', FEDERATION_MESSAGES.required(missing));
  return next;
}

/** One entry of the `identities` attribute as stored (AdminGetUser shows it as this JSON). */
export interface IdentityEntry {
  userId: string;
  providerName: string;
  providerType: IdentityProviderTypeType;
  issuer: string | null;
  primary: boolean;
  dateCreated: number;
}

export function identitiesOf(attribute: string | undefined): IdentityEntry[] {
  if (attribute === undefined || attribute === '') return [];
  try {
    const parsed: unknown = JSON.parse(attribute);
    return Array.isArray(parsed) ? (parsed as IdentityEntry[]) : [];
  } catch {
    return [];
  }
}

/**
 * `identities` with this provider identity in it: added once (the first entry a user gets is
 * `primary`), never duplicated by later sign-ins.
 */
export function withIdentity(attribute: string | undefined, identity: Omit<IdentityEntry, 'primary' | 'dateCreated'>, nowMs: number): string {
  const entries = identitiesOf(attribute);
  if (entries.some((e) => e.providerName === identity.providerName && e.userId === identity.userId)) return JSON.stringify(entries);
  entries.push({ ...identity, primary: entries.length === 0, dateCreated: nowMs });
  return JSON.stringify(entries);
}

/**
 * The `identities` claim of an ID token: the stored entries as objects, with `primary` and
 * `dateCreated` as strings, the way Cognito's ID tokens show them.
 */
export function identitiesClaim(attribute: string): Record<string, unknown>[] {
  return identitiesOf(attribute).map((e) => ({ ...e, primary: String(e.primary), dateCreated: String(e.dateCreated) }));
}
