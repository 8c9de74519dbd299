import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import { activeAliases } from '../../domain/users/username.js';
import { invalidParameter } from '../../kernel/errors.js';
import type { PreSignUpResponse } from '../../services/triggers/trigger-contracts.js';

/**
 * What a PreSignUp_SignUp answer does to the new user (cognito-facts-areas.md §2.3, DG23
 * user-pool-lambda-pre-sign-up): autoConfirmUser makes it CONFIRMED (no code is sent),
 * autoVerifyEmail/autoVerifyPhone mark the contact verified, which makes it a sign-in alias.
 * `false` changes nothing: the function refuses a sign-up by throwing. Verifying an attribute
 * the user does not have fails the sign-up (DG23); AWS's error text for it is not documented,
 * so this one is userpoold's.
 */
export function applyPreSignUp(settings: PoolSettings, user: UserRecord, answer: PreSignUpResponse): UserRecord {
  const attributes = { ...user.attributes };
  for (const [wanted, name] of [
    [answer.autoVerifyEmail, 'email'],
    [answer.autoVerifyPhone, 'phone_number'],
  ] as const) {
    if (!wanted) continue;
    if (attributes[name] === undefined || attributes[name] === '') {
      throw invalidParameter(`The PreSignUp function asked to verify ${name}, but the user has no ${name}.`);
    }
    attributes[`${name}_verified`] = 'true';
  }
  return {
    ...user,
    status: answer.autoConfirmUser ? 'CONFIRMED' : user.status,
    attributes,
    aliases: activeAliases(settings, attributes),
  };
}

/**
 * The aliases the function's verification made active, to be claimed (moved from another
 * holder, §2.3) in the write transaction; preferred_username is claimed at confirmation as
 * for any sign-up.
 */
export function verifiedContactAliases(user: UserRecord, answer: PreSignUpResponse): UserRecord {
  return {
    ...user,
    aliases: {
      email: answer.autoVerifyEmail ? user.aliases.email : null,
      phone_number: answer.autoVerifyPhone ? user.aliases.phone_number : null,
      preferred_username: null,
    },
  };
}
