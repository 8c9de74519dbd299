import { invalidPassword } from '../../kernel/errors.js';
import { DEFAULT_PASSWORD_POLICY, type PoolSettings } from './user-pool.js';

/** Symbols Cognito accepts as "special characters" in password policies (its documented set). */
const SYMBOLS = new Set([...'^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ']);

/**
 * The pool's password policy, checked in Cognito's order. The first failure is reported with
 * AWS's text, e.g. `Password did not conform with policy: Password not long enough`.
 */
export function assertPasswordMeetsPolicy(settings: PoolSettings, password: string): void {
  const policy = { ...DEFAULT_PASSWORD_POLICY, ...settings.Policies?.PasswordPolicy };
  const fail = (why: string) => {
    throw invalidPassword(`Password did not conform with policy: ${why}`);
  };
  if ([...password].length < policy.MinimumLength) fail('Password not long enough');
  if (policy.RequireLowercase && !/[a-z]/.test(password)) fail('Password must have lowercase characters');
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) fail('Password must have uppercase characters');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) fail('Password must have numeric characters');
  if (policy.RequireSymbols && ![...password].some((c) => SYMBOLS.has(c))) fail('Password must have symbol characters');
}

export { SYMBOLS as PASSWORD_SYMBOLS };
