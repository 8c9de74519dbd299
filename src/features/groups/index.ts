import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { adminAddUserToGroup } from './admin-add-user-to-group.js';
import { adminListGroupsForUser } from './admin-list-groups-for-user.js';
import { adminRemoveUserFromGroup } from './admin-remove-user-from-group.js';
import { createGroup } from './create-group.js';
import { deleteGroup } from './delete-group.js';
import { getGroup } from './get-group.js';
import { listGroups } from './list-groups.js';
import { listUsersInGroup } from './list-users-in-group.js';
import { updateGroup } from './update-group.js';

/**
 * This area's operations, merged into the registry by features/registry.ts. The token claims
 * (cognito:groups, cognito:roles, cognito:preferred_role) are the tokens service's: it reads the
 * memberships through the groups port, so sign-in does not import this area.
 */
export const groupsOperations = {
  CreateGroup: createGroup,
  GetGroup: getGroup,
  UpdateGroup: updateGroup,
  DeleteGroup: deleteGroup,
  ListGroups: listGroups,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  AdminListGroupsForUser: adminListGroupsForUser,
  ListUsersInGroup: listUsersInGroup,
} satisfies { [N in OperationName]?: Operation<N> };
