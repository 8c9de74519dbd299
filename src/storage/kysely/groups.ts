import type { Selectable } from 'kysely';
import type { GroupClaimSource, GroupRecord } from '../../domain/groups/group.js';
import type { UserListing } from '../../domain/users/user.js';
import type { GroupsPort } from '../../ports/groups.js';
import type { Page } from '../../ports/page.js';
import type { DialectName } from '../dialect-sql.js';
import { precompiled, type Precompiled } from '../precompiled.js';
import type { GroupsTable } from '../schema.js';
import { KyselyContext } from './context.js';
import { unique } from './unique.js';
import { LISTING_COLUMNS, userListingFromRow } from './users.js';

type ClaimRow = { name: string; precedence: number | string | null; role_arn: string | null };

/**
 * The read of every token issue, compiled once per dialect (its SQL depends only on the
 * dialect): the user's memberships by the group_members key, each joined to its group by the
 * groups key. A user in no group costs one index probe that finds nothing.
 */
const claimsQuery = (): Precompiled<{ poolId: string; userSub: string }, ClaimRow> =>
  precompiled((db, v) =>
    db
      .selectFrom('group_members as m')
      .innerJoin('groups as g', (join) => join.onRef('g.pool_id', '=', 'm.pool_id').onRef('g.name', '=', 'm.group_name'))
      .select(['g.name', 'g.precedence', 'g.role_arn'])
      .where('m.pool_id', '=', v.poolId)
      .where('m.user_sub', '=', v.userSub),
  );
const CLAIMS: Record<DialectName, Precompiled<{ poolId: string; userSub: string }, ClaimRow>> = { sqlite: claimsQuery(), postgres: claimsQuery() };

export class KyselyGroups extends KyselyContext implements GroupsPort {
  async insertGroup(group: GroupRecord): Promise<void> {
    await unique(this.dialect, this.db, () => this.db.insertInto('groups').values(groupRow(group)).execute());
  }

  async getGroup(poolId: string, name: string): Promise<GroupRecord | undefined> {
    const row = await this.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return row && groupFromRow(row);
  }

  async updateGroup(group: GroupRecord): Promise<void> {
    const { pool_id: _pool, name: _name, created_at: _created, ...changes } = groupRow(group);
    await this.db.updateTable('groups').set(changes).where('pool_id', '=', group.poolId).where('name', '=', group.name).execute();
  }

  async deleteGroup(poolId: string, name: string): Promise<void> {
    await this.db.deleteFrom('group_members').where('pool_id', '=', poolId).where('group_name', '=', name).execute();
    await this.db.deleteFrom('groups').where('pool_id', '=', poolId).where('name', '=', name).execute();
  }

  async listGroups(poolId: string, page: Page): Promise<GroupRecord[]> {
    let q = this.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId);
    if (page.after !== undefined) q = q.where('name', '>', page.after);
    return (await q.orderBy('name').limit(page.limit).execute()).map(groupFromRow);
  }

  async addGroupMember(poolId: string, groupName: string, user: Pick<UserListing, 'sub' | 'usernameKey'>): Promise<void> {
    await this.db
      .insertInto('group_members')
      .values({ pool_id: poolId, group_name: groupName, user_sub: user.sub, username_key: user.usernameKey })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async removeGroupMember(poolId: string, groupName: string, userSub: string): Promise<void> {
    await this.db.deleteFrom('group_members').where('pool_id', '=', poolId).where('user_sub', '=', userSub).where('group_name', '=', groupName).execute();
  }

  async listGroupsOfUser(poolId: string, userSub: string, page: Page): Promise<GroupRecord[]> {
    let q = this.db
      .selectFrom('group_members as m')
      .innerJoin('groups as g', (join) => join.onRef('g.pool_id', '=', 'm.pool_id').onRef('g.name', '=', 'm.group_name'))
      .selectAll('g')
      .where('m.pool_id', '=', poolId)
      .where('m.user_sub', '=', userSub);
    if (page.after !== undefined) q = q.where('m.group_name', '>', page.after);
    return (await q.orderBy('m.group_name').limit(page.limit).execute()).map(groupFromRow);
  }

  async listGroupMembers(poolId: string, groupName: string, page: Page): Promise<UserListing[]> {
    let q = this.db
      .selectFrom('group_members as m')
      .innerJoin('users as u', 'u.sub', 'm.user_sub')
      .select(LISTING_COLUMNS.map((column) => `u.${column}` as const))
      .where('m.pool_id', '=', poolId)
      .where('m.group_name', '=', groupName);
    if (page.after !== undefined) q = q.where('m.username_key', '>', page.after);
    return (await q.orderBy('m.username_key').limit(page.limit).execute()).map(userListingFromRow);
  }

  async groupClaimsOf(poolId: string, userSub: string): Promise<GroupClaimSource[]> {
    const { rows } = await CLAIMS[this.dialect.name](this.db, { poolId, userSub });
    return rows.map((row) => ({ name: row.name, precedence: row.precedence === null ? null : Number(row.precedence), roleArn: row.role_arn }));
  }
}

function groupRow(group: GroupRecord): GroupsTable {
  return {
    pool_id: group.poolId,
    name: group.name,
    description: group.description,
    role_arn: group.roleArn,
    precedence: group.precedence,
    created_at: group.createdAt,
    updated_at: group.updatedAt,
  };
}

function groupFromRow(row: Selectable<GroupsTable>): GroupRecord {
  return {
    poolId: row.pool_id,
    name: row.name,
    description: row.description,
    roleArn: row.role_arn,
    precedence: row.precedence === null ? null : Number(row.precedence),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
