import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { adminCreateUser } from './admin-create-user.js';
import { adminDeleteUser } from './admin-delete-user.js';
import { adminDeleteUserAttributes } from './admin-delete-user-attributes.js';
import { adminDisableUser } from './admin-disable-user.js';
import { adminEnableUser } from './admin-enable-user.js';
import { adminGetUser } from './admin-get-user.js';
import { adminListUserAuthEvents } from './admin-list-user-auth-events.js';
import { adminSetUserPassword } from './admin-set-user-password.js';
import { adminUpdateAuthEventFeedback } from './admin-update-auth-event-feedback.js';
import { adminUpdateUserAttributes } from './admin-update-user-attributes.js';
import { deleteUser } from './delete-user.js';
import { deleteUserAttributes } from './delete-user-attributes.js';
import { listUsers } from './list-users.js';
import { updateAuthEventFeedback } from './update-auth-event-feedback.js';

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
  DeleteUser: deleteUser,
  DeleteUserAttributes: deleteUserAttributes,
  AdminListUserAuthEvents: adminListUserAuthEvents,
  AdminUpdateAuthEventFeedback: adminUpdateAuthEventFeedback,
  UpdateAuthEventFeedback: updateAuthEventFeedback,
} satisfies { [N in OperationName]?: Operation<N> };
