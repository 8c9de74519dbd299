import type { CodeDeliveryDetailsType } from '../../model/generated/types.js';
import type { ClientSettings } from '../clients/app-client.js';
import { inventedDestination, maskDestination } from '../messages/mask-destination.js';
import type { PoolSettings } from '../pools/user-pool.js';
import type { UserStatus } from './user.js';
import { invalidParameter, notAuthorized } from '../../kernel/errors.js';

/**
 * Rules of sign-up confirmation and contact verification: where a code goes, how long it lives,
 * how often it may be tried or sent (cognito-facts.md section 4), and who may write what.
 */

const HOUR_MS = 3_600_000;

/** Sign-up and attribute verification codes both live 24 hours. */
export const VERIFICATION_CODE_TTL_MS = 24 * HOUR_MS;

/** Per user and hour: ConfirmSignUp and VerifyUserAttribute guesses, resend and get-code requests. */
export const CONFIRM_ATTEMPTS_PER_HOUR = 15;
export const VERIFY_ATTEMPTS_PER_HOUR = 15;
export const CODE_SENDS_PER_HOUR = 5;

export type ContactAttribute = 'email' | 'phone_number';

export interface CodeChannel {
  medium: 'EMAIL' | 'SMS';
  attribute: ContactAttribute;
  destination: string;
}

export function channelFor(attribute: ContactAttribute, destination: string): CodeChannel {
  return { medium: attribute === 'email' ? 'EMAIL' : 'SMS', attribute, destination };
}

export function isAutoVerified(settings: PoolSettings, attribute: ContactAttribute): boolean {
  return settings.AutoVerifiedAttributes?.includes(attribute) ?? false;
}

/**
 * Where a sign-up confirmation code goes: the phone when the pool auto-verifies phone numbers
 * and the user has one (Cognito prefers SMS when both are auto-verified), else the email under
 * the same condition. Undefined when neither applies: no code, only an administrator confirms.
 */
export function signUpChannel(settings: PoolSettings, attributes: Record<string, string>): CodeChannel | undefined {
  for (const attribute of ['phone_number', 'email'] as const) {
    const value = attributes[attribute];
    if (value && isAutoVerified(settings, attribute)) return channelFor(attribute, value);
  }
  return undefined;
}

export function deliveryDetails(channel: CodeChannel): CodeDeliveryDetailsType {
  return { Destination: maskDestination(channel.medium, channel.destination), DeliveryMedium: channel.medium, AttributeName: channel.attribute };
}

/**
 * The answer for a user hidden by PreventUserExistenceErrors: the shape a real delivery would
 * have, with nothing sent. The destination is invented from `seed`, a keyed hash of the pool and
 * the name, in the format of a real mask (inventedDestination), so it tells nothing.
 */
export function simulatedSignUpDelivery(settings: PoolSettings, username: string, seed: Uint8Array): CodeDeliveryDetailsType {
  const sms = isAutoVerified(settings, 'phone_number') && !isAutoVerified(settings, 'email');
  const channel = sms ? channelFor('phone_number', '') : channelFor('email', '');
  return { Destination: inventedDestination(channel.medium, username, seed), DeliveryMedium: channel.medium, AttributeName: channel.attribute };
}

/** AttributeName of GetUserAttributeVerificationCode and VerifyUserAttribute: only contacts verify. */
export function verifiableAttribute(name: string): ContactAttribute {
  if (name === 'email' || name === 'phone_number') return name;
  // AWS's exact text for this refusal was not captured (unverified).
  throw invalidParameter(`Invalid attribute name: ${name} cannot be verified.`);
}

/** A user past sign-up cannot be confirmed again; AWS names the status it found. */
export function assertUnconfirmed(status: UserStatus): void {
  if (status !== 'UNCONFIRMED') throw notAuthorized(`User cannot be confirmed. Current status is ${status}`);
}

/**
 * A public (client) write may touch only attributes the client is allowed to write: never the
 * verification flags or developer-only attributes, and only WriteAttributes when the client
 * lists them. Names outside the schema, `sub` and immutability are the schema check's business.
 */
export function assertClientMayWrite(client: ClientSettings, settings: PoolSettings, names: readonly string[]): void {
  const allowed = client.WriteAttributes && client.WriteAttributes.length > 0 ? new Set(client.WriteAttributes) : undefined;
  for (const name of names) {
    const schema = settings.SchemaAttributes.find((a) => a.Name === name);
    const refused =
      name.startsWith('dev:') ||
      VERIFICATION_FLAGS.has(name) ||
      (schema !== undefined && (schema.DeveloperOnlyAttribute === true || (allowed !== undefined && !allowed.has(name))));
    if (refused) throw notAuthorized('A client attempted to write unauthorized attribute');
  }
}

const VERIFICATION_FLAGS: ReadonlySet<string> = new Set(['email_verified', 'phone_number_verified']);
