import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { adminCreateUser } from './admin-create-user.js';
import { adminDeleteUser } from './admin-delete-user.js';
import { adminDeleteUserAttributes } from './admin-delete-user-attributes.js';
import { adminDisableUser } from './admin-disable-user.js';
import { adminEnableUser } from './admin-enable-user.js';
import { adminGetUser } from './admin-get-user.js';
import { adminSetUserPassword } from './admin-set-user-password.js';
import { adminUpdateUserAttributes } from './admin-update-user-attributes.js';
import { listUsers } from './list-users.js';

/** The user directory's operations, merged into the registry by features/registry.ts. */
export const usersOperations = {
  AdminCreateUser: adminCreateUser,
  AdminGetUser: adminGetUser,
  AdminDeleteUser: adminDeleteUser,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminDeleteUserAttributes: adminDeleteUserAttributes,
  AdminSetUserPassword: adminSetUserPassword,
  ListUsers: listUsers,
} satisfies { [N in OperationName]?: Operation<N> };
