import type { OperationName } from '../../protocol/generated/operations.js';
import type { Operation } from '../deps.js';
import { adminCreateUser } from '../admin-create-user.js';
import { adminDeleteUser } from '../admin-delete-user.js';
import { adminDeleteUserAttributes } from '../admin-delete-user-attributes.js';
import { adminDisableUser } from '../admin-disable-user.js';
import { adminEnableUser } from '../admin-enable-user.js';
import { adminGetUser } from '../admin-get-user.js';
import { adminSetUserPassword } from '../admin-set-user-password.js';
import { adminUpdateUserAttributes } from '../admin-update-user-attributes.js';

/** Operations of this group, merged into the registry by operations/index.ts. */
export const usersOperations = {
  AdminCreateUser: adminCreateUser,
  AdminGetUser: adminGetUser,
  AdminDeleteUser: adminDeleteUser,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminDeleteUserAttributes: adminDeleteUserAttributes,
  AdminSetUserPassword: adminSetUserPassword,
} satisfies { [N in OperationName]?: Operation<N> };
