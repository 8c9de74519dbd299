import type { Random } from '../../kernel/random.js';
import type { UserRecord } from './user.js';
import { DEFAULT_PASSWORD_POLICY, type PoolSettings } from '../pools/user-pool.js';

const DAY_MS = 86_400_000;

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
// Symbols from Cognito's accepted set that survive e-mail, SMS and copy-paste unharmed.
const SYMBOLS = '!#$%&*+-.=?@^_~';

function pick(random: Random, alphabet: string): string {
  return alphabet[random.int(0, alphabet.length)] as string;
}

/**
 * A temporary password that meets any policy of the pool: at least its minimum length (and
 * never shorter than 12), with a character of every class whether the policy asks or not.
 */
export function generateTemporaryPassword(settings: PoolSettings, random: Random): string {
  const minimum = settings.Policies?.PasswordPolicy?.MinimumLength ?? DEFAULT_PASSWORD_POLICY.MinimumLength;
  const length = Math.max(minimum, 12);
  const chars = [pick(random, LOWER), pick(random, UPPER), pick(random, DIGITS), pick(random, SYMBOLS)];
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  while (chars.length < length) chars.push(pick(random, all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random.int(0, i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

/** Days a temporary password stays usable: the password policy's, else the legacy setting, else 7. */
export function temporaryPasswordValidityDays(settings: PoolSettings): number {
  return (
    settings.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ??
    settings.AdminCreateUserConfig?.UnusedAccountValidityDays ??
    DEFAULT_PASSWORD_POLICY.TemporaryPasswordValidityDays
  );
}

/**
 * Whether a FORCE_CHANGE_PASSWORD user's temporary password has run out. It was set at
 * creation, by a RESEND or by AdminSetUserPassword without Permanent, each of which sets
 * passwordUpdatedAt. Sign-in then refuses with
 * `NotAuthorizedException: User account has expired, it must be reset by an administrator.`
 */
export function temporaryPasswordExpired(settings: PoolSettings, user: UserRecord, nowMs: number): boolean {
  if (user.status !== 'FORCE_CHANGE_PASSWORD') return false;
  const setAt = user.passwordUpdatedAt ?? user.createdAt;
  return nowMs > setAt + temporaryPasswordValidityDays(settings) * DAY_MS;
}
