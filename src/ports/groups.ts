import type { GroupClaimSource, GroupRecord } from '../domain/groups/group.js';
import type { UserListing } from '../domain/users/user.js';
import type { Page } from './page.js';

/**
 * Groups of a pool and their members. Listings are in code-point order of their key: groups by
 * name, a group's members by username key (`Page.after` is the last key seen).
 */
export interface GroupsPort {
  /** Throws UniqueViolation when the pool already has a group of that name. */
  insertGroup(group: GroupRecord): Promise<void>;
  getGroup(poolId: string, name: string): Promise<GroupRecord | undefined>;
  updateGroup(group: GroupRecord): Promise<void>;
  /** Deletes the group with its memberships. */
  deleteGroup(poolId: string, name: string): Promise<void>;
  listGroups(poolId: string, page: Page): Promise<GroupRecord[]>;
  /** Makes the user a member; a member already is one (no error, nothing changes). */
  addGroupMember(poolId: string, groupName: string, user: Pick<UserListing, 'sub' | 'usernameKey'>): Promise<void>;
  /** Ends the membership, if there is one. */
  removeGroupMember(poolId: string, groupName: string, userSub: string): Promise<void>;
  /** The user's groups, by name. */
  listGroupsOfUser(poolId: string, userSub: string, page: Page): Promise<GroupRecord[]>;
  /** The group's members, by username key. */
  listGroupMembers(poolId: string, groupName: string, page: Page): Promise<UserListing[]>;
  /**
   * Name, precedence and role of every group of the user, in no particular order: what each
   * token issue reads, as one indexed query (empty and cheap for a user in no group).
   */
  groupClaimsOf(poolId: string, userSub: string): Promise<GroupClaimSource[]>;
}
