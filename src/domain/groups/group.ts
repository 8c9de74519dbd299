import type { GroupType } from '../../model/generated/types.js';

/**
 * A user pool group. Names are compared exactly (case-sensitive): AWS documents no folding for
 * group names, only for usernames and their aliases (unverified).
 */
export interface GroupRecord {
  poolId: string;
  name: string;
  description: string | null;
  roleArn: string | null;
  /** Lower wins; null loses to every number (cognito-facts-areas.md §1.2). */
  precedence: number | null;
  createdAt: number;
  updatedAt: number;
}

/** What tokens need of each of a user's groups: read in one indexed query per token issue. */
export type GroupClaimSource = Pick<GroupRecord, 'name' | 'precedence' | 'roleArn'>;

/** The GroupType of CreateGroup, GetGroup, UpdateGroup, ListGroups and AdminListGroupsForUser. */
export function groupType(group: GroupRecord): GroupType {
  return {
    GroupName: group.name,
    UserPoolId: group.poolId,
    ...(group.description !== null && { Description: group.description }),
    ...(group.roleArn !== null && { RoleArn: group.roleArn }),
    ...(group.precedence !== null && { Precedence: group.precedence }),
    LastModifiedDate: group.updatedAt / 1000,
    CreationDate: group.createdAt / 1000,
  };
}

/**
 * AWS's texts. `A group with the name <name> already exists.`: the message Amplify users quote
 * (gh:aws-amplify/amplify-backend#1781, "A group with the name already exists"). `Group not found.`:
 * ResourceNotFoundException of AdminAddUserToGroup in gh:aws/aws-aspnet-cognito-identity-provider#85.
 */
export const GROUP_MESSAGES = {
  exists: (name: string) => `A group with the name ${name} already exists.`,
  notFound: 'Group not found.',
} as const;

/**
 * Precedence is a Java int on AWS's side (0 to 2^31-1, cognito-facts-areas.md §1.1); the model
 * states only the minimum, which the model validation checks. A larger number is refused in the
 * model validation's words rather than reaching a 32-bit column.
 */
export const MAX_PRECEDENCE = 2 ** 31 - 1;

export function precedenceTooLarge(precedence: number | undefined): string | undefined {
  if (precedence === undefined || precedence <= MAX_PRECEDENCE) return undefined;
  return `1 validation error detected: Value '${precedence}' at 'precedence' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PRECEDENCE}`;
}

/**
 * UpdateGroup changes the members it is given and keeps the others: AWS's UpdateGroup example
 * omits RoleArn and answers with the existing one (API_UpdateGroup.html, example).
 */
export function updatedGroup(group: GroupRecord, change: { Description?: string; RoleArn?: string; Precedence?: number }, now: number): GroupRecord {
  return {
    ...group,
    description: change.Description ?? group.description,
    roleArn: change.RoleArn ?? group.roleArn,
    precedence: change.Precedence ?? group.precedence,
    updatedAt: now,
  };
}

/** Null precedence sorts after every number. */
function precedenceRank(precedence: number | null): number {
  return precedence ?? Number.POSITIVE_INFINITY;
}

/**
 * The order of `cognito:groups`. AWS documents none (cognito-facts-areas.md §1.2: "Order of
 * cognito:groups. Not documented."), so userpoold chooses one an app can rely on: by precedence
 * (lowest first, null last), then by name in code-point order.
 */
export function orderForClaims<G extends Pick<GroupRecord, 'name' | 'precedence'>>(groups: readonly G[]): G[] {
  return [...groups].sort((a, b) => precedenceRank(a.precedence) - precedenceRank(b.precedence) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * `cognito:preferred_role`: the RoleArn of the group with the lowest Precedence among the user's
 * groups that have a role; null precedence loses to every number. Groups tied at the lowest
 * precedence give their ARN if they all carry the same one, and no claim if they differ
 * (cognito-facts-areas.md §1.2 [MODEL API:CreateGroup; DOC23]). Groups without a role are left
 * out of the choice: a role-less group cannot name the role (userpoold's reading; AWS's text
 * speaks only of groups' roles).
 */
export function preferredRole(groups: readonly GroupClaimSource[]): string | undefined {
  let best = Number.POSITIVE_INFINITY;
  let arns = new Set<string>();
  let any = false;
  for (const group of groups) {
    if (group.roleArn === null) continue;
    const rank = precedenceRank(group.precedence);
    if (!any || rank < best) {
      best = rank;
      arns = new Set([group.roleArn]);
      any = true;
    } else if (rank === best) {
      arns.add(group.roleArn);
    }
  }
  return arns.size === 1 ? (arns.values().next().value as string) : undefined;
}

/** The group claims of an ID token (`cognito:groups`, `cognito:roles`, `cognito:preferred_role`); none for a user in no group. */
export function idTokenGroupClaims(groups: readonly GroupClaimSource[]): Record<string, unknown> {
  if (groups.length === 0) return {};
  const ordered = orderForClaims(groups);
  const roles = [...new Set(ordered.flatMap((g) => (g.roleArn === null ? [] : [g.roleArn])))];
  const preferred = preferredRole(ordered);
  return {
    'cognito:groups': ordered.map((g) => g.name),
    ...(roles.length > 0 && { 'cognito:roles': roles }),
    ...(preferred !== undefined && { 'cognito:preferred_role': preferred }),
  };
}

/** The access token carries `cognito:groups` only (cognito-facts-areas.md §1.2, §1.4). */
export function accessTokenGroupClaims(groups: readonly GroupClaimSource[]): Record<string, unknown> {
  if (groups.length === 0) return {};
  return { 'cognito:groups': orderForClaims(groups).map((g) => g.name) };
}
