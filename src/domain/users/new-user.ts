import type { DeliveryMediumType } from '../../model/generated/types.js';
import { invalidParameter } from '../../kernel/errors.js';
import { looksLikeEmail, looksLikePhoneNumber, type Attributes } from './attributes.js';
import type { PoolSettings } from '../pools/user-pool.js';
import { activeAliases, lookupKey } from './username.js';
import type { UserRecord, UserStatus } from './user.js';

/**
 * How a requested Username becomes a stored one. In pools whose users sign in with their email
 * or phone number (UsernameAttributes), the Username given must be one of those; Cognito then
 * stores the new `sub` as the username and the given value as the attribute. In pools with
 * aliases, a username may not look like an alias it could be confused with.
 */
export interface NewUsername {
  username: string;
  /** The attribute the Username given stands for, in UsernameAttributes pools. */
  attribute?: { name: 'email' | 'phone_number'; value: string };
}

export function newUsername(settings: PoolSettings, requested: string, sub: string): NewUsername {
  const signInWith: readonly string[] = settings.UsernameAttributes ?? [];
  if (signInWith.length > 0) {
    if (signInWith.includes('email') && looksLikeEmail(requested)) return { username: sub, attribute: { name: 'email', value: requested } };
    if (signInWith.includes('phone_number') && looksLikePhoneNumber(requested)) {
      return { username: sub, attribute: { name: 'phone_number', value: requested } };
    }
    if (signInWith.includes('email') && signInWith.includes('phone_number')) {
      throw invalidParameter('Username should be either an email or a phone number.');
    }
    throw invalidParameter(signInWith.includes('email') ? 'Username should be an email.' : 'Username should be a phone number.');
  }
  const aliases: readonly string[] = settings.AliasAttributes ?? [];
  if (aliases.includes('email') && looksLikeEmail(requested)) {
    throw invalidParameter('Username cannot be of email format, since user pool is configured for email alias.');
  }
  if (aliases.includes('phone_number') && looksLikePhoneNumber(requested)) {
    throw invalidParameter('Username cannot be of phone number format, since user pool is configured for phone_number alias.');
  }
  return { username: requested };
}

/** What differs between the ways a user comes to exist (SignUp, AdminCreateUser). */
export interface NewUserFields {
  poolId: string;
  sub: string;
  username: string;
  status: Extract<UserStatus, 'UNCONFIRMED' | 'FORCE_CHANGE_PASSWORD'>;
  /** Null for a passwordless user (SignUp in a pool with one-time-code sign-in). */
  passwordHash: string | null;
  srp: UserRecord['srp'];
  /** `sub` is stored first, from the field above, whether or not it is included here. */
  attributes: Attributes;
  nowMs: number;
}

/** A user as first stored: enabled, its lookup key and aliases derived from the pool's rules. */
export function newUserRecord(settings: PoolSettings, fields: NewUserFields): UserRecord {
  const { poolId, sub, username, status, passwordHash, srp, attributes, nowMs } = fields;
  return {
    poolId,
    sub,
    username,
    usernameKey: lookupKey(settings, username),
    status,
    enabled: true,
    passwordHash,
    srp,
    passwordUpdatedAt: passwordHash === null ? null : nowMs,
    attributes: { sub, ...attributes },
    aliases: activeAliases(settings, attributes),
    createdAt: nowMs,
    updatedAt: nowMs,
  };
}

export interface Invitation {
  channel: 'EMAIL' | 'SMS';
  destination: string;
}

/**
 * Where the invitation goes: each desired medium (SMS when none is given) to the matching
 * attribute. A medium asked for explicitly without its attribute is refused; the default SMS
 * without a phone number is skipped.
 */
export function invitationDestinations(attributes: Attributes, desired: readonly DeliveryMediumType[] | undefined): Invitation[] {
  const explicit = desired !== undefined && desired.length > 0;
  const mediums = explicit ? [...new Set(desired)] : (['SMS'] as const);
  const result: Invitation[] = [];
  for (const medium of mediums) {
    if (medium === 'EMAIL') {
      const email = attributes.email;
      if (email === undefined) throw invalidParameter('No email provided but desired delivery medium was Email');
      result.push({ channel: 'EMAIL', destination: email });
    } else if (medium === 'SMS') {
      const phone = attributes.phone_number;
      if (phone === undefined) {
        if (explicit) throw invalidParameter('No phone_number provided but desired delivery medium was SMS');
        continue;
      }
      result.push({ channel: 'SMS', destination: phone });
    }
  }
  return result;
}
