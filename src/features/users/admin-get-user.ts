import type { Operation, Output } from '../operation.js';
import type { UserRecord } from '../../domain/users/user.js';
import { sharedAnswers } from '../../kernel/shared-answer.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { attributeList } from '../../domain/users/user-view.js';
import { mfaView } from '../../domain/mfa/mfa-settings.js';

/** A user by username, alias or sub, with the user's MFA factors (UserMFASettingList, PreferredMfaSetting, MFAOptions). */
export const adminGetUser: Operation<'AdminGetUser'> = (deps) => async (input) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const user = await loadUser(deps.store, pool, input.Username);
  const mfa = await deps.store.getUserMfa(pool.id, user.sub);
  // Built once per user record the store shares, for as long as it shares it (the same user
  // and MFA objects until a write: kernel/shared-answer.ts).
  return answers(user, mfa, () => ({
    Username: user.username,
    UserAttributes: attributeList(user),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
    ...mfaView(mfa),
  }));
};

const answers = sharedAnswers<UserRecord, Output<'AdminGetUser'>>();
