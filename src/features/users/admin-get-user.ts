import type { Operation } from '../operation.js';
import { loadPool, loadUser } from '../../services/directory/lookups.js';
import { attributeList } from '../../domain/users/user-view.js';
import { mfaView } from '../../domain/mfa/mfa-settings.js';

/** A user by username, alias or sub, with the user's MFA factors (UserMFASettingList, PreferredMfaSetting, MFAOptions). */
export const adminGetUser: Operation<'AdminGetUser'> = (deps) => async (input) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const user = await loadUser(deps.store, pool, input.Username);
  const mfa = await deps.store.getUserMfa(pool.id, user.sub);
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
    ...mfaView(mfa),
  };
};
